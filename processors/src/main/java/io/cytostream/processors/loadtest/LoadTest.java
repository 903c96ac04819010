package io.cytostream.processors.loadtest;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.service.ServiceRunner;
import io.cytostream.processors.topology.DenoiseTopology;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs one load test: starts the service (embedded broker unless a bootstrap address is given),
 * warms it up, measures the transport and compute ceilings while it is idle, then publishes the
 * measured frames and watches {@code cells.state}. See {@link LoadReport} for what comes out.
 */
public final class LoadTest {
  /** Frames each FOV publishes, and waits for, before anything is timed. */
  static final int WARMUP_FRAMES = 20;

  /** A run ends this long after the last new frame reached cells.state. */
  static final Duration IDLE_END = Duration.ofSeconds(30);

  /**
   * What to run.
   *
   * @param fovs fields of view published at once (≥ 1)
   * @param width frame width, px
   * @param height frame height, px
   * @param cells cells per culture
   * @param frames frames per FOV in the measured run (ignored when {@code duration} is set)
   * @param ratePerFov frames per second each FOV publishes, or 0 for as fast as the service takes
   * @param duration publish for this long instead of {@code frames} frames, or null
   * @param segmenter segmenter name ({@code classical} or {@code model})
   * @param streamThreads the service's stream threads
   * @param bootstrap an external Kafka, or null for the embedded broker
   * @param poolFrames distinct frames rendered per FOV (played back and forth)
   * @param window at rate 0, frames per FOV published and not yet in cells.state at most
   * @param imageParallel {@code cytostream.image.parallel} for the service, or null for its default
   * @param instances service instances (one application, one broker; the others started in this
   *     process after the first, each with its own state directory)
   */
  public record Options(
      int fovs,
      int width,
      int height,
      int cells,
      int frames,
      double ratePerFov,
      Duration duration,
      String segmenter,
      int streamThreads,
      String bootstrap,
      int poolFrames,
      int window,
      Boolean imageParallel,
      int instances) {
    /** The service's default image stages, one instance. */
    public Options(
        int fovs,
        int width,
        int height,
        int cells,
        int frames,
        double ratePerFov,
        Duration duration,
        String segmenter,
        int streamThreads,
        String bootstrap,
        int poolFrames,
        int window) {
      this(
          fovs,
          width,
          height,
          cells,
          frames,
          ratePerFov,
          duration,
          segmenter,
          streamThreads,
          bootstrap,
          poolFrames,
          window,
          null,
          1);
    }

    public Options {
      if (instances < 1) {
        throw new IllegalArgumentException("instances must be >= 1");
      }
      if (fovs < 1 || width < 16 || height < 16 || cells < 1 || frames < 1 || streamThreads < 1) {
        throw new IllegalArgumentException(
            "fovs, cells, frames and stream threads must be >= 1 and frames at least 16x16 px");
      }
      if (!(ratePerFov >= 0) || Double.isInfinite(ratePerFov)) {
        throw new IllegalArgumentException("rate must be >= 0 frames/s, got " + ratePerFov);
      }
      if (window < 1) {
        throw new IllegalArgumentException("window must be >= 1 frame");
      }
      if (poolFrames < 2) {
        throw new IllegalArgumentException("pool must hold at least 2 frames");
      }
    }
  }

  /**
   * How to run besides {@link Options}.
   *
   * @param sampleEvery take a soak sample (memory, state, per-interval latency and frames/s) this
   *     often during the measured run, or null for none
   * @param series where the samples go (CSV); used only with {@code sampleEvery}
   * @param topology {@value #FULL} (the service's pipeline, frames to {@code cells.state}) or
   *     {@value #DENOISE} (the denoise-only topology of {@code DenoiseTopology} as its own
   *     application on the same broker: frames to denoised frames; no compute ceiling)
   */
  public record Mode(Duration sampleEvery, Path series, String topology) {
    /** The whole pipeline. */
    public static final String FULL = "full";

    /** The denoise stage alone. */
    public static final String DENOISE = "denoise";

    /** A plain load test of the whole pipeline: no samples. */
    public static final Mode PLAIN = new Mode(null, null, FULL);

    public Mode {
      if (!FULL.equals(topology) && !DENOISE.equals(topology)) {
        throw new IllegalArgumentException(
            "topology must be " + FULL + " or " + DENOISE + ", got '" + topology + "'");
      }
      if (sampleEvery != null && (sampleEvery.isNegative() || sampleEvery.isZero())) {
        throw new IllegalArgumentException("sample interval must be > 0, got " + sampleEvery);
      }
      if (sampleEvery != null && series == null) {
        throw new IllegalArgumentException("samples need a series file");
      }
    }
  }

  private LoadTest() {}

  /** Runs the test; progress goes to {@code log}. */
  public static String run(Options o, PrintWriter log) throws Exception {
    return run(o, Mode.PLAIN, log);
  }

  /** Runs the test in {@code mode}; progress goes to {@code log}. */
  public static String run(Options o, Mode mode, PrintWriter log) throws Exception {
    List<FramePool> pools = new ArrayList<>();
    log.printf("rendering %d frames for each of %d FOV(s)...%n", o.poolFrames(), o.fovs());
    log.flush();
    for (int f = 1; f <= o.fovs(); f++) {
      pools.add(
          new FramePool(
              "loadtest/fov-" + f, f, o.width(), o.height(), o.cells(), o.poolFrames(), 1.0));
    }
    Path dir = Files.createTempDirectory("cytostream-loadtest-");
    try (ServiceInstances services = ServiceInstances.start(o, dir, log)) {
      ServiceRunner service = services.first();
      String bootstrap = services.bootstrap();
      boolean denoise = Mode.DENOISE.equals(mode.topology());
      int partitions = services.partitionsOfFramesRaw();
      try (DenoiseApp app =
              denoise
                  ? new DenoiseApp(bootstrap, partitions, o.streamThreads(), dir.resolve("denoise"))
                  : null;
          LatencyProbe probe =
              denoise
                  ? new LatencyProbe(
                      bootstrap,
                      app.output,
                      r ->
                          new LatencyProbe.Arrival(
                              r.key(), DenoiseTopology.frameIndex(r.headers())))
                  : new LatencyProbe(bootstrap);
          Producer<String, Frame> publisher =
              new KafkaProducer<>(
                  FramePublisher.producerConfig(bootstrap),
                  new StringSerializer(),
                  Topics.FRAMES_RAW.valueSerde().serializer())) {
        String topic = denoise ? app.input : Topics.FRAMES_RAW.name();
        log.printf("warming up (%d frames per FOV)...%n", WARMUP_FRAMES);
        log.flush();
        Map<String, AtomicLong> cursors = new ConcurrentHashMap<>();
        Publishers warm =
            new Publishers(
                topic,
                pools,
                publisher,
                cursors,
                WARMUP_FRAMES,
                0, // closed loop: at most `window` frames in flight, so a slow service does not
                // start the measured run behind a backlog of warm-up tail frames
                null,
                o.window(),
                probe::count);
        warm.awaitMeasuredPublished();
        awaitSeen(probe, warm.measured(), Duration.ofMinutes(5), true);
        warm.stop();
        if (probe.count() == 0) {
          throw new IllegalStateException(
              "no warm-up frame reached cells.state within 5 min; is the service processing?");
        }
        log.printf("warm-up: frames of %d FOV(s) reached cells.state%n", pools.size());
        log.println("transport ceiling...");
        log.flush();
        int ceilingRecords = Math.max(50, Math.min(o.frames(), 500));
        double kafka = Ceilings.transport(bootstrap, pools, ceilingRecords, partitions);
        int cores = Runtime.getRuntime().availableProcessors();
        log.println("compute ceiling...");
        log.flush();
        PipelineConfig defaults = PipelineConfig.defaults();
        double stage =
            denoise
                ? Double.NaN
                : Ceilings.stages(
                    pools,
                    service.context().getBean(Segmenters.class),
                    o.segmenter(),
                    defaults.image(),
                    defaults.segmentation(),
                    cores,
                    Math.max(cores * 10, Math.min(o.frames() * o.fovs(), 200)),
                    5);
        MeterRegistry registry =
            denoise
                ? app.config.metrics().registry()
                : service.context().getBean(MeterRegistry.class);
        Map<String, double[]> before = ReportAssembly.stageTimes(registry);
        log.println("measured run...");
        log.flush();
        Publishers run =
            new Publishers(
                topic,
                pools,
                publisher,
                cursors,
                o.frames(),
                o.ratePerFov(),
                o.duration(),
                o.window(),
                probe::count);
        Map<String, Map<Long, Instant>> sent = run.measured();
        Latencies latencies = new Latencies();
        Map<String, Object> soak = null;
        ConsumerLag lag = mode.sampleEvery() == null ? null : new ConsumerLag(bootstrap, log);
        SoakSampler sampler =
            mode.sampleEvery() == null
                ? null
                : new SoakSampler(
                    mode.sampleEvery(),
                    mode.series(),
                    new SoakSampler.Sources(
                        () -> latencies.harvest(sent, probe),
                        () ->
                            cursors.values().stream().mapToLong(AtomicLong::get).sum()
                                - probe.count(),
                        lag::framesRaw,
                        dir.resolve("streams"),
                        dir.resolve("broker")),
                    log);
        try {
          run.awaitMeasuredPublished();
          awaitSeen(probe, sent, null, false);
        } finally {
          if (sampler != null) {
            sampler.close();
            lag.close();
            soak = SoakSampler.summary(sampler.rows());
          }
        }
        run.stop();
        latencies.harvest(sent, probe);
        long published = latencies.count() + sent.values().stream().mapToLong(Map::size).sum();
        Map<String, double[]> after = ReportAssembly.stageTimes(registry);
        ReportAssembly.logCounters(registry, log);
        LoadReport r =
            ReportAssembly.reportOf(
                o, mode, pools, latencies, published, kafka, stage, cores, before, after, soak);
        return ReportAssembly.withSettings(
            r.toText(), r.toJson(), services.imageParallel(), o.instances());
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Waits until every frame of {@code sent} reached cells.state, or {@code limit} passed, or {@link
   * #IDLE_END} passed without a new arrival (counted from the first arrival when {@code
   * idleAfterFirst}: on a loaded machine the first frame of a cold service can take longer).
   */
  private static void awaitSeen(
      LatencyProbe probe,
      Map<String, Map<Long, Instant>> sent,
      Duration limit,
      boolean idleAfterFirst)
      throws InterruptedException {
    long before = probe.count();
    long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
    long lastProgress = System.nanoTime();
    long missing = Long.MAX_VALUE;
    while (missing > 0 && System.nanoTime() < deadline) {
      long m = 0;
      for (var e : sent.entrySet()) {
        for (Long f : e.getValue().keySet()) {
          if (probe.seen(e.getKey(), f) == null) {
            m++;
          }
        }
      }
      if (m < missing) {
        lastProgress = System.nanoTime();
      }
      missing = m;
      boolean idleCounts = !idleAfterFirst || probe.count() > before;
      if (idleCounts && System.nanoTime() - lastProgress > IDLE_END.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
