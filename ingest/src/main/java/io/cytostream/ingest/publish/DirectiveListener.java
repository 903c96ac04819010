package io.cytostream.ingest.publish;

import io.cytostream.schemas.Directive;
import io.cytostream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the directives ({@code acquisition.directives}) of some FOVs, for an acquisition program
 * in Java. It reads every partition from its end at the time {@link #start} returns (directives
 * issued before are not replayed; no consumer group, so every listener gets every directive), only
 * committed directives, and calls the callback on its own thread, in each FOV's order:
 *
 * <pre>{@code
 * try (FramePublisher pub = FramePublisher.connect("127.0.0.1:9092");
 *     DirectiveListener l = pub.onDirective(d -> scope.apply(d))) {   // the FOVs pub publishes
 *   ...
 * }
 * }</pre>
 *
 * A callback that throws is logged and the listener goes on.
 */
public final class DirectiveListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectiveListener.class);

  private final KafkaConsumer<String, Directive> consumer;
  private final Predicate<String> fovs;
  private final Consumer<Directive> callback;
  private final Thread thread;
  private volatile boolean running = true;

  private DirectiveListener(
      KafkaConsumer<String, Directive> consumer,
      Predicate<String> fovs,
      Consumer<Directive> callback) {
    this.consumer = consumer;
    this.fovs = fovs;
    this.callback = callback;
    this.thread = new Thread(this::run, "cytostream-directives");
    this.thread.setDaemon(true);
  }

  /**
   * Starts listening; returns once the listener is positioned at the end of the topic.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param fovs which FOVs' directives to pass on (tested on each directive's key)
   * @param callback called with each directive of those FOVs
   * @throws IllegalStateException when the topic does not exist within 30 s
   */
  public static DirectiveListener start(
      String bootstrap, Predicate<String> fovs, Consumer<Directive> callback) {
    KafkaConsumer<String, Directive> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cytostream-directive-listener"),
            Topics.ACQUISITION_DIRECTIVES.keySerde().deserializer(),
            Topics.ACQUISITION_DIRECTIVES.valueSerde().deserializer());
    try {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.ACQUISITION_DIRECTIVES.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      if (parts.isEmpty()) {
        throw new IllegalStateException(
            "topic "
                + Topics.ACQUISITION_DIRECTIVES.name()
                + " does not exist (is the service up?)");
      }
      c.assign(parts);
      c.seekToEnd(parts);
      parts.forEach(c::position); // resolve "end" now, not at the first poll
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    DirectiveListener l = new DirectiveListener(c, fovs, callback);
    l.thread.start();
    return l;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, Directive> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null && r.key() != null && fovs.test(r.key())) {
            try {
              callback.accept(r.value());
            } catch (RuntimeException e) {
              LOG.warn("directive callback failed on {}: {}", r.value().id(), e.toString());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("directive listener stopped: {}", e.getMessage());
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
