package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.schemas.Json;
import io.micronaut.http.sse.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.FluxSink;

/**
 * One SSE subscriber's reader: its own consumer, without a group (partitions assigned and sought,
 * nothing committed), on every partition of {@code events.anomaly} and {@code cells.lifecycle},
 * read-committed, running on its own thread until the subscriber goes away. It polls only while the
 * subscriber has demand, so at most one poll's records ({@value #MAX_POLL_RECORDS}) wait in memory
 * for a slow client. Each event goes out as it is on its topic, with the position after it as its
 * id ({@link EventCursor}); events the filter refuses move the position on silently.
 */
final class EventTail implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);

  /** Records per poll: the most a slow client can have waiting. */
  static final int MAX_POLL_RECORDS = 200;

  /** Where a subscription without a {@code Last-Event-ID} starts. */
  enum Start {
    /** After the events already on the topics. */
    LATEST,
    /** At the oldest retained events. */
    EARLIEST
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final FluxSink<Event<String>> sink;
  private final EventFilter filter;
  private final EventCursor resume;
  private final Start start;
  private final Duration heartbeat;
  private final Runnable onClose;
  private volatile boolean cancelled;

  EventTail(
      String bootstrap,
      String clientId,
      FluxSink<Event<String>> sink,
      EventFilter filter,
      EventCursor resume,
      Start start,
      Duration heartbeat,
      Runnable onClose) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    conf.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
    conf.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
    conf.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    this.consumer =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.sink = sink;
    this.filter = filter;
    this.resume = resume;
    this.start = start;
    this.heartbeat = heartbeat;
    this.onClose = onClose;
  }

  /** Stops the reader (the subscriber went away); safe from any thread. */
  void cancel() {
    cancelled = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> parts = partitions();
      consumer.assign(parts);
      EventCursor cursor = seek(parts);
      long lastSent = System.nanoTime();
      while (!cancelled) {
        if (sink.requestedFromDownstream() <= 0) {
          Thread.sleep(2); // the client has not taken what it has: do not read more
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          EventCursor.Source source = EventCursor.Source.ofTopic(r.topic());
          cursor = cursor.after(new EventCursor.Part(source, r.partition()), r.offset());
          if (r.value() == null) {
            continue;
          }
          String json = new String(r.value(), StandardCharsets.UTF_8);
          JsonNode event;
          try {
            event = Json.mapper().readTree(json);
          } catch (IOException e) {
            continue; // not JSON: not an event this stream can describe
          }
          if (filter.accepts(source, event)) {
            sink.next(Event.of(json).id(cursor.toString()).name(source.eventName()));
            lastSent = System.nanoTime();
          }
        }
        if (System.nanoTime() - lastSent > heartbeat.toNanos()) {
          // a comment line: clients ignore it, and a dead connection shows on the write
          sink.next(Event.of("").comment("keep-alive"));
          lastSent = System.nanoTime();
        }
      }
    } catch (WakeupException e) {
      // cancelled
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!cancelled) {
        LOG.warn("event stream reader stopped: {}", e.toString());
        sink.error(e);
      }
    } finally {
      try {
        consumer.close(Duration.ofSeconds(1));
      } finally {
        onClose.run();
      }
    }
  }

  private List<TopicPartition> partitions() {
    List<TopicPartition> parts = new ArrayList<>();
    for (EventCursor.Source s : EventCursor.Source.values()) {
      List<PartitionInfo> infos = consumer.partitionsFor(s.topic(), Duration.ofSeconds(10));
      if (infos != null) {
        infos.forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      }
    }
    return parts;
  }

  /** Seeks every partition to where this subscription starts; returns that position. */
  private EventCursor seek(List<TopicPartition> parts) {
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
    Map<EventCursor.Part, Long> at = new HashMap<>();
    for (TopicPartition tp : parts) {
      EventCursor.Part part =
          new EventCursor.Part(EventCursor.Source.ofTopic(tp.topic()), tp.partition());
      long offset;
      if (resume != null) {
        // what is no longer retained is skipped; nothing still retained is
        offset = Math.min(Math.max(resume.next(part), begin.get(tp)), end.get(tp));
      } else {
        offset = start == Start.EARLIEST ? begin.get(tp) : end.get(tp);
      }
      consumer.seek(tp, offset);
      at.put(part, offset);
    }
    return EventCursor.of(at);
  }
}
