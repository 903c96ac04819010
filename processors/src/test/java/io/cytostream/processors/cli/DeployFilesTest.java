package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files start what they say: the Dockerfile's default command runs (it used to
 * advertise 0.0.0.0 and exit), its HTTP server answers the probes the Kubernetes manifest uses, the
 * image tags are the project version that {@code --version} prints, the manifest probes liveness
 * and readiness separately and has a headless service, compose has health checks, restart policies
 * and provisioned dashboards; {@code serve} against an unreachable Kafka fails in one line; the
 * files validate against the Compose and Kubernetes schemas (when the validator is installed).
 */
class DeployFilesTest {
  private static final Path REPO = repoRoot();
  private static final String GLOBAL_WARN = "Processing exception handler is not enabled";

  static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("deploy")) ? here : here.getParent();
  }

  /** The project version from the parent pom. */
  static String pomVersion() throws IOException {
    String pom = Files.readString(REPO.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("<artifactId>cytostream-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void versionIsTheProjectVersion() throws IOException {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--version");
    assertThat(code).isZero();
    assertThat(out.toString().trim()).isEqualTo("cytostream " + pomVersion());
  }

  @Test
  void imageTagsAreTheProjectVersion() throws IOException {
    String image = "cytostream:" + pomVersion();
    assertThat(Files.readString(REPO.resolve("deploy/Dockerfile"))).contains("-t " + image + " ");
    Map<String, Object> compose = yaml(REPO.resolve("deploy/compose.yaml")).get(0);
    assertThat(map(map(compose, "services"), "cytostream").get("image")).isEqualTo(image);
    Map<String, Object> sts = kind("StatefulSet");
    List<Map<String, Object>> containers =
        list(map(map(map(sts, "spec"), "template"), "spec"), "containers");
    assertThat(containers).extracting(c -> c.get("image")).containsOnly(image);
  }

  @Test
  void kubernetesProbesHeadlessServiceAndExternalKafka() throws IOException {
    Map<String, Object> sts = kind("StatefulSet");
    Map<String, Object> spec = map(sts, "spec");
    Map<String, Object> c = list(map(map(spec, "template"), "spec"), "containers").get(0);
    assertThat(map(map(c, "livenessProbe"), "httpGet").get("path")).isEqualTo("/health/liveness");
    assertThat(map(map(c, "readinessProbe"), "httpGet").get("path")).isEqualTo("/health/readiness");
    assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
    assertThat(c.get("args").toString()).contains("--bootstrap");
    // the StatefulSet's governing service is headless
    Map<String, Object> headless = null;
    for (Map<String, Object> s : all("Service")) {
      if (map(s, "metadata").get("name").equals(spec.get("serviceName"))) {
        headless = s;
      }
    }
    assertThat(headless).as("service " + spec.get("serviceName")).isNotNull();
    assertThat(map(headless, "spec").get("clusterIP")).isEqualTo("None");
    // HTTP listens on every interface in the pod (probes come from the kubelet)
    Map<String, Object> config = kind("ConfigMap");
    assertThat(map(config, "data").get("CYTOSTREAM_HTTP_HOST")).isEqualTo("0.0.0.0");
    assertThat(map(config, "data")).containsKey("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void composeHasHealthChecksRestartPoliciesAndProvisionedDashboards() throws IOException {
    Map<String, Object> services =
        map(yaml(REPO.resolve("deploy/compose.yaml")).get(0), "services");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      assertThat(s).as(e.getKey()).containsKey("healthcheck").containsKey("restart");
    }
    assertThat(map(map(map(services, "cytostream"), "depends_on"), "kafka").get("condition"))
        .isEqualTo("service_healthy");
    assertThat(map(map(services, "cytostream"), "environment").get("CYTOSTREAM_HTTP_HOST"))
        .isEqualTo("0.0.0.0");
    @SuppressWarnings("unchecked")
    List<String> volumes = (List<String>) map(services, "grafana").get("volumes");
    assertThat(volumes)
        .contains(
            "./grafana/provisioning:/etc/grafana/provisioning:ro",
            "../dashboards:/var/lib/grafana/dashboards:ro");
    Map<String, Object> provider =
        list(
                yaml(REPO.resolve("deploy/grafana/provisioning/dashboards/cytostream.yml")).get(0),
                "providers")
            .get(0);
    assertThat(map(provider, "options").get("path")).isEqualTo("/var/lib/grafana/dashboards");
    try (var files = Files.list(REPO.resolve("dashboards"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains(
              "cytostream-overview.json", "cytostream-science.json", "cytostream-operations.json");
    }
  }

  /** What scripts/validate-deploy runs, when its npm packages are installed. */
  @Test
  void composeAndKubernetesFilesValidateAgainstTheirSchemas() throws Exception {
    Path validate = REPO.resolve("deploy/validate");
    assumeTrue(
        Files.isDirectory(validate.resolve("node_modules")),
        "deploy/validate/node_modules missing (npm ci --prefix deploy/validate): schema validation"
            + " skipped");
    Process p =
        new ProcessBuilder("node", validate.resolve("validate.mjs").toString(), REPO.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("OK   deploy/compose.yaml").contains("StatefulSet/cytostream");
  }

  /** The alert rules are valid and their unit tests pass (when promtool is installed). */
  @Test
  void alertRulesPassPromtool() throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool not installed (Debian: apt-get install prometheus): rule tests skipped");
    Path dir = REPO.resolve("deploy/prometheus");
    for (List<String> cmd :
        List.of(
            List.of("promtool", "check", "rules", "rules.yml"),
            List.of("promtool", "test", "rules", "rules.test.yml"))) {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
  }

  /**
   * The Dockerfile's ENTRYPOINT + CMD, with its environment, start the service (with free ports and
   * a temporary data folder instead of the image's): it says where HTTP listens, answers the
   * liveness and readiness probes, and Kafka Streams does not warn about its GlobalThread handler.
   */
  @Test
  @Timeout(240)
  void dockerfileDefaultCommandStarts(@TempDir Path dir) throws Exception {
    String dockerfile = Files.readString(REPO.resolve("deploy/Dockerfile"));
    List<String> entry = jsonArray(dockerfile, "ENTRYPOINT");
    List<String> cmd = jsonArray(dockerfile, "CMD");
    assertThat(entry).endsWith("-jar", "/opt/cytostream/cytostream.jar");
    Map<String, String> env = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^ENV (\\w+)=(\\S+)$").matcher(dockerfile);
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
    assertThat(env).containsEntry("CYTOSTREAM_HTTP_HOST", "0.0.0.0");
    env.remove("CYTOSTREAM_DATA_DIR");
    List<String> args = new ArrayList<>(cmd);
    args.addAll(List.of("--port", "0", "--broker-port", "0", "--data-dir", dir.toString()));
    ProcessBuilder pb = command(args);
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    StringBuffer out = new StringBuffer();
    // Not closed by try-with-resources: the drain thread holds the reader's lock while it reads;
    // destroying the child ends its output, and the drain thread with it.
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      Matcher l = readUntilHealth(r, out);
      assertThat(l.group(1)).isEqualTo("0.0.0.0");
      int port = Integer.parseInt(l.group(2));
      drain(r, out, 0);
      assertThat(awaitStatus("http://127.0.0.1:" + port + "/health/liveness", 60)).isEqualTo(200);
      assertThat(awaitStatus("http://127.0.0.1:" + port + "/health/readiness", 90)).isEqualTo(200);
      assertThat(listeningAddress(port)).as("bound address").isIn("0.0.0.0", "::", "unknown");
      assertThat(out.toString()).doesNotContain(GLOBAL_WARN);
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * Reads the service's start-up lines up to the one naming /health, into {@code out}; returns the
   * match of its "listening on HOST:PORT" line (group 1 the host, 2 the port).
   */
  private static Matcher readUntilHealth(BufferedReader r, StringBuffer out) throws IOException {
    String line;
    while ((line = r.readLine()) != null) {
      out.append(line).append('\n');
      if (line.startsWith("  health:")) {
        break;
      }
    }
    Matcher l = Pattern.compile("listening on (\\S+):(\\d+)").matcher(out);
    assertThat(l.find()).as("HTTP address printed:\n" + out).isTrue();
    return l;
  }

  /**
   * {@code serve} with the default HTTP host listens on 127.0.0.1 only, and says so; and Kafka
   * Streams does not warn about the GlobalThread's processing exception handler.
   */
  @Test
  @Timeout(240)
  void httpBindsLoopbackByDefault(@TempDir Path dir) throws Exception {
    ProcessBuilder pb =
        command(
            List.of("serve", "--port", "0", "--broker-port", "0", "--data-dir", dir.toString()));
    pb.environment().remove("CYTOSTREAM_HTTP_HOST");
    Process p = pb.redirectErrorStream(true).start();
    StringBuffer out = new StringBuffer();
    // Not closed by try-with-resources: the drain thread holds the reader's lock while it reads;
    // destroying the child ends its output, and the drain thread with it.
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      Matcher l = readUntilHealth(r, out);
      assertThat(l.group(1)).isEqualTo("127.0.0.1");
      int port = Integer.parseInt(l.group(2));
      assertThat(listeningAddress(port)).isIn("127.0.0.1", "unknown");
      assertThat(awaitStatus("http://127.0.0.1:" + port + "/health/readiness", 90)).isEqualTo(200);
      // Streams has started (readiness): its configuration warnings would have been printed
      drain(r, out, 2000);
      assertThat(out.toString()).doesNotContain(GLOBAL_WARN);
    } finally {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** An unreachable Kafka: one line on stderr naming it, exit 1, in seconds (not after 32 s). */
  @Test
  @Timeout(240)
  void serveAgainstUnreachableKafkaFailsInOneLine(@TempDir Path dir) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Process p =
        command(
                List.of(
                    "serve",
                    "--bootstrap",
                    "127.0.0.1:" + closed,
                    "--port",
                    "0",
                    "--data-dir",
                    dir.toString()))
            .start();
    long t0 = System.nanoTime();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
    double seconds = (System.nanoTime() - t0) / 1e9;
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(err.lines().toList())
        .as("stderr")
        .containsExactly(
            "cytostream serve: Kafka at 127.0.0.1:"
                + closed
                + " is not reachable (no answer"
                + " within 5 s)");
    // the bound (10 s); generous for a loaded machine: the probe itself gives up at 5 s
    assertThat(seconds).as("seconds to exit").isLessThan(20);
  }

  private static ProcessBuilder command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  /** Keeps reading the child's output in the background (optionally collecting it a while). */
  private static void drain(BufferedReader r, StringBuffer into, long collectMs) {
    Thread t =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (into) {
                    into.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // the child closed its end
              }
            });
    t.setDaemon(true);
    t.start();
    if (collectMs > 0) {
      try {
        Thread.sleep(collectMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int awaitStatus(String url, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int last = -1;
    while (System.nanoTime() < end) {
      try {
        last =
            http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (last == 200) {
          return last;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(1000);
    }
    return last;
  }

  /**
   * The local address of the socket listening on {@code port}, from /proc/net/tcp{,6} (Linux;
   * "unknown" elsewhere): a look at this machine's own table, no connection made.
   */
  static String listeningAddress(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(":" + hexPort)) {
          String a = f[1].substring(0, f[1].indexOf(':'));
          if (a.equals("0100007F")) {
            return "127.0.0.1";
          }
          if (a.matches("0+")) {
            return a.length() == 8 ? "0.0.0.0" : "::";
          }
          if (a.equals("0000000000000000FFFF00000100007F")) {
            return "127.0.0.1";
          }
          return a;
        }
      }
    }
    return "unknown";
  }

  private static List<String> jsonArray(String dockerfile, String instruction) {
    Matcher m = Pattern.compile("(?m)^" + instruction + " \\[(.*)\\]$").matcher(dockerfile);
    assertThat(m.find()).as(instruction).isTrue();
    List<String> out = new ArrayList<>();
    Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
    while (s.find()) {
      out.add(s.group(1));
    }
    return out;
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> yaml(Path p) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object o : new Yaml().loadAll(Files.readString(p, StandardCharsets.UTF_8))) {
      if (o != null) {
        docs.add((Map<String, Object>) o);
      }
    }
    return docs;
  }

  private static List<Map<String, Object>> all(String kind) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> d : yaml(REPO.resolve("deploy/kubernetes/cytostream.yaml"))) {
      if (kind.equals(d.get("kind"))) {
        out.add(d);
      }
    }
    return out;
  }

  private static Map<String, Object> kind(String kind) throws IOException {
    List<Map<String, Object>> k = all(kind);
    assertThat(k).as(kind).hasSize(1);
    return k.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    assertThat(m).as("has " + key).containsKey(key);
    return (Map<String, Object>) m.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    assertThat(m).as("has " + key).containsKey(key);
    return (List<Map<String, Object>>) m.get(key);
  }
}
