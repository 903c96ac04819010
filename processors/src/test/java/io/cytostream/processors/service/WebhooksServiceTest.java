package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks through the running service and its embedded broker: the token guards the endpoints (401
 * without it); refused targets (metadata, loopback outside the allowed network, private); a
 * receiver that fails twice gets the event on the third attempt with a valid signature; a receiver
 * that always fails ends on {@code webhooks.dlq} with the reason; the subscriptions survive a
 * restart; the README's curl and Python receiver work as written.
 */
class WebhooksServiceTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final String SECRET = "a-long-random-secret-of-yours";
  private static final String FOV = "wh/fov";

  private final HttpClient http = HttpClient.newHttpClient();

  /** What the test receiver saw. */
  record Hit(Map<String, String> headers, byte[] body, int answered) {}

  @Test
  void subscriptionsDeliverSignedRetryDeadLetterAndSurviveARestart(@TempDir Path dir)
      throws Exception {
    List<Hit> hits = new CopyOnWriteArrayList<>();
    AtomicInteger flaky = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          int status = flaky.incrementAndGet() <= 2 ? 500 : 200; // fails twice, then takes it
          Map<String, String> h = new HashMap<>();
          ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
          hits.add(new Hit(h, body, status));
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    receiver.createContext(
        "/down",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    receiver.start();
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
    Map<String, Object> props = new HashMap<>();
    props.put("kafka.streams.default.num.stream.threads", 1);
    props.put("cytostream.api.token", TOKEN);
    props.put("cytostream.webhooks.allowed-networks", "127.0.0.1/32");
    props.put("cytostream.webhooks.backoff", "100ms");
    props.put("cytostream.webhooks.max-attempts", 3);
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            null,
            "127.0.0.1",
            0,
            dir.resolve("data"),
            0,
            new SegmenterChoice("classical", Map.of(), null),
            props);
    String hookId;
    String downId;
    try {
      try (ServiceRunner service = ServiceRunner.start(options)) {
        String base = "http://127.0.0.1:" + service.httpPort() + "/subscriptions";
        String body =
            "{\"url\": \""
                + hook
                + "/hook\", \"fov\": \""
                + FOV
                + "\", \"types\": [\"saturation\"],"
                + " \"secret\": \""
                + SECRET
                + "\"}";
        // no token, a wrong token
        assertThat(post(base, null, body).statusCode()).isEqualTo(401);
        assertThat(post(base, "Bearer nope", body).statusCode()).isEqualTo(401);
        HttpResponse<String> noToken = send(HttpRequest.newBuilder(URI.create(base)).GET(), null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("\"error\"");
        assertThat(noToken.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        // refused targets: metadata, loopback outside the allowed 127.0.0.1/32, private, link-local
        for (String bad :
            List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://127.0.0.2:8080/x",
                "http://[::1]:8080/x",
                "http://10.1.2.3/x",
                "http://169.254.10.1/x",
                "http://metadata.google.internal/x",
                "ftp://example.org/x")) {
          HttpResponse<String> r =
              post(
                  base,
                  "Bearer " + TOKEN,
                  "{\"url\": \"" + bad + "\", \"secret\": \"" + SECRET + "\"}");
          assertThat(r.statusCode()).as(bad).isEqualTo(400);
          assertThat(r.body()).as(bad).contains("target refused");
        }
        HttpResponse<String> created = post(base, "Bearer " + TOKEN, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode sub = Json.mapper().readTree(created.body());
        hookId = sub.get("id").asText();
        assertThat(sub.get("secret").asText()).isEqualTo(SECRET);
        HttpResponse<String> down =
            post(base, "Bearer " + TOKEN, "{\"url\": \"" + hook + "/down\", \"type\": \"spike\"}");
        assertThat(down.statusCode()).isEqualTo(201);
        downId = Json.mapper().readTree(down.body()).get("id").asText();
        assertThat(Json.mapper().readTree(down.body()).get("secret").asText())
            .as("a generated secret")
            .hasSizeGreaterThanOrEqualTo(32);
        String listed = send(HttpRequest.newBuilder(URI.create(base)).GET(), TOKEN).body();
        assertThat(listed).contains(hookId, downId).doesNotContain("secret");

        WebhookDispatcher dispatcher = service.context().getBean(WebhookDispatcher.class);
        await(dispatcher::assigned, "the dispatcher's partitions");
        AnomalyEvent saturation = event("saturation", 5, 0);
        publish(service.bootstrap(), saturation);
        publish(service.bootstrap(), event("spike", 6, 3)); // only for /down
        await(() -> hits.size() >= 3, "three attempts at /hook");
        Hit third = hits.get(2);
        assertThat(hits).extracting(Hit::answered).containsExactly(500, 500, 200);
        assertThat(third.headers().get("x-cytostream-attempt")).isEqualTo("3");
        assertThat(third.headers().get("x-cytostream-event-id")).isEqualTo(saturation.id());
        assertThat(third.headers().get("content-type")).isEqualTo("application/cloudevents+json");
        assertThat(
                WebhookSignature.verify(
                    SECRET,
                    third.headers().get("x-cytostream-signature"),
                    third.body(),
                    Instant.now().getEpochSecond(),
                    300))
            .as("signature of the third attempt")
            .isTrue();
        assertThat(Json.mapper().readValue(third.body(), AnomalyEvent.class)).isEqualTo(saturation);

        ConsumerRecord<String, byte[]> dead = firstDeadLetter(service.bootstrap());
        assertThat(dead.key()).isEqualTo(downId);
        assertThat(header(dead, Topics.WEBHOOK_DLQ_REASON)).contains("HTTP 503");
        assertThat(header(dead, Topics.WEBHOOK_DLQ_ATTEMPTS)).isEqualTo("3");
        assertThat(header(dead, Topics.WEBHOOK_DLQ_URL)).isEqualTo(hook + "/down");
        assertThat(Json.mapper().readTree(dead.value()).get("data").get("kind").asText())
            .isEqualTo("spike");
        String prometheus =
            send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.httpPort() + "/prometheus"))
                        .GET(),
                    null)
                .body();
        assertThat(prometheus)
            .contains("cytostream_webhook_deliveries_total{outcome=\"delivered\"} 1.0")
            .contains("cytostream_webhook_deliveries_total{outcome=\"dead_lettered\"} 1.0")
            .contains("cytostream_webhook_subscriptions 2.0");
        assertThat(hits).hasSize(3).as("the spike did not go to /hook");
      }

      // a new instance on the same broker data reads the subscriptions back
      try (ServiceRunner service = ServiceRunner.start(options)) {
        String base = "http://127.0.0.1:" + service.httpPort() + "/subscriptions";
        String listed = send(HttpRequest.newBuilder(URI.create(base)).GET(), TOKEN).body();
        assertThat(listed).contains(hookId, downId);
        assertThat(
                send(HttpRequest.newBuilder(URI.create(base + "/" + downId)).DELETE(), TOKEN)
                    .statusCode())
            .isEqualTo(204);
        assertThat(
                send(HttpRequest.newBuilder(URI.create(base + "/" + downId)).GET(), TOKEN)
                    .statusCode())
            .isEqualTo(404);
        // the README's receiver and curl, as written (host, port and target replaced)
        String python = ClosedLoopTest.python("json");
        if (python != null) {
          readmeExampleDelivers(service, dir, python);
        }
        WebhookDispatcher dispatcher = service.context().getBean(WebhookDispatcher.class);
        await(dispatcher::assigned, "the dispatcher's partitions after the restart");
        AnomalyEvent later = event("saturation", 40, 0);
        publish(service.bootstrap(), later);
        await(() -> hits.size() >= 4, "delivery after the restart");
        assertThat(hits.get(3).headers().get("x-cytostream-event-id")).isEqualTo(later.id());
        assertThat(hits.get(3).headers().get("x-cytostream-subscription")).isEqualTo(hookId);
      }
    } finally {
      receiver.stop(0);
    }
  }

  private void readmeExampleDelivers(ServiceRunner service, Path dir, String python)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path hook = Path.of("..", "ingest", "python").toAbsolutePath().normalize();
    Path out = dir.resolve("receiver.txt");
    String receiverCmd = readmeBlock("webhook-receiver").trim();
    assertThat(receiverCmd).startsWith("python3 ingest/python/examples/webhook_receiver.py 8000 ");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                receiverCmd
                        .replace("python3 ", python + " ")
                        .replace("ingest/python/", hook + "/")
                        .replace(" 8000 ", " " + port + " ")
                    + " 1")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("PYTHONPATH", hook.toString());
    Process receiver = pb.start();
    try {
      await(() -> read(out).contains("listening on"), "the Python receiver");
      String curl =
          readmeBlock("webhook-curl")
              .replace("127.0.0.1:8080", "127.0.0.1:" + service.httpPort())
              .replace("https://lab.example.org/cytostream-hook", "http://127.0.0.1:" + port + "/");
      ProcessBuilder c = new ProcessBuilder("bash", "-c", curl).redirectErrorStream(true);
      c.environment().put("CYTOSTREAM_API_TOKEN", TOKEN);
      Process p = c.start();
      String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(answer).contains("\"id\"").contains("\"types\":[\"saturation\",\"spike\"]");
      WebhookDispatcher dispatcher = service.context().getBean(WebhookDispatcher.class);
      await(dispatcher::assigned, "the dispatcher's partitions");
      AnomalyEvent e =
          AnomalyEvent.of(
              Instant.now(),
              new AnomalyEvent.Data(
                  "exp42/pos03", 12, 0, "saturation", "saturated_fraction", 0.2, 0.01, "test"));
      publish(service.bootstrap(), e);
      assertThat(receiver.waitFor(60, TimeUnit.SECONDS)).as(read(out)).isTrue();
      assertThat(read(out)).contains("verified " + e.id() + " io.cytostream.anomaly.saturation");
    } finally {
      receiver.destroy();
    }
  }

  /** The code block after {@code <!-- example:NAME -->} in the README. */
  static String readmeBlock(String name) throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int at = text.indexOf("<!-- example:" + name + " -->");
    assertThat(at).as("README marker example:" + name).isNotNegative();
    int start = text.indexOf("```", at);
    start = text.indexOf('\n', start) + 1;
    int end = text.indexOf("```", start);
    return text.substring(start, end).replace("\\\n", " ");
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static AnomalyEvent event(String kind, long frame, long track) {
    return AnomalyEvent.of(
        Instant.parse("2026-11-23T10:00:00Z").plusSeconds(frame),
        new AnomalyEvent.Data(FOV, frame, track, kind, "statistic", 7.5, 5.0, "test " + kind));
  }

  private static void publish(String bootstrap, AnomalyEvent e) throws Exception {
    try (KafkaProducer<String, AnomalyEvent> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            Topics.EVENTS_ANOMALY.valueSerde().serializer())) {
      p.send(new ProducerRecord<>(Topics.EVENTS_ANOMALY.name(), e.data().fov(), e)).get();
    }
  }

  private static ConsumerRecord<String, byte[]> firstDeadLetter(String bootstrap) {
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "wh-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.WEBHOOKS_DLQ.name()));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (dead.isEmpty() && System.nanoTime() < until) {
        c.poll(Duration.ofMillis(300)).forEach(dead::add);
      }
    }
    assertThat(dead).as("a dead letter").isNotEmpty();
    return dead.get(0);
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> post(String url, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return untilLoaded(b.build());
  }

  /**
   * Sends, and again while the service answers 503 "still loading" (documented: the subscriptions
   * are read from their topic at start-up; a client tries again), for up to 60 s.
   */
  private HttpResponse<String> untilLoaded(HttpRequest request) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 503
          || !r.body().contains("still loading")
          || System.nanoTime() > until) {
        return r;
      }
      Thread.sleep(250);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String token) throws Exception {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return untilLoaded(b.build());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(until);
      Thread.sleep(50);
    }
  }
}
