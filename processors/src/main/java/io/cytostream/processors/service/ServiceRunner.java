package io.cytostream.processors.service;

import io.cytostream.processors.broker.EmbeddedKafka;
import io.cytostream.processors.broker.KafkaProbe;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service: the embedded broker when no bootstrap servers are given, then the Micronaut
 * context with the topology and HTTP endpoints. Closing stops them in the reverse order (the broker
 * last, or Kafka Streams' shutdown waits for it).
 */
public final class ServiceRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

  /**
   * How to start.
   *
   * @param bootstrap external Kafka bootstrap servers, or null for the embedded broker
   * @param brokerHost embedded broker listener address
   * @param brokerAdvertisedHost address the embedded broker gives to clients (null: brokerHost, or
   *     this machine's host name when brokerHost is a wildcard)
   * @param brokerPort embedded broker listener port (0 = any free port)
   * @param dataDir where the embedded broker and Kafka Streams keep their state
   * @param httpHost address the HTTP server binds (null = 127.0.0.1)
   * @param httpPort HTTP port for /health, /prometheus (0 = any free port)
   * @param segmenters which segmenter each FOV uses, and the model folder
   * @param extra further Micronaut properties
   */
  public record Options(
      String bootstrap,
      String brokerHost,
      String brokerAdvertisedHost,
      int brokerPort,
      Path dataDir,
      String httpHost,
      int httpPort,
      SegmenterChoice segmenters,
      Map<String, Object> extra) {

    /** Loopback HTTP, advertised broker address = its listener address. */
    public Options(
        String bootstrap,
        String brokerHost,
        int brokerPort,
        Path dataDir,
        int httpPort,
        SegmenterChoice segmenters,
        Map<String, Object> extra) {
      this(
          bootstrap,
          brokerHost,
          null,
          brokerPort,
          dataDir,
          DEFAULT_HTTP_HOST,
          httpPort,
          segmenters,
          extra);
    }
  }

  /** Where the HTTP server binds unless told otherwise. */
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

  /** How long start-up waits for an external Kafka to answer before giving up. */
  static final Duration KAFKA_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final EmbeddedKafka broker;
  private final ApplicationContext context;
  private final String bootstrap;
  private final Segmenters segmenters;
  private final String httpHost;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final StreamsStateDir stateDir;

  private ServiceRunner(
      EmbeddedKafka broker,
      ApplicationContext context,
      String bootstrap,
      Segmenters segmenters,
      String httpHost,
      StreamsStateDir stateDir) {
    this.stateDir = stateDir;
    this.broker = broker;
    this.context = context;
    this.bootstrap = bootstrap;
    this.segmenters = segmenters;
    this.httpHost = httpHost;
  }

  /**
   * Starts everything; on failure, stops what was started and rethrows. The segmenters load first,
   * so a missing or corrupt model fails with its {@link
   * io.cytostream.processors.segment.model.ModelLoadException} before anything else starts.
   */
  public static ServiceRunner start(Options o) {
    if (o.bootstrap() != null && !o.bootstrap().isBlank()) {
      // Fail in seconds, in one line, rather than in a bean-creation error after the clients'
      // own 30 s timeouts.
      KafkaProbe.awaitReachable(o.bootstrap(), KAFKA_PROBE_TIMEOUT);
    }
    String httpHost =
        o.httpHost() == null || o.httpHost().isBlank() ? DEFAULT_HTTP_HOST : o.httpHost();
    Segmenters segmenters =
        Segmenters.open(o.segmenters() == null ? SegmenterChoice.classical() : o.segmenters());
    EmbeddedKafka broker = null;
    String bootstrap = o.bootstrap();
    try {
      if (bootstrap == null || bootstrap.isBlank()) {
        broker =
            new EmbeddedKafka(
                    o.dataDir().resolve("broker"),
                    o.brokerHost(),
                    o.brokerPort(),
                    o.brokerAdvertisedHost())
                .start();
        bootstrap = broker.bootstrapServers();
      }
      Map<String, Object> props = new HashMap<>(o.extra());
      // before anything is created or started: state built for other partition counts is refused
      PartitionGuard.check(bootstrap, applicationId(props));
      props.put("kafka.bootstrap.servers", bootstrap);
      props.put("micronaut.server.port", o.httpPort() == 0 ? -1 : o.httpPort());
      props.put("micronaut.server.host", httpHost);
      Path streamsDir = o.dataDir().resolve("streams");
      props.put("kafka.streams.default.state.dir", streamsDir.toString());
      StreamsStateDir stateDir = new StreamsStateDir(streamsDir);
      stateDir.begin();
      // a restarted instance takes its own place in the group at once (StreamsStateDir)
      props.putIfAbsent("kafka.streams.default.group.instance.id", stateDir.instanceId());
      // ... and so does the directive rules' own application (else, after kill -9, its threads
      // waited for the dead members' session to expire, and readiness with them)
      props.putIfAbsent(
          "kafka.streams.directives.group.instance.id", stateDir.instanceId() + "-directives");
      props.put("kafka.streams.directives.state.dir", streamsDir.toString());
      // Started by hand rather than with Micronaut.start(): that registers its own JVM shutdown
      // hook, which stops the HTTP server (server lock, then context lock) while the command's
      // hook closes this runner (context lock, then server lock) -- a deadlock on Ctrl-C.
      ApplicationContext ctx =
          Micronaut.build(new String[0])
              .mainClass(ServiceRunner.class)
              .banner(false)
              .properties(props)
              .singletons(segmenters)
              .build();
      ctx.start();
      try {
        ctx.getBean(EmbeddedServer.class).start();
      } catch (RuntimeException e) {
        ctx.close();
        stateDir.end();
        throw e;
      }
      LOG.info(
          "cytostream service up; Kafka at {}; segmenters {}", bootstrap, describe(segmenters));
      return new ServiceRunner(broker, ctx, bootstrap, segmenters, httpHost, stateDir);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      segmenters.close();
      throw e;
    }
  }

  /** Kafka Streams' application.id as the context will see it (default {@code cytostream}). */
  static String applicationId(Map<String, Object> props) {
    String key = "kafka.streams.default.application.id";
    Object v = props.get(key);
    if (v == null) {
      v = System.getProperty(key);
    }
    if (v == null) {
      v = System.getenv("KAFKA_STREAMS_DEFAULT_APPLICATION_ID");
    }
    return v == null || v.toString().isBlank() ? "cytostream" : v.toString();
  }

  private static String describe(Segmenters s) {
    SegmenterChoice c = s.choice();
    String model =
        s.model() == null
            ? ""
            : " (model "
                + (c.modelDir() == null ? "unet-seg v2, bundled" : s.model().path().toString())
                + ")";
    return c.defaultName()
        + " for every FOV"
        + (c.perFov().isEmpty() ? "" : " except " + c.perFov())
        + model;
  }

  /** Kafka bootstrap servers in use. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Which segmenter each FOV uses, in words (and the model folder when loaded). */
  public String segmenterDescription() {
    return describe(segmenters);
  }

  /** Whether the broker runs inside this JVM. */
  public boolean embeddedBroker() {
    return broker != null;
  }

  /** The address the HTTP server binds (0.0.0.0 or :: = every interface). */
  public String httpHost() {
    return httpHost;
  }

  /** Whether {@code host} means every interface. */
  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return context.findBean(EmbeddedServer.class).map(s -> s.getPort()).orElse(-1);
  }

  public ApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      context.close();
      stateDir.end();
    } finally {
      try {
        if (broker != null) {
          broker.close();
        }
      } finally {
        segmenters.close();
      }
    }
  }
}
