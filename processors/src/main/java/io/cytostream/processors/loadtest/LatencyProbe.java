package io.cytostream.processors.loadtest;

import io.cytostream.schemas.CellState;
import io.cytostream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches {@code cells.state} (or another topic of frames' outputs; read-committed, as a subscriber
 * sees it) and records, for each (FOV, frame), when its first cell state arrived. The latency of a
 * frame is that instant minus the acquisition time stamped in its header when it was published.
 * Runs on its own thread until closed.
 */
final class LatencyProbe implements AutoCloseable {
  /** A frame's arrival, read off one record of the watched topic. */
  record Arrival(String fov, long frame) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Function<ConsumerRecord<String, byte[]>, Arrival> arrival;
  private final Map<String, Map<Long, Instant>> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> forgotten = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> forgottenUpTo = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  LatencyProbe(String bootstrap) throws Exception {
    this(bootstrap, Topics.CELLS_STATE.name(), LatencyProbe::cellState);
  }

  private static Arrival cellState(ConsumerRecord<String, byte[]> r) {
    CellState s = Topics.CELLS_STATE.valueSerde().deserializer().deserialize(r.topic(), r.value());
    return s == null ? null : new Arrival(s.fov(), s.frameIndex());
  }

  /**
   * Watches {@code topic} from its end; {@code arrival} reads the FOV and frame of a record (null:
   * not a frame's).
   */
  LatencyProbe(
      String bootstrap, String topic, Function<ConsumerRecord<String, byte[]>, Arrival> arrival)
      throws Exception {
    this.arrival = arrival;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    int partitions;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    consumer.seekToEnd(tps);
    for (TopicPartition tp : tps) {
      consumer.position(tp);
    }
    thread = new Thread(this::loop, "loadtest-latency-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(50));
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
          Arrival s = r.value() == null ? null : arrival.apply(r);
          if (s != null && s.frame() >= 0 && !forgottenAlready(s.fov(), s.frame())) {
            firstSeen
                .computeIfAbsent(s.fov(), k -> new ConcurrentHashMap<>())
                .putIfAbsent(s.frame(), now);
          }
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        failure = e;
      }
    } finally {
      consumer.close();
    }
  }

  /** When the first state of {@code frame} of {@code fov} arrived, or null. */
  Instant seen(String fov, long frame) {
    if (failure != null) {
      throw new IllegalStateException("cells.state probe failed: " + failure.getMessage(), failure);
    }
    Map<Long, Instant> m = firstSeen.get(fov);
    return m == null ? null : m.get(frame);
  }

  private boolean forgottenAlready(String fov, long frame) {
    AtomicLong upTo = forgottenUpTo.get(fov);
    return upTo != null && frame <= upTo.get();
  }

  /**
   * Drops the arrival of {@code frame} of {@code fov} once its latency has been taken; it still
   * counts in {@link #count}. A FOV's states arrive in frame order (the tracker's reorder buffer
   * sees to it), so later states of this frame or of an earlier one — the rest of a frame's cells,
   * read in a later poll — are ignored rather than counted again.
   */
  void forget(String fov, long frame) {
    forgottenUpTo
        .computeIfAbsent(fov, k -> new AtomicLong(Long.MIN_VALUE))
        .accumulateAndGet(frame, Math::max);
    Map<Long, Instant> m = firstSeen.get(fov);
    if (m != null && m.remove(frame) != null) {
      forgotten.computeIfAbsent(fov, k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** Frames of {@code fov} seen so far. */
  long count(String fov) {
    Map<Long, Instant> m = firstSeen.get(fov);
    AtomicLong f = forgotten.get(fov);
    return (m == null ? 0 : m.size()) + (f == null ? 0 : f.get());
  }

  /** Frames seen so far over all FOVs. */
  long count() {
    return firstSeen.values().stream().mapToLong(Map::size).sum()
        + forgotten.values().stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
  }
}
