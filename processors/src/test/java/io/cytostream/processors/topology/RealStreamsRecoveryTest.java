package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cytostream.processors.broker.EmbeddedKafka;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topic;
import io.cytostream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery through the real Kafka Streams code paths, on the embedded broker with {@code
 * exactly_once_v2}: the committed outputs (read_committed) of the track and consensus stages must
 * equal those of an uninterrupted run of the same topology ({@link TopologyTestDriver}).
 *
 * <ul>
 *   <li>A failure in the middle of processing a frame that Kafka Streams treats as task migration:
 *       the thread's transaction is aborted, every task is closed dirty, its stores wiped and
 *       restored from the committed changelogs, and its input rewound to the committed offsets.
 *   <li>Two instances (same application id, own state directories) share 4 FOVs; one is closed
 *       abruptly, the other takes its FOVs over (restoring their stores) and finishes the run.
 * </ul>
 */
class RealStreamsRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Topic<?, ?>> OUTPUTS =
      List.of(Topics.TRACKS, Topics.CELLS_STATE, Topics.CONSENSUS, Topics.CELLS_LIFECYCLE);

  /** The topology's configuration: no idle flush (it would depend on wall-clock time). */
  static PipelineConfig config(PipelineMetrics metrics) {
    return PipelineConfig.defaults().toBuilder()
        .reorderTimeout(Duration.ofMinutes(30))
        .maxReorderFrames(4)
        .metrics(metrics)
        .build();
  }

  /** The frames of several FOVs, interleaved, in publication order. */
  static List<FrameObservations> inputs(List<String> fovs, int frames) {
    List<BoundedStateTest.DividingCulture> cultures = new ArrayList<>();
    for (int i = 0; i < fovs.size(); i++) {
      cultures.add(new BoundedStateTest.DividingCulture(10 + i, fovs.get(i)));
    }
    List<FrameObservations> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      for (BoundedStateTest.DividingCulture c : cultures) {
        out.add(c.next(t));
      }
    }
    return out;
  }

  /**
   * Output topic → record key (FOV, or FOV/track for cell states) → values (as JSON trees) in
   * order, of an uninterrupted in-process run.
   */
  static Map<String, Map<String, List<JsonNode>>> uninterrupted(List<FrameObservations> in)
      throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config(PipelineMetrics.noop()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "uninterrupted");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    Map<String, Map<String, List<JsonNode>>> out = new TreeMap<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, FrameObservations> input =
          driver.createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer());
      for (FrameObservations f : in) {
        input.pipeInput(f.fov(), f);
      }
      for (Topic<?, ?> t : OUTPUTS) {
        TestOutputTopic<String, byte[]> o =
            driver.createOutputTopic(
                t.name(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        Map<String, List<JsonNode>> byKey = new TreeMap<>();
        for (var r : o.readRecordsToList()) {
          byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
        }
        out.put(t.name(), byKey);
      }
    }
    return out;
  }

  static void createTopics(String bootstrap, int partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?, ?> t : Topics.ALL) {
        topics.add(new NewTopic(t.name(), partitions, (short) 1));
      }
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** One producer per test: acks=all, one request in flight. */
  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Publishes the frames one by one, each acknowledged before the next (fails loudly). */
  static void publish(KafkaProducer<String, byte[]> producer, List<FrameObservations> frames)
      throws Exception {
    for (FrameObservations f : frames) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CELLS_OBSERVED.name(),
                  f.fov(),
                  Topics.CELLS_OBSERVED.valueSerde().serializer().serialize("", f)))
          .get(60, TimeUnit.SECONDS);
    }
  }

  static Properties streamsProps(String bootstrap, String appId, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    return props;
  }

  /**
   * Reads the committed records of the output topics until {@code expected} (topic → key → count)
   * is reached or the time is up.
   */
  static Map<String, Map<String, List<JsonNode>>> committed(
      String bootstrap, Map<String, Map<String, List<JsonNode>>> expected, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Map<String, List<JsonNode>>> out = new TreeMap<>();
    OUTPUTS.forEach(t -> out.put(t.name(), new TreeMap<>()));
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(OUTPUTS.stream().map(Topic::name).toList());
      long end = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < end && count(out) < count(expected)) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          out.get(r.topic())
              .computeIfAbsent(r.key(), k -> new ArrayList<>())
              .add(JSON.readTree(r.value()));
        }
      }
    }
    return out;
  }

  static int count(Map<String, Map<String, List<JsonNode>>> m) {
    return m.values().stream().flatMap(x -> x.values().stream()).mapToInt(List::size).sum();
  }

  /** Counts up to the n-th tracked frame of one FOV, then throws (once) from inside processing. */
  static final class FailingRegistry extends SimpleMeterRegistry {
    final String fov;
    final int failAt;
    final AtomicInteger tracked = new AtomicInteger();
    volatile boolean failed;

    FailingRegistry(String fov, int failAt) {
      this.fov = fov;
      this.failAt = failAt;
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
      Counter real = super.newCounter(id);
      if (!PipelineMetrics.FRAMES_TRACKED.equals(id.getName()) || !fov.equals(id.getTag("fov"))) {
        return real;
      }
      return new Counter() {
        @Override
        public void increment(double amount) {
          if (tracked.incrementAndGet() == failAt) {
            failed = true;
            // called between the frame's store writes and its forward
            throw new TaskMigratedException("injected in the middle of a frame");
          }
          real.increment(amount);
        }

        @Override
        public double count() {
          return real.count();
        }

        @Override
        public Meter.Id getId() {
          return real.getId();
        }
      };
    }
  }

  @Test
  void aFailureMidFrameRollsBackAndReplaysToTheUninterruptedOutput(@TempDir Path tmp)
      throws Exception {
    List<String> fovs = List.of("revive/a", "revive/b");
    List<FrameObservations> in = inputs(fovs, 40);
    Map<String, Map<String, List<JsonNode>>> expected = uninterrupted(in);
    try (EmbeddedKafka broker = new EmbeddedKafka(tmp.resolve("broker"), "127.0.0.1", 0).start()) {
      String bootstrap = broker.bootstrapServers();
      createTopics(bootstrap, 2);
      FailingRegistry registry = new FailingRegistry("revive/a", 30);
      StreamsBuilder builder = new StreamsBuilder();
      CytostreamTopology.build(builder, config(new PipelineMetrics(registry)));
      try (KafkaStreams streams =
              new KafkaStreams(
                  builder.build(), streamsProps(bootstrap, "revive", tmp.resolve("s")));
          KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        streams.start();
        publish(producer, in.subList(0, in.size() / 2));
        // the first half committed, then the rest, whose processing fails once
        committed(bootstrap, half(expected), Duration.ofSeconds(90));
        publish(producer, in.subList(in.size() / 2, in.size()));
        Map<String, Map<String, List<JsonNode>>> got =
            committed(bootstrap, expected, Duration.ofSeconds(120));
        assertThat(registry.failed).as("the failure was injected").isTrue();
        assertSameOutputs(got, expected);
      }
    }
  }

  /** Roughly the outputs of the first half of the frames (a lower bound to wait for). */
  static Map<String, Map<String, List<JsonNode>>> half(Map<String, Map<String, List<JsonNode>>> m) {
    Map<String, Map<String, List<JsonNode>>> out = new TreeMap<>();
    m.forEach(
        (t, byKey) -> {
          Map<String, List<JsonNode>> h = new TreeMap<>();
          byKey.forEach((f, v) -> h.put(f, v.subList(0, v.size() / 3)));
          out.put(t, h);
        });
    return out;
  }

  static void assertSameOutputs(
      Map<String, Map<String, List<JsonNode>>> got,
      Map<String, Map<String, List<JsonNode>>> expected) {
    for (String topic : expected.keySet()) {
      assertThat(got.get(topic).keySet()).as(topic).isEqualTo(expected.get(topic).keySet());
      for (String key : expected.get(topic).keySet()) {
        assertThat(got.get(topic).get(key))
            .as("%s of %s", topic, key)
            .containsExactlyElementsOf(expected.get(topic).get(key));
      }
    }
    assertThat(count(got)).isEqualTo(count(expected));
  }

  /** Four FOVs whose frames.raw / cells.observed partitions (of 4) are all different. */
  static List<String> fourFovsOnFourPartitions() {
    Map<Integer, String> byPartition = new LinkedHashMap<>();
    for (int i = 0; byPartition.size() < 4; i++) {
      String fov = "pair/fov-" + i;
      int p = Utils.toPositive(Utils.murmur2(fov.getBytes(StandardCharsets.UTF_8))) % 4;
      byPartition.putIfAbsent(p, fov);
    }
    return new ArrayList<>(byPartition.values());
  }

  @Test
  void twoInstancesShareFovsAndOneTakesOverWhenTheOtherDies(@TempDir Path tmp) throws Exception {
    List<String> fovs = fourFovsOnFourPartitions();
    List<FrameObservations> in = inputs(fovs, 40);
    Map<String, Map<String, List<JsonNode>>> expected = uninterrupted(in);
    try (EmbeddedKafka broker = new EmbeddedKafka(tmp.resolve("broker"), "127.0.0.1", 0).start()) {
      String bootstrap = broker.bootstrapServers();
      createTopics(bootstrap, 4);
      KafkaStreams a = instance(bootstrap, tmp.resolve("a"));
      KafkaStreams b = instance(bootstrap, tmp.resolve("b"));
      try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        a.start();
        b.start();
        waitRunning(a, b);
        publish(producer, in.subList(0, in.size() / 2));
        committed(bootstrap, half(expected), Duration.ofSeconds(90));
        int tasksOfA = activeTasks(a);
        int tasksOfB = activeTasks(b);
        assertThat(tasksOfB).as("the second instance runs tasks").isPositive();
        long killed = System.nanoTime();
        b.close(Duration.ZERO); // abrupt: no wait for its threads
        publish(producer, in.subList(in.size() / 2, in.size()));
        long end = killed + TimeUnit.SECONDS.toNanos(90);
        while (activeTasks(a) < tasksOfA + tasksOfB || a.state() != KafkaStreams.State.RUNNING) {
          assertThat(System.nanoTime()).as("the survivor takes every task").isLessThan(end);
          Thread.sleep(100);
        }
        System.out.printf(
            Locale.ROOT,
            "two instances: %d + %d tasks; the survivor runs all %.1f s after the kill%n",
            tasksOfA,
            tasksOfB,
            (System.nanoTime() - killed) / 1e9);
        Map<String, Map<String, List<JsonNode>>> got =
            committed(bootstrap, expected, Duration.ofSeconds(150));
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf(
            Locale.ROOT, "two instances: all outputs committed %.1f s after the kill%n", seconds);
        assertSameOutputs(got, expected);
      } finally {
        a.close(Duration.ofSeconds(30));
        b.close(Duration.ofSeconds(30));
      }
    }
  }

  static int activeTasks(KafkaStreams s) {
    return s.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
  }

  static KafkaStreams instance(String bootstrap, Path stateDir) {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config(PipelineMetrics.noop()));
    return new KafkaStreams(builder.build(), streamsProps(bootstrap, "pair", stateDir));
  }

  static void waitRunning(KafkaStreams... all) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < end) {
      boolean running = true;
      for (KafkaStreams s : all) {
        running &= s.state() == KafkaStreams.State.RUNNING;
      }
      if (running) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("streams not RUNNING");
  }
}
