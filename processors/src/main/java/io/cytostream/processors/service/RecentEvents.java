package io.cytostream.processors.service;

import io.cytostream.schemas.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest anomaly events of the whole cluster, for {@code GET /events}: a background consumer
 * (no consumer group, committed events only) keeps the last {@code cytostream.events.keep} events
 * of {@code events.anomaly} in memory. Subscribers that need every event read the topic.
 */
@Context
@Requires(property = "cytostream.events.enabled", notEquals = "false")
public class RecentEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RecentEvents.class);

  private final Deque<String> events = new ArrayDeque<>();
  private final int keep;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  public RecentEvents(
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      @Value("${cytostream.events.keep:200}") int keep) {
    this.keep = keep;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cytostream-recent-events"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "cytostream-recent-events");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> parts = List.of();
      while (running && parts.isEmpty()) { // the topic may not exist yet at start-up
        parts =
            consumer.partitionsFor(Topics.EVENTS_ANOMALY.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .collect(Collectors.toList());
        if (parts.isEmpty()) {
          Thread.sleep(1000);
        }
      }
      consumer.assign(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      for (TopicPartition tp : parts) {
        consumer.seek(tp, Math.max(0, ends.get(tp) - keep));
      }
      while (running) {
        consumer
            .poll(Duration.ofMillis(500))
            .forEach(r -> add(new String(r.value(), StandardCharsets.UTF_8)));
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("recent-events reader stopped: {}", e.getMessage());
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private synchronized void add(String json) {
    events.addLast(json);
    while (events.size() > keep) {
      events.removeFirst();
    }
  }

  /** The latest events, oldest first, as JSON texts. */
  public synchronized List<String> latest(int limit) {
    List<String> all = new ArrayList<>(events);
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  @PreDestroy
  void stop() {
    running = false;
    consumer.wakeup();
  }
}
