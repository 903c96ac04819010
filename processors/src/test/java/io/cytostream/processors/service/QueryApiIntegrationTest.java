package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  /** A simulated (confluent) culture, the FOV of the README's examples. */
  static final String FOV_A = "demo/fov-1";

  /** Three disks, an id of one segment. */
  static final String FOV_B = "solo";

  /** Frames per FOV: the normalisation settles after 10, then the model starts. */
  static final int FRAMES = 16;

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
                // the simulated culture is confluent: the classical segmenter's confluent
                // foreground finds its neighbours (the bundled model, v2, merges some of them)
                new SegmenterChoice("classical", Map.of(), null),
                Map.of(
                    "kafka.streams.default.num.stream.threads", 1,
                    "cytostream.partitions", 2,
                    "cytostream.events.stream.heartbeat", "400ms")));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    base = "http://127.0.0.1:" + service.httpPort();
    Random noise = new Random(4);
    SimulationConfig sim =
        SimulationConfig.builder().size(160, 160).cells(14).frames(FRAMES).seed(8).build();
    try (FramePublisher p = FramePublisher.connect(service.bootstrap())) {
      new CultureSimulator(sim)
          .delivered()
          .forEach(
              f ->
                  p.publish(
                      new Frame(
                          FrameHeader.inline(
                              FOV_A,
                              f.index(),
                              Instant.parse("2026-11-29T10:00:00Z").plusSeconds(f.index()),
                              f.width(),
                              f.height(),
                              f.raw().type(),
                              null,
                              1.0,
                              "sim"),
                          f.raw().pixels())));
      for (int t = 0; t < FRAMES; t++) {
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
    assertThat(all.get(1).get("cells").asInt()).isEqualTo(3);

    HttpResponse<String> fov = get("/fovs/" + enc(FOV_A));
    assertThat(fov.statusCode()).as(fov.body()).isEqualTo(200);
    assertThat(fov.headers().firstValue("content-type").orElse("")).contains("application/json");
    assertThat(json(fov).get("fov").asText()).isEqualTo(FOV_A);
    // an id of one segment needs no encoding
    assertThat(json(get("/fovs/" + FOV_B + "/cells")).get("cells")).hasSize(3);

    JsonNode cells = json(get("/fovs/" + enc(FOV_A) + "/cells"));
    assertThat(cells.findValues("present").stream().filter(JsonNode::asBoolean).count())
        .isEqualTo(all.get(0).get("cells").asLong());
    JsonNode c0 = cells.get("cells").get(0);
    assertThat(c0.get("centroidX").isNumber()).isTrue();
    assertThat(c0.get("areaPx").asInt()).isPositive();
    assertThat(c0.has("intensity")).isTrue();
    assertThat(c0.has("series")).isFalse();
    // some interior cell has its own k_i and γ_i with errors, and an innovation
    assertThat(cells.get("cells"))
        .anySatisfy(
            c -> {
              assertThat(c.path("k").isNumber()).isTrue();
              assertThat(c.path("gammaStandardError").isNumber()).isTrue();
              assertThat(c.path("innovation").isNumber()).isTrue();
            });

    long track = c0.get("track").asLong();
    JsonNode cell = json(get("/fovs/" + enc(FOV_A) + "/cells/" + track));
    assertThat(cell.get("fov").asText()).isEqualTo(FOV_A);
    assertThat(cell.get("track").asLong()).isEqualTo(track);
    JsonNode series = cell.get("series");
    assertThat(series.size()).isPositive();
    assertThat(series.get(0).has("yPredicted")).isTrue();
    assertThat(series.get(series.size() - 1).get("frame").asLong())
        .isEqualTo(cell.get("lastFrame").asLong());
    assertThat(cell.get("events"))
        .extracting(e -> e.get("type").asText())
        .contains("io.cytostream.lifecycle.birth");

    JsonNode consensus = json(get("/fovs/" + enc(FOV_A) + "/consensus"));
    assertThat(consensus.get("fov").asText()).isEqualTo(FOV_A);
    assertThat(consensus.get("k").isNumber()).isTrue();
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() throws Exception {
    HttpResponse<String> r = get("/openapi.yml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("openapi: 3.")
        .contains("/events/stream:")
        .contains("/fovs:")
        .contains("/fovs/{fov}/cells/{track}:")
        .contains("/fovs/{fov}/consensus:");
  }

  @Test
  void unknownOrMalformedIdsAreJsonErrors() throws Exception {
    for (String[] c :
        new String[][] {
          {"/fovs/" + enc("no/such-fov"), "404", "unknown FOV"},
          {"/fovs/" + enc("no/such-fov") + "/cells", "404", "unknown FOV"},
          {"/fovs/" + enc(FOV_A) + "/cells/999999", "404", "unknown cell"},
          {"/fovs/" + enc(FOV_A) + "/cells/seventeen", "400", "track must be a number"},
          {"/fovs/bad%20fov", "400", "fov"},
        }) {
      HttpResponse<String> r = get(c[0]);
      assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(Integer.parseInt(c[1]));
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
  void anIdleStreamSendsCommentsOnly() throws Exception {
    try (SseClient c = SseClient.connect(http, base + "/events/stream?fov=idle%2Ffov", null)) {
      // the heartbeat is 400 ms in this test
      assertThat(c.next(Duration.ofMillis(1200))).isNull();
      assertThat(c.comments()).isPositive();
    }
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

  /**
   * The {@code curl} lines of a README section's code blocks, as argument lists (single quotes
   * understood). Lines that send data ({@code -X}, {@code -d}) are not GET examples of this API and
   * are left to their own tests.
   */
  static List<List<String>> curlLines(String readme, String section) {
    int start = readme.indexOf("\n## " + section + "\n");
    assertThat(start).as("README section " + section).isNotNegative();
    int end = readme.indexOf("\n## ", start + 4);
    String text = readme.substring(start, end < 0 ? readme.length() : end);
    List<List<String>> out = new ArrayList<>();
    boolean inCode = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      if (!inCode || !line.startsWith("curl ")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
      while (m.find()) {
        args.add(m.group(1) != null ? m.group(1) : m.group(2));
      }
      if (args.contains("-X") || args.contains("-d") || args.contains("--data")) {
        continue;
      }
      out.add(args);
    }
    return out;
  }

  @Test
  void theReadmeExamplesWork() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<List<String>> sse = curlLines(readme, "Subscribe to events");
    List<List<String>> query = curlLines(readme, "Query cells");
    assertThat(sse).hasSizeGreaterThanOrEqualTo(2);
    assertThat(query).hasSizeGreaterThanOrEqualTo(5);
    for (List<String> curl : query) {
      String url = curl.get(curl.size() - 1).replace("http://127.0.0.1:8080", base);
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
      assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
      JsonNode body = json(r);
      if (!url.endsWith("/fovs")) {
        assertThat(body.get("fov").asText()).as(url).isEqualTo(FOV_A);
      }
    }
    int i = 0;
    for (List<String> curl : sse) {
      assertThat(curl).contains("-N");
      String url = curl.get(curl.size() - 1).replace("http://127.0.0.1:8080", base);
      int h = curl.indexOf("-H");
      String lastId = h < 0 ? null : curl.get(h + 1).replaceFirst("^Last-Event-ID: ", "");
      try (SseClient c = SseClient.connect(http, url, lastId)) {
        assertThat(c.status()).as(url).isEqualTo(200);
        Thread.sleep(500);
        // a birth in the README's FOV, as the pipeline would publish it, reaches the subscriber
        LifecycleEvent birth =
            LifecycleEvent.of(
                Instant.now(),
                new LifecycleEvent.Data(
                    FOV_A, 5000 + i++, 4242, "birth", List.of(), 1.0, 2.0, false, "readme"));
        try (KafkaProducer<String, LifecycleEvent> p =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", service.bootstrap()),
                new StringSerializer(),
                Topics.CELLS_LIFECYCLE.valueSerde().serializer())) {
          p.send(new ProducerRecord<>(Topics.CELLS_LIFECYCLE.name(), FOV_A, birth)).get();
        }
        boolean got = false;
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!got && System.nanoTime() < until) {
          SseClient.Frame f = c.next(Duration.ofSeconds(1));
          got = f != null && Json.mapper().readTree(f.data()).get("id").asText().equals(birth.id());
        }
        assertThat(got).as(url).isTrue();
      }
    }
  }
}
