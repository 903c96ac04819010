package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.testing.SyntheticFrames;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The service against an external Kafka cluster ({@code --bootstrap}), here a real broker in a
 * container. For users' CI with Docker; skipped where there is no Docker engine (ours runs on the
 * embedded broker, see {@link ServiceIntegrationTest}).
 */
@Testcontainers(disabledWithoutDocker = true)
class ExternalKafkaContainerTest {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

  @Test
  void processesFramesOnAnExternalCluster(@TempDir Path dir) throws Exception {
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            KAFKA.getBootstrapServers(),
            "127.0.0.1",
            0,
            dir,
            0,
            SegmenterChoice.classical(),
            Map.of());
    try (ServiceRunner service = ServiceRunner.start(options)) {
      assertThat(service.embeddedBroker()).isFalse();
      try (FramePublisher publisher = FramePublisher.connect(service.bootstrap())) {
        Random noise = new Random(3);
        for (int t = 0; t < 5; t++) {
          publisher.publishAndWait(SyntheticFrames.disks("ext/fov", t, noise), 30);
        }
      }
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      double processed = 0;
      while (System.nanoTime() < deadline && processed < 5) {
        processed =
            ServiceIntegrationTest.framesProcessed(
                ServiceIntegrationTest.get(http, base + "/prometheus"), "ext/fov");
        Thread.sleep(500);
      }
      assertThat(processed).isEqualTo(5);
    }
  }
}
