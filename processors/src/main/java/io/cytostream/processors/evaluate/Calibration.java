package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.offline.OfflineRunner;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.AnomalyEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sets the thresholds of the per-cell anomaly tests from a target false-alarm rate, measured
 * through the whole chain (the default segmenter, not ideal masks) on clean simulated cultures.
 *
 * <p>Every culture of the calibration set (each {@link SimStyle}, seeds {@code seeds}, nothing
 * injected) runs through {@code process} once with permissive thresholds ({@link #PERMISSIVE}), so
 * that each test reports far more than it would by default. For each calibrated test the statistic
 * of every published event (after the explanations of {@code AnomalyPipeline}: merges, splits,
 * divisions, the edge) is collected over the whole set, and the threshold is set so that at most
 * {@code target} events per 10⁴ cell-frames lie above it: with N cell-frames, {@code allowed =
 * floor(target · N / 10⁴)}; the threshold is the (allowed + 1)-th largest statistic, never below
 * the {@link #FLOOR}, which it is when there are no more events than allowed. The statistics are:
 * {@code |value|} of {@code spike} (|e|/σ), {@code aberrant_cell} (robust z), {@code model_drift}
 * (the CUSUM at its alarm) and {@code track_lost} (the lost track's typical area relative to the
 * field's median: a piece of a cell that the segmenter cut off and lost again is small, a cell that
 * vanishes is whole; track length, the statistic before, did not separate them).
 *
 * <p>{@code area_change}'s z against the segmentation's jitter is not calibrated (it stays at its
 * documented value, off): at the rate it gave (z 4.03, seeds 101-103) the injected +60 % growth was
 * missed even with ideal masks, because the change's own step enters the track's jitter before the
 * second sighting that reports it, and the sparse-nuclei cultures' false changes are genuine > 50 %
 * steps of one segment that a z does not tell from growth ({@code processors/EVALUATION.md}).
 *
 * <p>Approximation: the CUSUM resets, an area change's reference moves and a cell is flagged
 * aberrant once at the permissive threshold, so a run at the calibrated threshold is not exactly
 * the permissive run cut at it; {@link #verify} re-runs the set with the calibrated thresholds and
 * reports the rate achieved. Seeds of the calibration set must differ from the seeds the evaluation
 * panels use ({@link Panel}: 3 and 11), so that the evaluation's false-alarm figures are held out.
 */
public final class Calibration {

  /**
   * The least threshold the calibration may set: the hand-chosen values of {@link
   * AnomalyConfig#documented()} for the tests that had one (spike 5σ, aberrant 8, CUSUM 6), so a
   * set of simulated cultures quieter than a real microscope never makes a test more sensitive than
   * designed; 0 for a track loss's relative area (a new statistic).
   */
  public static final Map<String, Double> FLOOR =
      Map.of(
          "spikeThreshold", 5.0,
          "aberrantThreshold", 8.0,
          "cusumThreshold", 6.0,
          "trackLostMinRelativeArea", 0.0);

  /** The thresholds of the permissive runs (below the floors: the statistics' tails are seen). */
  public static final Map<String, Double> PERMISSIVE =
      Map.of(
          "spikeThreshold", 4.0,
          "aberrantThreshold", 5.0,
          "cusumThreshold", 5.0,
          "trackLostMinRelativeArea", 0.0);

  /** The event kind of each calibrated threshold. */
  public static final Map<String, String> KIND =
      Map.of(
          "spikeThreshold", "spike",
          "aberrantThreshold", "aberrant_cell",
          "cusumThreshold", "model_drift",
          "trackLostMinRelativeArea", "track_lost");

  /**
   * How to calibrate.
   *
   * @param workDir where the cultures and runs go (created)
   * @param base the pipeline settings (segmenters included); the anomaly thresholds are replaced
   * @param seeds simulator seeds (per style)
   * @param size width = height of the cultures, px
   * @param cells cells at frame 0
   * @param frames frames per culture
   * @param targetPer10k the false-alarm rate per calibrated test, events per 10⁴ cell-frames
   * @param progress one line per run, or null
   * @param threads runs at the same time
   */
  public record Settings(
      Path workDir,
      PipelineConfig base,
      List<Long> seeds,
      int size,
      int cells,
      int frames,
      double targetPer10k,
      PrintWriter progress,
      int threads) {}

  /**
   * One calibrated threshold.
   *
   * @param key the threshold's name (an {@link AnomalyConfig} builder setter)
   * @param kind the event kind
   * @param events events of the kind in the permissive runs
   * @param allowed events allowed above the threshold
   * @param threshold the calibrated threshold
   * @param eventsPer10kByStyle permissive-run events above the calibrated threshold per 10⁴
   *     cell-frames, per style
   */
  public record Threshold(
      String key,
      String kind,
      int events,
      int allowed,
      double threshold,
      Map<String, Double> eventsPer10kByStyle) {}

  /**
   * The calibration.
   *
   * @param cellFrames true cell-frames of the set
   * @param cellFramesByStyle per style
   * @param cultures cultures run
   * @param thresholds per calibrated test
   * @param seconds wall time
   */
  public record Result(
      long cellFrames,
      Map<String, Long> cellFramesByStyle,
      int cultures,
      List<Threshold> thresholds,
      double seconds) {

    /** The thresholds by key. */
    public Map<String, Double> values() {
      Map<String, Double> m = new TreeMap<>();
      thresholds.forEach(t -> m.put(t.key(), t.threshold()));
      return m;
    }
  }

  /** Statistics of one culture's run. */
  private record Run(String style, long cellFrames, Map<String, List<Double>> stats) {}

  private Calibration() {}

  /** The permissive configuration of the calibration runs. */
  public static AnomalyConfig permissive() {
    java.util.Properties p = new java.util.Properties();
    PERMISSIVE.forEach((k, v) -> p.setProperty(k, Double.toString(v)));
    return AnomalyConfig.builder().calibrated(p).build();
  }

  /** Runs the calibration set permissively and sets the thresholds. */
  public static Result run(Settings s) throws IOException {
    long t0 = System.nanoTime();
    List<Run> runs = runAll(s, permissive(), "calibrate");
    long total = 0;
    Map<String, Long> byStyle = new TreeMap<>();
    for (Run r : runs) {
      total += r.cellFrames();
      byStyle.merge(r.style(), r.cellFrames(), Long::sum);
    }
    List<Threshold> out = new ArrayList<>();
    for (String key : new TreeMap<>(KIND).keySet()) {
      String kind = KIND.get(key);
      List<Double> all = new ArrayList<>();
      runs.forEach(r -> all.addAll(r.stats().getOrDefault(kind, List.of())));
      int allowed = allowed(total, s.targetPer10k());
      double threshold = threshold(all, allowed, FLOOR.get(key));
      Map<String, Long> above = new TreeMap<>();
      for (Run r : runs) {
        long n =
            r.stats().getOrDefault(kind, List.of()).stream().filter(v -> v > threshold).count();
        above.merge(r.style(), n, Long::sum);
      }
      Map<String, Double> rate = new TreeMap<>();
      byStyle.forEach((st, cf) -> rate.put(st, above.getOrDefault(st, 0L) * 1e4 / cf));
      out.add(new Threshold(key, kind, all.size(), allowed, threshold, rate));
    }
    return new Result(total, byStyle, runs.size(), out, (System.nanoTime() - t0) / 1e9);
  }

  /** Events allowed in {@code cellFrames} at {@code targetPer10k}: floor(target · N / 10⁴). */
  public static int allowed(long cellFrames, double targetPer10k) {
    return (int) Math.floor(targetPer10k * cellFrames / 1e4);
  }

  /**
   * The least threshold with at most {@code allowed} statistics strictly above it: the (allowed +
   * 1)-th largest statistic, never below {@code floor}; {@code floor} when there are no more than
   * {@code allowed}.
   */
  public static double threshold(List<Double> statistics, int allowed, double floor) {
    List<Double> sorted = new ArrayList<>(statistics);
    sorted.sort(Comparator.reverseOrder());
    return sorted.size() <= allowed ? floor : Math.max(floor, sorted.get(allowed));
  }

  /**
   * Runs the calibration set with the given thresholds and returns published events per 10⁴
   * cell-frames, per style and kind (the achieved rate).
   */
  public static Map<String, Map<String, Double>> verify(Settings s, AnomalyConfig thresholds)
      throws IOException {
    List<Run> runs = runAll(s, thresholds, "verify");
    Map<String, Long> cf = new TreeMap<>();
    Map<String, Map<String, Long>> n = new TreeMap<>();
    for (Run r : runs) {
      cf.merge(r.style(), r.cellFrames(), Long::sum);
      Map<String, Long> m = n.computeIfAbsent(r.style(), k -> new TreeMap<>());
      r.stats().forEach((kind, v) -> m.merge(kind, (long) v.size(), Long::sum));
    }
    Map<String, Map<String, Double>> out = new TreeMap<>();
    n.forEach(
        (style, m) -> {
          Map<String, Double> rates = new TreeMap<>();
          m.forEach((kind, c) -> rates.put(kind, c * 1e4 / cf.get(style)));
          out.put(style, rates);
        });
    cf.keySet().forEach(style -> out.computeIfAbsent(style, k -> new TreeMap<>()));
    return out;
  }

  private static List<Run> runAll(Settings s, AnomalyConfig anomalies, String name)
      throws IOException {
    PipelineConfig config = s.base().toBuilder().anomaly(anomalies).build();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
    try {
      List<Future<Run>> futures = new ArrayList<>();
      for (SimStyle style : SimStyle.values()) {
        for (long seed : s.seeds()) {
          Path dir =
              s.workDir()
                  .resolve(name)
                  .resolve(String.format(Locale.ROOT, "%s-s%d", style.label(), seed));
          futures.add(pool.submit(() -> culture(style, seed, dir, config, s)));
        }
      }
      List<Run> runs = new ArrayList<>();
      for (Future<Run> f : futures) {
        runs.add(Evaluation.get(f));
      }
      return runs;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Run culture(SimStyle style, long seed, Path dir, PipelineConfig config, Settings s)
      throws IOException {
    RunFolders.deleteTree(dir);
    Panel.SimCase c = new Panel.SimCase(style, seed, s.size(), s.cells(), s.frames(), false);
    SimulationConfig sim = c.config();
    CtcWriter.write(sim, dir);
    Path res = dir.resolve("res");
    OfflineRunner.run(
        new OfflineRunner.Options(dir.resolve("01"), res, "calibrate", null, 1.0, config));
    AnomalyScorer.Outcome o = AnomalyScorer.score(dir, res);
    Map<String, List<Double>> stats = new LinkedHashMap<>();
    for (AnomalyEvent e : AnomalyScorer.readEvents(res.resolve("events.jsonl"))) {
      if (Evaluation.LIFECYCLE.contains(e.data().kind())) {
        continue;
      }
      stats
          .computeIfAbsent(e.data().kind(), k -> new ArrayList<>())
          .add(Math.abs(e.data().value()));
    }
    // the images are not needed any more: keep the disk small
    RunFolders.deleteTree(dir.resolve("01"));
    log(s, "%s s%d: %d cell-frames, events %s", style.label(), seed, o.cellFrames(), counts(stats));
    return new Run(style.label(), o.cellFrames(), stats);
  }

  private static Map<String, Integer> counts(Map<String, List<Double>> stats) {
    Map<String, Integer> m = new TreeMap<>();
    stats.forEach((k, v) -> m.put(k, v.size()));
    return m;
  }

  /** The thresholds as the shipped properties file's text. */
  public static String properties(Result r, Settings s, String command) {
    StringBuilder b = new StringBuilder();
    b.append(
        "# Anomaly thresholds calibrated to a false-alarm rate on clean simulated cultures,\n");
    b.append("# through the whole chain (AnomalyConfig.defaults() reads this file).\n");
    b.append(String.format(Locale.ROOT, "# command: %s%n", command));
    b.append(
        String.format(
            Locale.ROOT,
            "# target: %.3g events per 10^4 cell-frames per test; %d cultures (%d styles x seeds"
                + " %s), %dx%d px, %d cells, %d frames; %d cell-frames%n",
            s.targetPer10k(),
            r.cultures(),
            SimStyle.values().length,
            s.seeds(),
            s.size(),
            s.size(),
            s.cells(),
            s.frames(),
            r.cellFrames()));
    for (Threshold t : r.thresholds()) {
      b.append(
          String.format(
              Locale.ROOT,
              "# %s (%s): %d permissive events, %d allowed%n",
              t.key(),
              t.kind(),
              t.events(),
              t.allowed()));
      b.append(String.format(Locale.ROOT, "%s=%.6g%n", t.key(), t.threshold()));
    }
    return b.toString();
  }

  private static void log(Settings s, String format, Object... args) {
    synchronized (s) {
      if (s.progress() == null) {
        return;
      }
      s.progress().printf(Locale.ROOT, format + "%n", args);
      s.progress().flush();
    }
  }
}
