package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.Topics;
import java.net.URI;
import java.net.URLEncoder;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API and the event stream of one service on the embedded broker: two FOVs of synthetic
 * frames go through the pipeline; the API answers for them and their cells, with JSON errors for
 * what does not exist; the SSE stream delivers the events on the topics, filtered, and a client
 * that reconnects with its last event id gets every event it missed exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIntegrationTest {
  static final String FOV_A = "api/fov-1";
  static final String FOV_B = "api/fov-2";
  static final int FRAMES = 6;

  @TempDir static Path dir;
  ServiceRunner service;
  HttpClient http;
  String base;

  @BeforeAll
  void start() throws Exception {
    service =
        ServiceRunner.start(
            new ServiceRunner.Options(
                null,
                "127.0.0.1",
                0,
                dir,
                0,
                SegmenterChoice.classical(),
                Map.of(
                    "kafka.streams.default.num.stream.threads", 1,
                    "cytostream.partitions", 2,
                    "cytostream.events.stream.heartbeat", "1s")));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    base = "http://127.0.0.1:" + service.httpPort();
    Random noise = new Random(4);
    try (FramePublisher p = FramePublisher.connect(service.bootstrap())) {
      for (int t = 0; t < FRAMES; t++) {
        p.publish(SyntheticFrames.disks(FOV_A, t, noise));
        p.publish(SyntheticFrames.disks(FOV_B, t, noise));
      }
      p.flush();
    }
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      HttpResponse<String> r = get("/fovs");
      if (r.statusCode() == 200) {
        JsonNode all = Json.mapper().readTree(r.body());
        if (all.size() == 2
            && all.get(0).get("lastFrame").asLong() >= FRAMES - 3
            && all.get(1).get("lastFrame").asLong() >= FRAMES - 3) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the FOVs did not reach the query views: " + get("/fovs").body());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String fov) {
    return URLEncoder.encode(fov, StandardCharsets.UTF_8);
  }

  JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  @Test
  void fovsAndTheirCellsAreAnswered() throws Exception {
    JsonNode all = json(get("/fovs"));
    assertThat(all).extracting(n -> n.get("fov").asText()).containsExactly(FOV_A, FOV_B);
    assertThat(all.get(0).get("cells").asInt()).isEqualTo(3);

    HttpResponse<String> fov = get("/fovs/" + enc(FOV_A));
    assertThat(fov.statusCode()).isEqualTo(200);
    assertThat(fov.headers().firstValue("content-type").orElse("")).contains("application/json");
    assertThat(json(fov).get("fov").asText()).isEqualTo(FOV_A);
    // an unencoded slash is understood too
    assertThat(json(get("/fovs/" + FOV_A)).get("fov").asText()).isEqualTo(FOV_A);

    JsonNode cells = json(get("/fovs/" + enc(FOV_A) + "/cells"));
    assertThat(cells.get("cells")).hasSize(3);
    JsonNode c0 = cells.get("cells").get(0);
    assertThat(c0.get("centroidX").isNumber()).isTrue();
    assertThat(c0.get("areaPx").asInt()).isBetween(200, 700);
    assertThat(c0.has("intensity")).isTrue();
    assertThat(c0.has("series")).isFalse();

    long track = c0.get("track").asLong();
    JsonNode cell = json(get("/fovs/" + enc(FOV_A) + "/cells/" + track));
    assertThat(cell.get("fov").asText()).isEqualTo(FOV_A);
    assertThat(cell.get("track").asLong()).isEqualTo(track);
    JsonNode series = cell.get("series");
    assertThat(series.size()).isGreaterThanOrEqualTo(FRAMES - 3);
    assertThat(series.get(0).has("yPredicted")).isTrue();
    assertThat(series.get(series.size() - 1).get("frame").asLong())
        .isEqualTo(cell.get("lastFrame").asLong());
    assertThat(cell.get("events"))
        .extracting(e -> e.get("type").asText())
        .contains("io.cytostream.lifecycle.birth");

    HttpResponse<String> consensus = get("/fovs/" + enc(FOV_A) + "/consensus");
    assertThat(consensus.statusCode()).isIn(200, 404);
    assertThat(json(consensus).has(consensus.statusCode() == 200 ? "k" : "error")).isTrue();
  }

  @Test
  void unknownOrMalformedIdsAreJsonErrors() throws Exception {
    for (String[] c :
        new String[][] {
          {"/fovs/" + enc("no/such-fov"), "404", "unknown FOV"},
          {"/fovs/" + enc("no/such-fov") + "/cells", "404", "unknown FOV"},
          {"/fovs/" + enc(FOV_A) + "/cells/999999", "404", "unknown cell"},
          {"/fovs/" + enc(FOV_A) + "/cells/seventeen", "400", "track must be a number"},
          {"/fovs/" + enc("bad fov!"), "400", "fov"},
        }) {
      HttpResponse<String> r = get(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
      assertThat(r.headers().firstValue("content-type").orElse("")).contains("application/json");
      JsonNode e = json(r);
      assertThat(e.get("status").asInt()).isEqualTo(r.statusCode());
      assertThat(e.get("error").asText()).as(c[0]).contains(c[2]);
    }
  }

  /** Publishes anomaly events straight to the topic, as the pipeline would. */
  List<AnomalyEvent> publishAnomalies(String fov, int from, int n, double value) throws Exception {
    List<AnomalyEvent> out = new ArrayList<>();
    try (KafkaProducer<String, AnomalyEvent> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", service.bootstrap()),
            new StringSerializer(),
            Topics.EVENTS_ANOMALY.valueSerde().serializer())) {
      for (int i = from; i < from + n; i++) {
        AnomalyEvent e =
            AnomalyEvent.of(
                Instant.now(),
                new AnomalyEvent.Data(
                    fov,
                    1000 + i,
                    7,
                    "spike",
                    "normalised_innovation",
                    value,
                    4.0,
                    "test spike " + i));
        p.send(new ProducerRecord<>(Topics.EVENTS_ANOMALY.name(), fov, e)).get();
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void aClientThatReconnectsWithItsLastIdMissesNothing() throws Exception {
    String fov = "sse/resume";
    String url = base + "/events/stream?fov=" + enc(fov);
    List<String> seen = new ArrayList<>();
    String lastId;
    try (SseClient c = SseClient.connect(http, url, null)) {
      assertThat(c.status()).isEqualTo(200);
      Thread.sleep(500); // the subscription starts at the topics' ends
      List<AnomalyEvent> sent = publishAnomalies(fov, 0, 5, 8.0);
      List<SseClient.Frame> got = c.next(3, Duration.ofSeconds(20));
      assertThat(got).hasSize(3);
      for (SseClient.Frame f : got) {
        assertThat(f.event()).isEqualTo("anomaly");
        seen.add(Json.mapper().readTree(f.data()).get("id").asText());
      }
      // the data is the CloudEvent exactly as on the topic
      assertThat(got.get(0).data())
          .isEqualTo(
              new String(
                  Topics.EVENTS_ANOMALY.valueSerde().serializer().serialize("t", sent.get(0)),
                  StandardCharsets.UTF_8));
      lastId = got.get(2).id();
    }
    // while disconnected, more events happen
    publishAnomalies(fov, 5, 4, 8.0);
    try (SseClient c = SseClient.connect(http, url, lastId)) {
      List<SseClient.Frame> got = c.next(6, Duration.ofSeconds(20));
      for (SseClient.Frame f : got) {
        seen.add(Json.mapper().readTree(f.data()).get("id").asText());
      }
      assertThat(c.next(Duration.ofMillis(500))).isNull();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      expected.add(
          AnomalyEvent.of(
                  Instant.now(),
                  new AnomalyEvent.Data(
                      fov, 1000 + i, 7, "spike", "normalised_innovation", 0, 0, ""))
              .id());
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    // every subscriber's reader is gone once its client is
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    EventStreamController sse = service.context().getBean(EventStreamController.class);
    while (sse.openStreams() > 0 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(sse.openStreams()).isZero();
  }

  @Test
  void filtersSelectByFovTypeAndScore() throws Exception {
    String fov = "sse/filter";
    try (SseClient weak =
            SseClient.connect(
                http, base + "/events/stream?fov=" + enc(fov) + "&minScore=1.5", null);
        SseClient births =
            SseClient.connect(
                http, base + "/events/stream?from=earliest&type=birth&fov=" + enc(FOV_B), null)) {
      Thread.sleep(500);
      publishAnomalies(fov, 0, 2, 4.4); // score 1.1: left out
      publishAnomalies(fov, 2, 1, -8.0); // score 2: in
      SseClient.Frame f = weak.next(Duration.ofSeconds(20));
      assertThat(f).isNotNull();
      assertThat(Json.mapper().readTree(f.data()).get("data").get("frame").asLong())
          .isEqualTo(1002);
      assertThat(weak.next(Duration.ofMillis(300))).isNull();
      // from the oldest retained: FOV B's three births, life events, nothing else
      List<SseClient.Frame> b = births.next(3, Duration.ofSeconds(20));
      assertThat(b).hasSize(3);
      assertThat(b)
          .allSatisfy(
              x -> {
                assertThat(x.event()).isEqualTo("lifecycle");
                JsonNode e = Json.mapper().readTree(x.data());
                assertThat(e.get("data").get("fov").asText()).isEqualTo(FOV_B);
                assertThat(e.get("data").get("kind").asText()).isEqualTo("birth");
              });
      assertThat(births.next(Duration.ofMillis(300))).isNull();
    }
    HttpResponse<String> bad = get("/events/stream?minScore=high");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).contains("minScore");
    HttpResponse<String> badId =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/events/stream"))
                .header("Last-Event-ID", "x:1")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badId.statusCode()).isEqualTo(400);
  }
}
