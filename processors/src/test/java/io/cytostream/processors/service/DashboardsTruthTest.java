package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cytostream.processors.cli.Main;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboards and alerts are true: the demo runs, a real Prometheus scrapes it with the
 * project's alert rules, one bad frame and one gap are injected, and then every panel query of
 * every dashboard in {@code dashboards/} returns data (at least one sample that is a number), the
 * FOV template variable lists the FOVs, every rule expression evaluates, the dead-letter and gap
 * alerts fire while the burst and stall alerts stay silent, and {@code promtool check metrics} has
 * nothing to say about a live scrape.
 *
 * <p>Needs the {@code prometheus} and {@code promtool} binaries (Debian package {@code
 * prometheus}); without them the test is skipped with a message, unless {@code
 * -Dcytostream.dashboards.required=true} (set by {@code scripts/check-dashboards}) makes it fail.
 * Every query and its result count are written to {@code target/dashboards-truth.txt}.
 */
class DashboardsTruthTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @Timeout(480)
  void everyPanelAndAlertEvaluatesOnALiveDemo(@TempDir Path dir) throws Exception {
    Path prometheus = onPath("prometheus");
    Path promtool = onPath("promtool");
    boolean required = Boolean.getBoolean("cytostream.dashboards.required");
    if (!required) {
      assumeTrue(
          prometheus != null && promtool != null,
          "prometheus/promtool not on PATH (Debian: apt-get install prometheus): dashboards"
              + " test skipped");
    }
    assertThat(prometheus).as("prometheus binary on PATH").isNotNull();
    assertThat(promtool).as("promtool binary on PATH").isNotNull();
    Path repo = repoRoot();
    List<String> report = new ArrayList<>();
    long t0 = System.nanoTime();

    int httpPort = freePort();
    int promPort = freePort();
    StringBuffer demoOut = new StringBuffer();
    CountDownLatch demoUp = new CountDownLatch(1);
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "demo",
                "--duration",
                "300s",
                "--port",
                Integer.toString(httpPort),
                "--broker-port",
                "0",
                "--segmenter",
                "classical",
                "--interval",
                "500",
                "--data-dir",
                dir.resolve("demo").toString())
            .redirectErrorStream(true)
            .start();
    drain(demo.getInputStream(), demoOut, "  demo:", demoUp);
    Process prom = null;
    try {
      assertThat(demoUp.await(120, TimeUnit.SECONDS)).as("demo started:\n" + demoOut).isTrue();
      report.add(String.format(java.util.Locale.ROOT, "%.0f s: demo up", secs(t0)));
      Matcher b = Pattern.compile("broker:\\s+(\\S+)").matcher(demoOut);
      assertThat(b.find()).as("broker address printed").isTrue();
      String bootstrap = b.group(1);

      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "global: {scrape_interval: 2s, evaluation_interval: 2s}",
              "rule_files: ['" + repo.resolve("deploy/prometheus/rules.yml") + "']",
              "scrape_configs:",
              "  - job_name: cytostream",
              "    metrics_path: /prometheus",
              "    static_configs: [{targets: ['127.0.0.1:" + httpPort + "']}]",
              ""));
      prom =
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      String api = "http://127.0.0.1:" + promPort;
      awaitTrue(() -> get(api + "/-/ready").statusCode() == 200, 60, "Prometheus ready");

      // Let the demo's frames flow for a while, then one bad frame and one gap.
      awaitTrue(
          () ->
              numbers(query(api, "sum(cytostream_frames_tracked_total)")).stream()
                  .anyMatch(v -> v >= 10),
          120,
          "10 frames tracked by the demo");
      report.add(String.format(java.util.Locale.ROOT, "%.0f s: demo tracked 10 frames", secs(t0)));
      // The gap's FOV first runs normally until Prometheus has seen its counters at 0 (a counter
      // first scraped at 1 has no increase to show: a gap in a FOV's first scrape interval is
      // invisible to increase(), with or without registration at 0).
      inject(bootstrap, 0, 3);
      awaitTrue(
          () ->
              !numbers(query(api, "cytostream_frames_gaps_total{fov=\"check/gap\"} == 0"))
                  .isEmpty(),
          60,
          "the gap FOV's counter scraped at 0");
      inject(bootstrap, 4, 14);
      awaitTrue(
          () ->
              !numbers(query(api, "sum(cytostream_frames_gaps_total) >= 1")).isEmpty()
                  && !numbers(query(api, "sum(cytostream_dead_letters_total) >= 1")).isEmpty(),
          90,
          "the injected gap and dead letter scraped");
      report.add(
          String.format(java.util.Locale.ROOT, "%.0f s: gap and dead letter scraped", secs(t0)));
      Thread.sleep(6000); // a few more scrapes and rule evaluations

      List<String> failures = new ArrayList<>();
      // Every metric a panel or rule names exists (a misspelt name evaluates to "no data" and an
      // alert on it never fires, e.g. kafka_stream_state_alive_stream_threads did).
      Set<String> names = new TreeSet<>(strings(get(api + "/api/v1/label/__name__/values").body()));
      List<String> exprs = new ArrayList<>();
      String throughputPanel = null;
      // 1. Every panel query of every dashboard.
      List<Path> dashboards;
      try (Stream<Path> s = Files.list(repo.resolve("dashboards"))) {
        dashboards = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      }
      assertThat(dashboards).hasSizeGreaterThanOrEqualTo(3);
      for (Path d : dashboards) {
        Map<String, Object> json = load(d);
        for (Map<String, Object> v : list(((Map<String, Object>) json.get("templating")), "list")) {
          Object q = v.get("query");
          String def = q instanceof Map<?, ?> m ? (String) m.get("query") : (String) q;
          Matcher lv = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)").matcher(def);
          if (lv.matches()) {
            String values =
                get(api
                        + "/api/v1/label/"
                        + lv.group(2)
                        + "/values?match[]="
                        + URLEncoder.encode(lv.group(1), StandardCharsets.UTF_8))
                    .body();
            report.add(d.getFileName() + " variable " + v.get("name") + ": " + values);
            if (!values.contains("demo/fov-1")) {
              failures.add(d.getFileName() + " variable " + v.get("name") + ": " + values);
            }
          }
        }
        for (Map<String, Object> panel : panels(json)) {
          for (Map<String, Object> t : list(panel, "targets")) {
            String expr = substitute((String) t.get("expr"));
            exprs.add(expr);
            if (String.valueOf(panel.get("title")).startsWith("Streams records/s")) {
              throughputPanel = expr;
            }
            String body = query(api, expr);
            List<Double> values = numbers(body);
            long finite = values.stream().filter(x -> !x.isNaN() && !x.isInfinite()).count();
            report.add(
                String.format(
                    java.util.Locale.ROOT,
                    "%s | %s | %s | %d series, %d finite | %s",
                    d.getFileName(),
                    panel.get("title"),
                    t.get("refId"),
                    values.size(),
                    finite,
                    expr));
            if (!body.contains("\"status\":\"success\"") || finite == 0) {
              failures.add(
                  d.getFileName() + " panel '" + panel.get("title") + "' " + expr + " -> " + body);
            }
          }
        }
      }
      // 2. Every rule expression evaluates; which alerts fire.
      Map<String, Object> rules = load(repo.resolve("deploy/prometheus/rules.yml"));
      for (Map<String, Object> group : list(rules, "groups")) {
        for (Map<String, Object> r : list(group, "rules")) {
          String name = (String) (r.containsKey("alert") ? r.get("alert") : r.get("record"));
          exprs.add((String) r.get("expr"));
          String body = query(api, (String) r.get("expr"));
          report.add("rule " + name + " | " + numbers(body).size() + " series | " + r.get("expr"));
          if (!body.contains("\"status\":\"success\"")) {
            failures.add("rule " + name + " -> " + body);
          }
        }
      }
      for (String e : exprs) {
        Matcher m = METRIC.matcher(e.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
          if (!names.contains(m.group())) {
            failures.add("no such metric in the scrape: " + m.group() + " in " + e);
          }
        }
      }
      // The throughput panel counts records read: at least one per frame received (it used to
      // show kafka_streams_process_rate, ~0.06/s while the consumers read 6 records/s).
      assertThat(throughputPanel).as("overview panel 'Streams records/s'").isNotNull();
      double records = numbers(query(api, throughputPanel)).get(0);
      double frames = numbers(query(api, "sum(rate(cytostream_frames_received_total[1m]))")).get(0);
      report.add("Streams records/s " + records + " vs frames received/s " + frames);
      assertThat(records).as("records/s vs frames/s").isGreaterThanOrEqualTo(frames);
      awaitTrue(
          () -> firing(api).containsAll(Set.of("CytostreamDeadLetters", "CytostreamFrameGaps")),
          30,
          "dead-letter and gap alerts firing");
      Set<String> firing = firing(api);
      report.add("alerts firing: " + firing);
      assertThat(firing)
          .as("alerts on a clean demo with one bad frame and one gap")
          .contains("CytostreamDeadLetters", "CytostreamFrameGaps")
          .doesNotContain(
              "CytostreamAnomalyBurst",
              "CytostreamFramesStalled",
              "CytostreamDown",
              "CytostreamStreamsNotRunning");
      // 3. promtool check metrics on a live scrape.
      String scrape = get("http://127.0.0.1:" + httpPort + "/prometheus").body();
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "dashboards-scrape.txt"), scrape, StandardCharsets.UTF_8);
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").start();
      try (OutputStream in = check.getOutputStream()) {
        in.write(scrape.getBytes(StandardCharsets.UTF_8));
      }
      String lint = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      lint += new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
      report.add("promtool check metrics: exit " + check.exitValue() + " " + lint.trim());
      if (check.exitValue() != 0 || !lint.isBlank()) {
        failures.add("promtool check metrics on a live scrape:\n" + lint);
      }
      assertThat(failures).as("dashboard panels, rules and lint").isEmpty();
    } finally {
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target", "dashboards-truth.txt"), report, StandardCharsets.UTF_8);
      if (prom != null) {
        prom.destroy();
        prom.waitFor(30, TimeUnit.SECONDS);
        prom.destroyForcibly();
      }
      demo.destroy();
      if (!demo.waitFor(60, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
  }

  /** Metric names as they appear in the project's queries (label values blanked out first). */
  private static final Pattern METRIC =
      Pattern.compile("\\b(cytostream[_:]|kafka_|jvm_|process_)[a-zA-Z0-9_:]*");

  /** The strings of a JSON answer's data array. */
  static List<String> strings(String body) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(body.substring(body.indexOf('[')));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Grafana's variables as the test evaluates them: every FOV, 1-minute rate windows. */
  static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m")
        .replace("$__interval", "15s")
        .replace("$__range", "5m")
        .replace("$fov", ".*");
  }

  /**
   * Frames {@code from} (inclusive) to {@code to} (exclusive) of FOV check/gap, whose frame 3 never
   * comes; with the first batch, one bad frame (not an envelope).
   */
  private static void inject(String bootstrap, int from, int to) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      if (from == 0) {
        producer.send(
            new ProducerRecord<>(
                Topics.FRAMES_RAW.name(),
                "check/bad".getBytes(StandardCharsets.UTF_8),
                "not a frame".getBytes(StandardCharsets.UTF_8)));
      }
      Random noise = new Random(5 + from);
      for (int t = from; t < to; t++) {
        if (t != 3) {
          producer.send(
              new ProducerRecord<>(
                  Topics.FRAMES_RAW.name(),
                  "check/gap".getBytes(StandardCharsets.UTF_8),
                  FrameCodec.encode(SyntheticFrames.disks("check/gap", t, noise))));
        }
      }
      producer.flush();
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> firing(String api) throws IOException, InterruptedException {
    Map<String, Object> body =
        (Map<String, Object>) new Yaml().load(get(api + "/api/v1/alerts").body());
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> a : list((Map<String, Object>) body.get("data"), "alerts")) {
      if ("firing".equals(a.get("state"))) {
        names.add((String) ((Map<String, Object>) a.get("labels")).get("alertname"));
      }
    }
    return names;
  }

  private static String query(String api, String expr) throws IOException, InterruptedException {
    return get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
        .body();
  }

  /** The sample values of an instant-query answer (NaN included). */
  static List<Double> numbers(String body) {
    List<Double> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]").matcher(body);
    while (m.find()) {
      String v = m.group(1);
      out.add(
          switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
          });
    }
    return out;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path p) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(p, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  /** Panels, those inside rows included. */
  static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> p : list(dashboard, "panels")) {
      if ("row".equals(p.get("type"))) {
        out.addAll(list(p, "panels"));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("dashboards")) ? here : here.getParent();
  }

  private static Path onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, exe);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void drain(InputStream in, StringBuffer out, String marker, CountDownLatch seen) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  out.append(line).append('\n');
                  if (line.startsWith(marker)) {
                    seen.countDown();
                  }
                }
              } catch (IOException e) {
                // the process closed its output
              }
            },
            "demo-output");
    t.setDaemon(true);
    t.start();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check c, int seconds, String what) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Exception last = null;
    while (System.nanoTime() < end) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("timed out waiting for " + what, last);
  }
}
