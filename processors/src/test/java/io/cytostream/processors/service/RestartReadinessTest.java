package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.topology.CytostreamTopology;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.processors.topology.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The pieces of a fast, honest restart: readiness DOWN while the stream cannot process, local state
 * of an unclean stop dropped before Kafka Streams starts (instead of a storm of {@code
 * TaskCorruptedException}), a stable group.instance.id. The whole restart is measured by {@code
 * scripts/restart-time}.
 */
class RestartReadinessTest {

  @Test
  void readinessIsDownUntilTheStreamRuns(@TempDir Path dir) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PipelineMetrics metrics = new PipelineMetrics(registry);
    StreamsReadiness readiness = new StreamsReadiness(metrics);
    HealthResult before = Mono.from(readiness.getResult()).block();
    assertThat(before.getStatus()).isEqualTo(HealthStatus.DOWN);
    assertThat(before.getDetails().toString()).contains("not started");

    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, PipelineConfig.defaults().withMetrics(metrics));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "readiness-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    try (KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
      readiness.onApplicationEvent(new BeforeKafkaStreamStart(streams, new KStream<?, ?>[0]));
      HealthResult created = Mono.from(readiness.getResult()).block();
      assertThat(created.getStatus()).isEqualTo(HealthStatus.DOWN);
      assertThat(created.getDetails().toString()).contains("stream CREATED");
      assertThat(registry.find(StreamsReadiness.READY).gauge().value()).isZero();
    }
  }

  /**
   * The service runs two Kafka Streams applications (the pipeline, the directive rules): readiness
   * watches both, not the last one started (which had made it wait for the directive rules after a
   * kill -9 while the pipeline already processed).
   */
  @Test
  void readinessWatchesEveryApplication(@TempDir Path dir) {
    PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
    StreamsReadiness readiness = new StreamsReadiness(metrics);
    StreamsBuilder b1 = new StreamsBuilder();
    CytostreamTopology.build(b1, PipelineConfig.defaults().withMetrics(metrics));
    StreamsBuilder b2 = new StreamsBuilder();
    b2.stream("some-topic").to("other-topic");
    Properties p1 = new Properties();
    p1.put(StreamsConfig.APPLICATION_ID_CONFIG, "readiness-a");
    p1.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p1.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("a").toString());
    Properties p2 = new Properties();
    p2.putAll(p1);
    p2.put(StreamsConfig.APPLICATION_ID_CONFIG, "readiness-b");
    p2.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("b").toString());
    try (KafkaStreams a = new KafkaStreams(b1.build(), p1);
        KafkaStreams b = new KafkaStreams(b2.build(), p2)) {
      readiness.onApplicationEvent(new BeforeKafkaStreamStart(a, new KStream<?, ?>[0]));
      readiness.onApplicationEvent(new BeforeKafkaStreamStart(b, new KStream<?, ?>[0]));
      readiness.onApplicationEvent(new BeforeKafkaStreamStart(b, new KStream<?, ?>[0]));
      HealthResult r = Mono.from(readiness.getResult()).block();
      assertThat(r.getStatus()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.getDetails().toString()).contains("applications=2").contains("stream CREATED");
    }
  }

  @Test
  void aRestoringStoreKeepsReadinessDownAndIsCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PipelineMetrics metrics = new PipelineMetrics(registry);
    org.apache.kafka.common.TopicPartition tp =
        new org.apache.kafka.common.TopicPartition("cytostream-track-frames-changelog", 1);
    metrics.restoreListener().onRestoreStart(tp, "track-frames", 10, 110);
    assertThat(metrics.restoringStores()).isEqualTo(1);
    assertThat(metrics.restoreRemainingRecords()).isEqualTo(100);
    metrics.restoreListener().onBatchRestored(tp, "track-frames", 50, 40);
    assertThat(metrics.restoreRemainingRecords()).isEqualTo(60);
    assertThat(registry.find(PipelineMetrics.RESTORE_REMAINING).gauge().value()).isEqualTo(60.0);
    metrics.restoreListener().onRestoreEnd(tp, "track-frames", 100);
    assertThat(metrics.restoringStores()).isZero();
    assertThat(metrics.restoreRemainingRecords()).isZero();
  }

  @Test
  void anUncleanStopDropsTheTaskStateButKeepsTheProcessIdentity(@TempDir Path dir)
      throws Exception {
    Path app = dir.resolve("cytostream");
    Files.createDirectories(app.resolve("0_1/rocksdb/image-normalizer"));
    Files.writeString(app.resolve("0_1/rocksdb/image-normalizer/000001.sst"), "x");
    Files.createDirectories(app.resolve("1_0"));
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{\"processId\":\"p\"}");

    StreamsStateDir state = new StreamsStateDir(dir);
    String id = state.instanceId();
    assertThat(id).startsWith("cytostream-");
    assertThat(state.begin()).as("first start: nothing dropped").isEmpty();
    assertThat(app.resolve("0_1")).exists();
    // killed: the marker stays; the next start drops the task directories only
    StreamsStateDir again = new StreamsStateDir(dir);
    assertThat(again.begin()).hasSize(2);
    assertThat(app.resolve("0_1")).doesNotExist();
    assertThat(app.resolve("1_0")).doesNotExist();
    assertThat(app.resolve("kafka-streams-process-metadata")).exists();
    assertThat(again.instanceId()).as("stable across restarts").isEqualTo(id);
    // a clean stop removes the marker: the next start keeps the state
    Files.createDirectories(app.resolve("2_3"));
    again.end();
    assertThat(new StreamsStateDir(dir).begin()).isEmpty();
    assertThat(app.resolve("2_3")).exists();
    assertThat(new StreamsStateDir(dir.resolve("elsewhere")).instanceId()).isNotEqualTo(id);
  }
}
