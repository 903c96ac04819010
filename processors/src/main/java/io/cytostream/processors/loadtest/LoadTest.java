package io.cytostream.processors.loadtest;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.service.ServiceRunner;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.processors.topology.PipelineMetrics;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

  /** The warm-up waits at most this long, also for its first frame. */
  static final Duration WARMUP_LIMIT = Duration.ofMinutes(5);

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

  private LoadTest() {}

  /** Runs the test; progress goes to {@code log}. */
  public static String run(Options o, PrintWriter log) throws Exception {
    List<FramePool> pools = new ArrayList<>();
    log.printf("rendering %d frames for each of %d FOV(s)...%n", o.poolFrames(), o.fovs());
    log.flush();
    for (int f = 1; f <= o.fovs(); f++) {
      pools.add(
          new FramePool(
              "loadtest/fov-" + f, f, o.width(), o.height(), o.cells(), o.poolFrames(), 1.0));
    }
    Path dir = Files.createTempDirectory("cytostream-loadtest-");
    Map<String, Object> extra = new HashMap<>();
    extra.put("kafka.streams.default.num.stream.threads", o.streamThreads());
    if (o.imageParallel() != null) {
      extra.put("cytostream.image.parallel", o.imageParallel());
    }
    List<ServiceRunner> others = new ArrayList<>();
    try (ServiceRunner service =
        ServiceRunner.start(
            new ServiceRunner.Options(
                o.bootstrap(), "127.0.0.1", 0, dir, 0, SegmenterChoice.of(o.segmenter()), extra))) {
      String bootstrap = service.bootstrap();
      for (int i = 2; i <= o.instances(); i++) {
        log.printf("starting instance %d...%n", i);
        log.flush();
        others.add(
            ServiceRunner.start(
                new ServiceRunner.Options(
                    bootstrap,
                    "127.0.0.1",
                    0,
                    dir.resolve("instance-" + i),
                    0,
                    SegmenterChoice.of(o.segmenter()),
                    extra)));
      }
      try (LatencyProbe probe = new LatencyProbe(bootstrap);
          Producer<String, Frame> publisher =
              new KafkaProducer<>(
                  FramePublisher.producerConfig(bootstrap),
                  new StringSerializer(),
                  Topics.FRAMES_RAW.valueSerde().serializer())) {
        log.printf("warming up (%d frames per FOV)...%n", WARMUP_FRAMES);
        log.flush();
        Map<String, AtomicLong> cursors = new ConcurrentHashMap<>();
        Publishers warm =
            new Publishers(
                pools, publisher, cursors, WARMUP_FRAMES, 5, null, o.window(), probe::count);
        warm.awaitMeasuredPublished();
        awaitSeen(probe, warm.measured(), WARMUP_LIMIT);
        warm.stop();
        if (probe.count() == 0) {
          throw new IllegalStateException(
              "no warm-up frame reached cells.state within "
                  + WARMUP_LIMIT.toMinutes()
                  + " min; is the service processing?");
        }
        log.printf("warm-up: frames of %d FOV(s) reached cells.state%n", pools.size());
        int partitions = partitionsOfFramesRaw(bootstrap);
        log.println("transport ceiling...");
        log.flush();
        int ceilingRecords = Math.max(50, Math.min(o.frames(), 500));
        double kafka = Ceilings.transport(bootstrap, pools, ceilingRecords, partitions);
        int cores = Runtime.getRuntime().availableProcessors();
        log.println("compute ceiling...");
        log.flush();
        PipelineConfig defaults = PipelineConfig.defaults();
        double stage =
            Ceilings.stages(
                pools,
                service.context().getBean(Segmenters.class),
                o.segmenter(),
                defaults.image(),
                defaults.segmentation(),
                cores,
                Math.max(cores * 10, Math.min(o.frames() * o.fovs(), 200)),
                5);
        MeterRegistry registry = service.context().getBean(MeterRegistry.class);
        Map<String, double[]> before = stageTimes(registry);
        log.println("measured run...");
        log.flush();
        Publishers run =
            new Publishers(
                pools,
                publisher,
                cursors,
                o.frames(),
                o.ratePerFov(),
                o.duration(),
                o.window(),
                probe::count);
        run.awaitMeasuredPublished();
        Map<String, Map<Long, Instant>> sent = run.measured();
        long published = sent.values().stream().mapToLong(Map::size).sum();
        awaitSeen(probe, sent, null);
        run.stop();
        Map<String, double[]> after = stageTimes(registry);
        log.printf(
            Locale.ROOT,
            "service counters: %.0f frames through the image stages, %.0f tracked, %.0f gaps,"
                + " %.0f dead letters%n",
            total(registry, PipelineMetrics.FRAMES_PROCESSED),
            total(registry, PipelineMetrics.FRAMES_TRACKED),
            total(registry, PipelineMetrics.FRAMES_GAPS),
            total(registry, PipelineMetrics.DEAD_LETTERS));
        boolean parallel =
            service
                .context()
                .getProperty("cytostream.image.parallel", Boolean.class)
                .orElse(Boolean.FALSE);
        LoadReport r =
            reportOf(o, pools, probe, sent, published, kafka, stage, cores, before, after);
        return withSettings(r.toText(), r.toJson(), parallel, o.instances());
      }
    } finally {
      for (ServiceRunner r : others) {
        r.close();
      }
      deleteQuietly(dir);
    }
  }

  private static LoadReport reportOf(
      Options o,
      List<FramePool> pools,
      LatencyProbe probe,
      Map<String, Map<Long, Instant>> sent,
      long published,
      double kafka,
      double stage,
      int cores,
      Map<String, double[]> before,
      Map<String, double[]> after) {
    List<Double> latencies = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (var e : sent.entrySet()) {
      for (var f : e.getValue().entrySet()) {
        Instant acquired = f.getValue();
        first = first == null || acquired.isBefore(first) ? acquired : first;
        Instant seen = probe.seen(e.getKey(), f.getKey());
        if (seen != null) {
          latencies.add(Duration.between(acquired, seen).toNanos() / 1e6);
          last = last == null || seen.isAfter(last) ? seen : last;
        }
      }
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double seconds = last == null ? Double.NaN : Duration.between(first, last).toNanos() / 1e9;
    Map<String, Double> stageMs = new TreeMap<>();
    after.forEach(
        (k, a) -> {
          double[] b = before.getOrDefault(k, new double[2]);
          double n = a[0] - b[0];
          if (n > 0) {
            stageMs.put(k, (a[1] - b[1]) / n);
          }
        });
    return new LoadReport(
        o.fovs(),
        o.width(),
        o.height(),
        pools.get(0).frameBytes(),
        o.segmenter(),
        o.streamThreads(),
        published,
        sorted.length,
        sorted.length / seconds,
        o.ratePerFov() * o.fovs(),
        kafka,
        stage,
        cores,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
        stageMs);
  }

  /**
   * The report with the service settings that shape the figures: a line of text, and two fields
   * ({@code image_parallel}, {@code instances}) at the end of the JSON object.
   */
  static String withSettings(String text, String json, boolean imageParallel, int instances) {
    return text
        + String.format(
            Locale.ROOT,
            "  image stages %s, %d service instance(s)%n",
            imageParallel ? "frame-parallel" : "sequential per FOV",
            instances)
        + json.substring(0, json.lastIndexOf('}'))
        + ",\"image_parallel\":"
        + imageParallel
        + ",\"instances\":"
        + instances
        + "}";
  }

  /** Nearest-rank percentile of sorted values (NaN when empty). */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void awaitSeen(
      LatencyProbe probe, Map<String, Map<Long, Instant>> sent, Duration limit)
      throws InterruptedException {
    long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
    long lastProgress = System.nanoTime();
    long missing = Long.MAX_VALUE;
    long total = sent.values().stream().mapToLong(Map::size).sum();
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
      // with a limit (the warm-up) the first frame may take longer than IDLE_END: a service still
      // joining its group on a loaded machine
      boolean started = limit == null || m < total;
      if (started && System.nanoTime() - lastProgress > IDLE_END.toNanos()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static Map<String, double[]> stageTimes(MeterRegistry registry) {
    Map<String, double[]> out = new HashMap<>();
    for (Timer t : registry.find("cytostream.stage.duration").timers()) {
      String stage = t.getId().getTag("stage");
      double[] acc = out.computeIfAbsent(stage, k -> new double[2]);
      acc[0] += t.count();
      acc[1] += t.totalTime(TimeUnit.MILLISECONDS);
    }
    return out;
  }

  private static double total(MeterRegistry registry, String counter) {
    return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static int partitionsOfFramesRaw(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      String name = Topics.FRAMES_RAW.name();
      return admin
          .describeTopics(List.of(name))
          .allTopicNames()
          .get()
          .get(name)
          .partitions()
          .size();
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
