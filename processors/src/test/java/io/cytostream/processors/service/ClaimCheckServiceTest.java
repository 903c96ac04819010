package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.testing.FrameFuzzer;
import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.PixelType;
import io.cytostream.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames by reference end to end (issue 11): a 4096×4096 uint16 frame (32 MiB, twice the record
 * limit) published by the Java publisher goes by reference automatically, through the embedded
 * broker, and the service reads, verifies and processes it; a changed file, a missing file and a
 * path outside the allowed root are dead-lettered with their kinds; without a claim-check directory
 * the publisher refuses the frame with a reason instead of losing it at the broker.
 */
class ClaimCheckServiceTest {

  /** A 4096×4096 uint16 frame: background 100, a bright 40×40 square every 512 px. */
  static Frame big(String fov, int t) {
    int w = 4096;
    int h = 4096;
    ByteBuffer b = ByteBuffer.allocate(w * h * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean cell = (x % 512) >= 200 && (x % 512) < 240 && (y % 512) >= 200 && (y % 512) < 240;
        b.putShort((short) (cell ? 3000 : 100 + ((x * 7 + y * 13) % 11)));
      }
    }
    return new Frame(
        FrameHeader.inline(
            fov,
            t,
            Instant.parse("2026-11-23T10:00:00Z").plusSeconds(t),
            w,
            h,
            PixelType.UINT16,
            null,
            1.0,
            null),
        b.array());
  }

  @Test
  void aFrameTooLargeForARecordTravelsByReference(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("shared"));
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            null,
            "127.0.0.1",
            0,
            dir.resolve("svc"),
            0,
            SegmenterChoice.classical(),
            Map.of(
                "kafka.streams.default.num.stream.threads",
                1,
                "cytostream.pixel-ref.root",
                root.toString()));
    try (ServiceRunner service = ServiceRunner.start(options)) {
      Frame frame = big("big/fov", 0);
      assertThat(frame.pixels().length).isGreaterThan((int) ClaimCheck.INLINE_LIMIT_BYTES);
      try (FramePublisher plain = FramePublisher.connect(service.bootstrap())) {
        assertThatThrownBy(() -> plain.publish(frame))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("does not fit in a record");
      }
      try (FramePublisher publisher =
          FramePublisher.connect(service.bootstrap())
              .byReference(root, ClaimCheck.INLINE_LIMIT_BYTES)) {
        publisher.publishAndWait(frame, 60);
      }
      // three bad references, sent as envelopes
      Frame small = ClaimCheck.store(big("big/bad", 0), root);
      Path file = Path.of(URI.create(small.header().pixelRef().uri()));
      byte[] changed = Files.readAllBytes(file);
      changed[1000] ^= 1;
      Frame tampered = ClaimCheck.store(new Frame(big("big/bad", 1).header(), changed), root);
      Files.write(
          Path.of(URI.create(tampered.header().pixelRef().uri())), Files.readAllBytes(file));
      Frame missing = ClaimCheck.store(big("big/gone", 0), root);
      Files.delete(Path.of(URI.create(missing.header().pixelRef().uri())));
      Frame foreign = ClaimCheck.store(big("big/far", 0), outside);
      List<byte[]> bad =
          List.of(
              FrameCodec.encode(tampered), FrameCodec.encode(missing), FrameCodec.encode(foreign));
      FrameFuzzer fuzz = new FrameFuzzer(42);
      List<FrameFuzzer.Case> fuzzed = new ArrayList<>();
      java.util.Random mix = new java.util.Random(3);
      int goodFrames = 0;
      while (fuzzed.size() < 320) {
        boolean good =
            goodFrames < 20 && (mix.nextInt(16) == 0 || 320 - fuzzed.size() <= 20 - goodFrames);
        fuzzed.add(good ? fuzz.good("fz/broker", goodFrames++) : fuzz.bad("fz/broker"));
      }
      try (KafkaProducer<byte[], byte[]> raw =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", service.bootstrap()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        String[] fovs = {"big/bad", "big/gone", "big/far"};
        for (int i = 0; i < bad.size(); i++) {
          raw.send(
                  new ProducerRecord<>(
                      Topics.FRAMES_RAW.name(),
                      fovs[i].getBytes(StandardCharsets.UTF_8),
                      bad.get(i)))
              .get();
        }
        for (FrameFuzzer.Case c : fuzzed) {
          raw.send(new ProducerRecord<>(Topics.FRAMES_RAW.name(), c.key(), c.value()));
        }
        raw.flush();
      }

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      double processed = 0;
      double fuzzProcessed = 0;
      while (System.nanoTime() < deadline && (processed < 1 || fuzzProcessed < 20)) {
        String scrape = ServiceIntegrationTest.get(http, base + "/prometheus");
        processed = ServiceIntegrationTest.framesProcessed(scrape, "big/fov");
        fuzzProcessed = ServiceIntegrationTest.framesProcessed(scrape, "fz/broker");
        Thread.sleep(500);
      }
      assertThat(processed).as("the 4096x4096 frame went through the image stages").isEqualTo(1);
      assertThat(fuzzProcessed).as("every good frame among the fuzzed records").isEqualTo(20);
      assertThat(ServiceIntegrationTest.get(http, base + "/health/readiness"))
          .contains("\"status\":\"UP\"");

      Map<String, Object> consumer =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrap(),
              ConsumerConfig.GROUP_ID_CONFIG, "claim-check-reader",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
              ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        c.subscribe(List.of(Topics.FRAMES_DLQ.name()));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dead.size() < 303 && System.nanoTime() < until) {
          c.poll(Duration.ofMillis(500)).forEach(dead::add);
        }
      }
      List<ConsumerRecord<byte[], byte[]>> fuzzDead =
          dead.stream()
              .filter(
                  r -> fuzzed.stream().anyMatch(f -> java.util.Arrays.equals(f.value(), r.value())))
              .toList();
      assertThat(fuzzDead).as("every fuzzed bad record, once").hasSize(300);
      assertThat(fuzzDead)
          .allMatch(r -> r.headers().lastHeader(Topics.DLQ_KIND) != null)
          .allMatch(r -> r.headers().lastHeader(Topics.DLQ_REASON) != null);
      dead.removeAll(fuzzDead);
      assertThat(dead)
          .extracting(
              r ->
                  new String(
                      r.headers().lastHeader(Topics.DLQ_KIND).value(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder(
              "pixel_ref_checksum_mismatch", "pixel_ref_not_found", "pixel_ref_outside_root");
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        assertThat(r.value().length).as("the claim check itself, not a plane").isLessThan(4096);
        assertThat(bad).anyMatch(b -> java.util.Arrays.equals(b, r.value()));
      }
    }
  }
}
