package io.cytostream.processors.broker;

import io.cytostream.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker + controller roles) inside this JVM, so that cytostream
 * runs on a machine with no Kafka installed. Its log directory is kept across restarts: a restart
 * on the same directory keeps every topic, offset and changelog.
 *
 * <p>The broker listens on {@code host:port} (default 127.0.0.1:9092) for clients in other
 * processes (acquisition hooks); the controller listens on a free loopback port. Limits are set for
 * frames up to 2048×2048 float32 ({@link Topics#MAX_MESSAGE_BYTES}).
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final String host;
  private final String advertisedHost;
  private final int port;
  private KafkaRaftServer server;

  /**
   * @param dataDir where the broker keeps its log (created when missing)
   * @param host listener address; 127.0.0.1 keeps the broker local to this machine
   * @param port listener port; 0 picks a free one
   */
  public EmbeddedKafka(Path dataDir, String host, int port) {
    this(dataDir, host, port, null);
  }

  /**
   * @param dataDir where the broker keeps its log (created when missing)
   * @param host listener address; 127.0.0.1 keeps the broker local to this machine, 0.0.0.0 listens
   *     on every interface (in a container)
   * @param port listener port; 0 picks a free one
   * @param advertisedHost the address given to clients; null = {@code host}, or this machine's host
   *     name when {@code host} is a wildcard (a wildcard cannot be advertised)
   */
  public EmbeddedKafka(Path dataDir, String host, int port, String advertisedHost) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port == 0 ? freePort(host) : port;
    this.advertisedHost =
        advertisedHost != null && !advertisedHost.isBlank()
            ? advertisedHost
            : isWildcard(host) ? localHostName() : host;
  }

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "127.0.0.1";
    }
  }

  /** {@code host:port} for clients: the advertised address. */
  public String bootstrapServers() {
    return advertisedHost + ":" + port;
  }

  /** Formats the log directory on first use, starts the broker and waits until it answers. */
  public EmbeddedKafka start() {
    ensurePortFree(host, port);
    Path logDir = dataDir.resolve("kraft");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create broker data directory " + logDir, e);
    }
    // The controller is internal: loopback, whatever the client listener binds.
    String controllerHost = isWildcard(host) ? "127.0.0.1" : host;
    int controllerPort = freePort(controllerHost);
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + controllerHost + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + port
            + ",CONTROLLER://"
            + controllerHost
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // After kill -9 the restarted controller counts the dead broker's registration as alive for
    // one broker session (default 9 s) and refuses the new one until then: the broker waited for
    // itself. A shorter session (heartbeats every second) brings that down to a few seconds.
    p.put("broker.session.timeout.ms", "4000");
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES));
    p.put("log.retention.hours", "168");
    p.put("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024));
    format(p, logDir);
    KafkaConfig config = KafkaConfig.fromProps(p, false);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    awaitReady(Duration.ofSeconds(60));
    LOG.info("embedded Kafka broker up at {} (data {})", bootstrapServers(), logDir);
    return this;
  }

  private static void format(Properties p, Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return; // already formatted: formatting again would change the cluster id
    }
    Path cfg = logDir.resolveSibling("server.properties");
    try (Writer w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
      p.store(w, "written by cytostream for the embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + cfg, e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {
              "format",
              "--cluster-id",
              Uuid.randomUuid().toString(),
              "--config",
              cfg.toString(),
              "--ignore-formatted"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting the broker directory "
              + logDir
              + " failed: "
              + out.toString(StandardCharsets.UTF_8).trim());
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    try (Admin admin = Admin.create(conf)) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "embedded broker did not answer at " + bootstrapServers() + " within " + timeout,
                e);
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  private static void ensurePortFree(String host, int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is another broker running? Choose another with --broker-port, or use"
              + " --bootstrap to connect to it",
          e);
    }
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }
}
