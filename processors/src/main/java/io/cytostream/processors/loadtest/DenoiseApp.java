package io.cytostream.processors.loadtest;

import io.cytostream.processors.topology.DenoiseTopology;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The denoise-only topology ({@link DenoiseTopology}) as its own Kafka Streams application on the
 * load test's broker, with the service's stream settings (exactly-once v2, 200 ms commits, the same
 * fetch, request and compression settings), between two topics of its own with {@code frames.raw}'s
 * partitions, so the service's pipeline stays idle while it runs.
 */
final class DenoiseApp implements AutoCloseable {
  final String input;
  final String output;
  final PipelineConfig config = PipelineConfig.defaults();
  private final KafkaStreams streams;

  DenoiseApp(String bootstrap, int partitions, int threads, Path stateDir) throws Exception {
    long id = System.currentTimeMillis();
    input = "cytostream.loadtest.denoise-in-" + id;
    output = "cytostream.loadtest.denoised-" + id;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<String, String> cfg =
          Map.of("max.message.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
      admin
          .createTopics(
              List.of(
                  new NewTopic(input, partitions, (short) -1).configs(cfg),
                  new NewTopic(output, partitions, (short) -1).configs(cfg)))
          .all()
          .get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, List.of(input, output));
    }
    StreamsBuilder b = new StreamsBuilder();
    DenoiseTopology.build(b, config, input, output);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cytostream-loadtest-denoise-" + id);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16842752);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 67108864);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Topics.MAX_MESSAGE_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 67108864);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 16);
    streams = new KafkaStreams(b.build(), p);
    streams.start();
  }

  /** Waits until every partition of {@code topics} has a leader (a new topic's may not yet). */
  private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        boolean ready =
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (ready) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leaders after 60 s");
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
