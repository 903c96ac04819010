package io.cytostream.processors.loadtest;

import io.cytostream.processors.topology.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Puts a load test's figures together: the service's stage timers read before and after the
 * measured run, its frame counters, the latencies, into a {@link LoadReport} and the text and JSON
 * that {@link LoadTest#run} returns.
 */
final class ReportAssembly {
  private ReportAssembly() {}

  /** The report of a run from its measured figures. */
  static LoadReport reportOf(
      LoadTest.Options o,
      LoadTest.Mode mode,
      List<FramePool> pools,
      Latencies latencies,
      long published,
      double kafka,
      double stage,
      int cores,
      Map<String, double[]> before,
      Map<String, double[]> after,
      Map<String, Object> soak) {
    double[] sorted = latencies.sorted();
    double seconds = latencies.seconds();
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
        stageMs,
        soak,
        mode.topology());
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

  /** Per stage, the count and total time (ms) of the service's stage timers so far. */
  static Map<String, double[]> stageTimes(MeterRegistry registry) {
    Map<String, double[]> out = new HashMap<>();
    for (Timer t : registry.find("cytostream.stage.duration").timers()) {
      String stage = t.getId().getTag("stage");
      double[] acc = out.computeIfAbsent(stage, k -> new double[2]);
      acc[0] += t.count();
      acc[1] += t.totalTime(TimeUnit.MILLISECONDS);
    }
    return out;
  }

  /** Logs the service's frame counters: through the image stages, tracked, gaps, dead letters. */
  static void logCounters(MeterRegistry registry, PrintWriter log) {
    log.printf(
        Locale.ROOT,
        "service counters: %.0f frames through the image stages, %.0f tracked, %.0f gaps,"
            + " %.0f dead letters%n",
        total(registry, PipelineMetrics.FRAMES_PROCESSED),
        total(registry, PipelineMetrics.FRAMES_TRACKED),
        total(registry, PipelineMetrics.FRAMES_GAPS),
        total(registry, PipelineMetrics.DEAD_LETTERS));
  }

  private static double total(MeterRegistry registry, String counter) {
    return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
