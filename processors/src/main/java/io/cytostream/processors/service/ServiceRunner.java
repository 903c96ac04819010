package io.cytostream.processors.service;

import io.cytostream.processors.broker.EmbeddedKafka;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
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
   * @param brokerPort embedded broker listener port (0 = any free port)
   * @param dataDir where the embedded broker and Kafka Streams keep their state
   * @param httpPort HTTP port for /health, /prometheus (0 = any free port)
   * @param segmenters which segmenter each FOV uses, and the model folder
   * @param extra further Micronaut properties
   */
  public record Options(
      String bootstrap,
      String brokerHost,
      int brokerPort,
      Path dataDir,
      int httpPort,
      SegmenterChoice segmenters,
      Map<String, Object> extra) {}

  private final EmbeddedKafka broker;
  private final ApplicationContext context;
  private final String bootstrap;
  private final Segmenters segmenters;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServiceRunner(
      EmbeddedKafka broker, ApplicationContext context, String bootstrap, Segmenters segmenters) {
    this.broker = broker;
    this.context = context;
    this.bootstrap = bootstrap;
    this.segmenters = segmenters;
  }

  /**
   * Starts everything; on failure, stops what was started and rethrows. The segmenters load first,
   * so a missing or corrupt model fails with its {@link
   * io.cytostream.processors.segment.model.ModelLoadException} before anything else starts.
   */
  public static ServiceRunner start(Options o) {
    Segmenters segmenters =
        Segmenters.open(o.segmenters() == null ? SegmenterChoice.classical() : o.segmenters());
    EmbeddedKafka broker = null;
    String bootstrap = o.bootstrap();
    try {
      if (bootstrap == null || bootstrap.isBlank()) {
        broker =
            new EmbeddedKafka(o.dataDir().resolve("broker"), o.brokerHost(), o.brokerPort())
                .start();
        bootstrap = broker.bootstrapServers();
      }
      Map<String, Object> props = new HashMap<>(o.extra());
      props.put("kafka.bootstrap.servers", bootstrap);
      props.put("micronaut.server.port", o.httpPort() == 0 ? -1 : o.httpPort());
      props.put("kafka.streams.default.state.dir", o.dataDir().resolve("streams").toString());
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
        throw e;
      }
      LOG.info(
          "cytostream service up; Kafka at {}; segmenters {}", bootstrap, describe(segmenters));
      return new ServiceRunner(broker, ctx, bootstrap, segmenters);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      segmenters.close();
      throw e;
    }
  }

  private static String describe(Segmenters s) {
    SegmenterChoice c = s.choice();
    String model =
        s.model() == null
            ? ""
            : " (model "
                + (c.modelDir() == null ? "unet-seg v1, bundled" : s.model().path().toString())
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
