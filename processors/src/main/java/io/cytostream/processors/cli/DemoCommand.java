package io.cytostream.processors.cli;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.service.ServiceRunner;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: embedded broker, the simulator publishing 2 FOVs live, the pipeline, HTTP. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the service on an embedded Kafka broker and let the simulator publish two fields of",
      "view live (demo/fov-1, demo/fov-2). Runs until interrupted, or for --duration.",
      "Segmentation defaults as for serve and process (classical); --segmenter and",
      "--fov-segmenter (or their environment variables) choose another."
    })
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Stop after this long, e.g. 90s, 10m (default: until interrupted).")
  String duration;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--broker-port",
      defaultValue = "9092",
      description = "Embedded broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int brokerPort;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      defaultValue = "${env:CYTOSTREAM_HTTP_HOST:-127.0.0.1}",
      description = "Address the HTTP server binds (default: ${DEFAULT-VALUE}).")
  String httpHost;

  @CommandLine.Mixin SegmenterOptions segmenter = new SegmenterOptions();

  @Option(
      names = "--interval",
      defaultValue = "1000",
      paramLabel = "MS",
      description = "Milliseconds between frames of each FOV (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(
      names = "--data-dir",
      description = "Keep broker and state here (default: a temporary folder removed at exit).")
  Path dataDir;

  static Duration parseDuration(String s) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--duration must look like 90s, 10m or 2h, got '" + s + "'");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(v);
      case "m" -> Duration.ofMinutes(v);
      case "h" -> Duration.ofHours(v);
      default -> Duration.ofSeconds(v);
    };
  }

  /**
   * The segmenter of each FOV: one default for every command (classical: README, "Which
   * segmenter"), the demo's own simulated FOVs included (on their confluent culture the classical
   * segmenter's confluent foreground holds: processors/EVALUATION.md, "The demo's culture"), unless
   * --segmenter or --fov-segmenter say otherwise.
   */
  SegmenterChoice segmenters(CommandLine cl) {
    return segmenter.choice(cl);
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    Duration limit;
    try {
      limit = duration == null ? null : parseDuration(duration);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    if (intervalMs < 10) {
      throw new CommandLine.ParameterException(cl, "--interval must be at least 10 ms");
    }
    SegmenterChoice segmenters = segmenters(cl);
    long t0 = System.nanoTime();
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("cytostream-demo-") : dataDir;
    ServiceRunner service =
        ServiceRunner.start(
            new ServiceRunner.Options(
                null, "127.0.0.1", null, brokerPort, dir, httpHost, port, segmenters, Map.of()));
    CountDownLatch stop = new CountDownLatch(1);
    List<Thread> publishers = new ArrayList<>();
    FramePublisher publisher = FramePublisher.connect(service.bootstrap());
    for (int f = 1; f <= 2; f++) {
      String fov = "demo/fov-" + f;
      SimulationConfig sim =
          SimulationConfig.builder()
              .seed(f)
              .frames(1_000_000)
              .frameIntervalSeconds(intervalMs / 1000.0)
              .build();
      Thread t = new Thread(() -> publish(fov, sim, publisher, stop), "demo-" + fov);
      t.setDaemon(true);
      publishers.add(t);
    }
    publishers.forEach(Thread::start);
    ServeCommand.printWhereToLook(service, cl.getOut());
    cl.getOut()
        .printf(
            "  demo:    simulator publishing demo/fov-1 and demo/fov-2, one frame per %d ms each"
                + " (started in %.1f s)%n",
            intervalMs, (System.nanoTime() - t0) / 1e9);
    cl.getOut().flush();
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              shutdown(service, publisher, publishers, temporary ? dir : null);
            },
            "cytostream-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (limit == null) {
      stop.await();
    } else {
      stop.await(limit.toMillis(), TimeUnit.MILLISECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.countDown();
      shutdown(service, publisher, publishers, temporary ? dir : null);
      cl.getOut().println("demo finished after " + duration);
    }
    return 0;
  }

  private static void publish(
      String fov, SimulationConfig sim, FramePublisher publisher, CountDownLatch stop) {
    Instant start = Instant.now();
    Iterator<SimulatedFrame> frames = new CultureSimulator(sim);
    long interval = Math.round(sim.frameIntervalSeconds() * 1000);
    try {
      while (frames.hasNext() && stop.getCount() > 0) {
        long began = System.nanoTime();
        SimulatedFrame f = frames.next();
        if (!f.dropped()) {
          Frame frame =
              new Frame(
                  FrameHeader.inline(
                      fov,
                      f.index(),
                      start.plusNanos((long) (f.timeSeconds() * 1e9)),
                      f.width(),
                      f.height(),
                      f.raw().type(),
                      null,
                      sim.frameIntervalSeconds(),
                      "simulated-calcium"),
                  f.raw().pixels());
          publisher.publish(frame);
        }
        long waitMs = interval - (System.nanoTime() - began) / 1_000_000;
        if (waitMs > 0 && stop.await(waitMs, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("simulator for {} stopped: {}", fov, e.getMessage());
    }
  }

  private static void shutdown(
      ServiceRunner service, FramePublisher publisher, List<Thread> threads, Path deleteDir) {
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    publisher.close();
    service.close();
    if (deleteDir != null) {
      try (Stream<Path> s = Files.walk(deleteDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temporary folder is harmless
      }
    }
  }
}
