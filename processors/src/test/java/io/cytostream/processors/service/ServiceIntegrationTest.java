package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.ingest.sim.AnomalySpec;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topic;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service on the embedded broker: frames published by the Java publisher flow through the
 * topology; /prometheus counts them per FOV, /health is UP, tracked frames appear on the tracks
 * topic, and a bad frame reaches the dead-letter topic with its reason.
 */
class ServiceIntegrationTest {

  static boolean has(List<AnomalyEvent> events, String kind, long frame) {
    return events.stream()
        .anyMatch(
            e ->
                e.data().fov().equals("it/sim")
                    && e.data().kind().equals(kind)
                    && e.data().frame() == frame);
  }

  static double framesProcessed(String prometheus, String fov) {
    Matcher m =
        Pattern.compile(
                "cytostream_frames_processed_total\\{[^}]*fov=\""
                    + Pattern.quote(fov)
                    + "\"[^}]*\\} (\\S+)")
            .matcher(prometheus);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void framesFlowThroughTheServiceOnTheEmbeddedBroker(@TempDir Path dir) throws Exception {
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            null,
            "127.0.0.1",
            0,
            dir,
            0,
            // the simulated FOV goes through the learned model, the other through the classical one
            new SegmenterChoice("classical", Map.of("it/sim", "model"), null),
            Map.of("kafka.streams.default.num.stream.threads", 1));
    try (ServiceRunner service = ServiceRunner.start(options)) {
      assertThat(service.embeddedBroker()).isTrue();
      // the topics: one NewTopic bean per registry entry, created with its settings
      assertThat(service.context().getBeansOfType(NewTopic.class))
          .extracting(NewTopic::name)
          .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", service.bootstrap()))) {
        // 4 partitions (cytostream.partitions; the broker's default is 1) and the dead-letter
        // topic's 14-day retention (the broker's default is 7 days)
        String name = Topics.FRAMES_DLQ.name();
        TopicDescription dlq = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        assertThat(dlq.partitions()).hasSize(4);
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config conf = admin.describeConfigs(List.of(res)).all().get().get(res);
        assertThat(conf.get("retention.ms").value())
            .isEqualTo(Topics.FRAMES_DLQ.configs().get("retention.ms"));
      }
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      Random noise = new Random(1);
      int n = 8;
      try (FramePublisher publisher = FramePublisher.connect(service.bootstrap())) {
        for (int t = 0; t < n; t++) {
          publisher.publishAndWait(SyntheticFrames.disks("it/fov-1", t, noise), 30);
        }
      }
      // a second FOV, live from the simulator, with a hot-pixel burst and a dropped frame
      SimulationConfig sim =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(30)
              .frames(40)
              .seed(5)
              .anomalies(
                  List.of(
                      AnomalySpec.of(AnomalyType.HOT_PIXEL_BURST, 15),
                      AnomalySpec.of(AnomalyType.DROPPED_FRAME, 22)))
              .build();
      try (FramePublisher publisher = FramePublisher.connect(service.bootstrap())) {
        new CultureSimulator(sim)
            .delivered()
            .forEach(
                f ->
                    publisher.publish(
                        new Frame(
                            FrameHeader.inline(
                                "it/sim",
                                f.index(),
                                Instant.parse("2026-11-23T10:00:00Z").plusSeconds(f.index()),
                                f.width(),
                                f.height(),
                                f.raw().type(),
                                null,
                                1.0,
                                "sim"),
                            f.raw().pixels())));
      }
      byte[] bad = "garbage".getBytes(StandardCharsets.UTF_8);
      try (KafkaProducer<byte[], byte[]> raw =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", service.bootstrap()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(Topics.FRAMES_RAW.name(), "it/fov-1".getBytes(), bad)).get();
      }

      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      double processed = 0;
      while (System.nanoTime() < deadline) {
        processed = framesProcessed(get(http, base + "/prometheus"), "it/fov-1");
        if (processed >= n) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(processed).isEqualTo(n);
      assertThat(get(http, base + "/health")).contains("\"status\":\"UP\"");

      Map<String, Object> consumer =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrap(),
              ConsumerConfig.GROUP_ID_CONFIG, "it-reader",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
              ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<TrackedFrame> tracked = new ArrayList<>();
      try (KafkaConsumer<String, TrackedFrame> c =
          new KafkaConsumer<>(
              consumer, new StringDeserializer(), Topics.TRACKS.valueSerde().deserializer())) {
        c.subscribe(List.of(Topics.TRACKS.name()));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tracked.size() < n - 3 && System.nanoTime() < until) {
          c.poll(Duration.ofMillis(500))
              .forEach(
                  r -> {
                    if (r.key().equals("it/fov-1")) {
                      tracked.add(r.value());
                    }
                  });
        }
      }
      assertThat(tracked.size()).isGreaterThanOrEqualTo(n - 3);
      assertThat(tracked.get(0).frameIndex()).isZero();
      assertThat(tracked.get(0).cells()).hasSize(3);
      assertThat(tracked.get(tracked.size() - 1).cells())
          .extracting(TrackedFrame.Cell::trackId)
          .containsExactlyInAnyOrderElementsOf(
              tracked.get(0).cells().stream().map(TrackedFrame.Cell::trackId).toList());

      List<AnomalyEvent> events = new ArrayList<>();
      try (KafkaConsumer<String, AnomalyEvent> c =
          new KafkaConsumer<>(
              consumer,
              new StringDeserializer(),
              Topics.EVENTS_ANOMALY.valueSerde().deserializer())) {
        c.subscribe(List.of(Topics.EVENTS_ANOMALY.name()));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until
            && !(has(events, "hot_pixel_burst", 15) && has(events, "dropped_frame", 23))) {
          c.poll(Duration.ofMillis(500)).forEach(r -> events.add(r.value()));
        }
      }
      assertThat(has(events, "hot_pixel_burst", 15)).as("live hot-pixel burst event").isTrue();
      assertThat(has(events, "dropped_frame", 23)).as("live dropped-frame event").isTrue();
      assertThat(service.context().getBean(Segmenters.class).model()).isNotNull();
      assertThat(framesProcessed(get(http, base + "/prometheus"), "it/sim"))
          .as("frames of the model-segmented FOV")
          .isGreaterThanOrEqualTo(20);

      List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        c.subscribe(List.of(Topics.FRAMES_DLQ.name()));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dead.isEmpty() && System.nanoTime() < until) {
          c.poll(Duration.ofMillis(500)).forEach(dead::add);
        }
      }
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).value()).isEqualTo(bad);
      assertThat(
              new String(
                  dead.get(0).headers().lastHeader(Topics.DLQ_REASON).value(),
                  StandardCharsets.UTF_8))
          .contains("not a frame envelope");
    }
  }
}
