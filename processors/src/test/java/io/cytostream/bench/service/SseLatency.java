package io.cytostream.bench.service;

import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.service.ServiceRunner;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Event → SSE client latency: the service on its embedded broker, one {@code GET /events/stream}
 * client, and a producer that writes anomaly events to {@code events.anomaly} at a steady rate; for
 * each event, the time from just before its send to the client reading its {@code data:} line (one
 * JVM, one clock). Mode {@code transactional} publishes like the pipeline does (exactly-once: each
 * event in a transaction, committed every {@code commit.interval.ms} = 200 ms, visible to the
 * read-committed stream only then); mode {@code plain} without transactions, i.e. the stream's own
 * cost.
 *
 * <p>Run (repository root; the classpath as in docs/REPRODUCE.md):
 *
 * <pre>
 * java -cp processors/target/test-classes:processors/target/classes:$(cat /tmp/cp.txt) \
 *     io.cytostream.bench.service.SseLatency [events=1000] [perSecond=50] [plain|transactional]
 * </pre>
 */
public final class SseLatency {
  private SseLatency() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    boolean tx = args.length > 2 && args[2].equals("transactional");
    Path dir = Files.createTempDirectory("sse-latency");
    try (ServiceRunner service =
        ServiceRunner.start(
            new ServiceRunner.Options(
                null,
                "127.0.0.1",
                0,
                dir,
                0,
                SegmenterChoice.classical(),
                Map.of("kafka.streams.default.num.stream.threads", 1)))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + service.httpPort() + "/events/stream?fov=bench"))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      Map<String, Long> sent = new ConcurrentHashMap<>();
      long[] latency = new long[n];
      CountDownLatch done = new CountDownLatch(n);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                  String line;
                  int i = 0;
                  while ((line = in.readLine()) != null && i < n) {
                    if (line.startsWith("data:")) {
                      long now = System.nanoTime();
                      String id =
                          Json.mapper().readTree(line.substring(5).trim()).get("id").asText();
                      Long t0 = sent.get(id);
                      if (t0 != null) {
                        latency[i++] = now - t0;
                        done.countDown();
                      }
                    }
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      reader.setDaemon(true);
      reader.start();
      Thread.sleep(1000); // the subscription starts at the end of the topics
      Map<String, Object> conf = new HashMap<>();
      conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, service.bootstrap());
      conf.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      if (tx) {
        conf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sse-latency");
        // one batch in flight: transactions v2 bumps the epoch at each commit, and batches still
        // in flight across it were refused (out-of-order sequence) and retried
        conf.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      }
      try (KafkaProducer<String, AnomalyEvent> p =
          new KafkaProducer<>(
              conf, new StringSerializer(), Topics.EVENTS_ANOMALY.valueSerde().serializer())) {
        if (tx) {
          p.initTransactions();
          p.beginTransaction();
        }
        long start = System.nanoTime();
        long lastCommit = start;
        for (int i = 0; i < n; i++) {
          long due = start + i * 1_000_000_000L / rate;
          while (System.nanoTime() < due) {
            Thread.sleep(0, 200_000);
          }
          AnomalyEvent e =
              AnomalyEvent.of(
                  Instant.now(),
                  new AnomalyEvent.Data("bench", i, 1, "spike", "normalised_innovation", 9, 4, ""));
          sent.put(e.id(), System.nanoTime());
          p.send(new ProducerRecord<>(Topics.EVENTS_ANOMALY.name(), "bench", e));
          if (tx && System.nanoTime() - lastCommit >= 200_000_000L) {
            p.commitTransaction();
            p.beginTransaction();
            lastCommit = System.nanoTime();
          }
        }
        if (tx) {
          p.commitTransaction();
        }
      }
      boolean all = done.await(60, TimeUnit.SECONDS);
      long[] got = Arrays.copyOf(latency, n - (int) done.getCount());
      Arrays.sort(got);
      System.out.printf(
          Locale.ROOT,
          "event -> SSE client, %s, %d events at %d/s%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          tx ? "transactional (200 ms commits)" : "plain",
          got.length,
          rate,
          all ? "" : " (some missing!)",
          got[got.length / 2] / 1e6,
          got[(int) Math.min(got.length - 1, Math.floor(got.length * 0.99))] / 1e6,
          got[got.length - 1] / 1e6);
      r.body().close();
    }
  }
}
