package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.offline.OfflineRunner;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.topology.PipelineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Runs a {@link Panel} through the whole chain, exactly as {@code process} does ({@link
 * OfflineRunner} with the given pipeline settings, frame interval 1 s), once as is ({@code chain})
 * and, where ground-truth masks exist for every frame, once with them in place of segmentation
 * ({@code labels}, {@code process --labels}), and scores every run against ground truth. Each run
 * writes its {@code process} output under {@code workDir}; nothing else is kept.
 */
public final class Evaluation {
  /** The run modes. */
  public static final String CHAIN = "chain";

  /** Ideal segmentation: the ground-truth masks in place of the segmenter. */
  public static final String LABELS = "labels";

  /**
   * Kinds that are the culture's life rather than anomalies: published on cells.lifecycle (read
   * from {@code lifecycle.jsonl}) and reported apart from the anomaly rates.
   */
  public static final Set<String> LIFECYCLE = Set.of("division");

  private static final Pattern FRAME = Pattern.compile("t(\\d+)\\.tif");

  /**
   * How to run.
   *
   * @param sharedData the shared data folder ({@code ../shared/data})
   * @param workDir where each run's output goes (created)
   * @param config pipeline settings of the {@code chain} runs (segmenters included); {@code labels}
   *     runs use the same settings with label images
   * @param segmenter the default segmenter's name, for the report
   * @param progress one line per run, or null
   * @param threads runs done at the same time (each run is single-threaded)
   * @param chainOnly whether the simulated cultures skip their {@code labels} runs (half the time;
   *     the anomaly figures of the chain are unchanged)
   */
  public record Settings(
      Path sharedData,
      Path workDir,
      PipelineConfig config,
      String segmenter,
      PrintWriter progress,
      int threads,
      boolean chainOnly) {

    /** Settings that run both modes. */
    public Settings(
        Path sharedData,
        Path workDir,
        PipelineConfig config,
        String segmenter,
        PrintWriter progress,
        int threads) {
      this(sharedData, workDir, config, segmenter, progress, threads, false);
    }
  }

  /**
   * One row of the CTC-measure table.
   *
   * @param data what was run
   * @param group {@code ctc}, {@code held-out} or {@code simulated}
   * @param mode {@link #CHAIN} or {@link #LABELS}
   * @param frames frames (images for held-out sets)
   * @param seg SEG, null when not meaningful
   * @param det DET
   * @param tra TRA, null for single images
   * @param lnk LNK
   * @param bc1 BC(1), null without true divisions
   * @param gtObjects ground-truth objects (SEG) or markers (DET)
   * @param eventsPer10k anomaly events other than lifecycle ones per 10⁴ true cell-frames, null for
   *     single images
   */
  public record MeasureRow(
      String data,
      String group,
      String mode,
      int frames,
      Double seg,
      Double det,
      Double tra,
      Double lnk,
      Double bc1,
      int gtObjects,
      Double eventsPer10k) {}

  /**
   * Per anomaly kind, pooled over the panel's anomaly cultures of one mode.
   *
   * @param mode {@link #CHAIN} or {@link #LABELS}
   * @param counts the pooled counts (recall, precision)
   */
  public record KindRow(String mode, AnomalyScorer.KindCounts counts) {}

  /**
   * One clean culture.
   *
   * @param data the culture
   * @param mode {@link #CHAIN} or {@link #LABELS}
   * @param cellFrames true cells summed over frames
   * @param anomaliesPer10k events other than lifecycle kinds per 10⁴ cell-frames
   * @param eventsByKind events per kind (lifecycle kinds included)
   * @param trueDivisions divisions in the ground truth
   */
  public record CleanRow(
      String data,
      String mode,
      long cellFrames,
      double anomaliesPer10k,
      Map<String, Integer> eventsByKind,
      int trueDivisions) {}

  /**
   * Everything measured.
   *
   * @param panel the panel's name
   * @param segmenter the default segmenter of the chain runs
   * @param measures CTC measures per run
   * @param kinds per anomaly kind and mode, pooled over anomaly cultures
   * @param clean per clean culture and mode
   * @param perCulture per anomaly culture and mode, the counts per kind
   * @param seconds wall time
   */
  public record Report(
      String panel,
      String segmenter,
      List<MeasureRow> measures,
      List<KindRow> kinds,
      List<CleanRow> clean,
      Map<String, Map<String, AnomalyScorer.KindCounts>> perCulture,
      double seconds) {}

  private Evaluation() {}

  /** Runs the panel. */
  public static Report run(Panel panel, Settings s) throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(s.workDir());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, s.threads()));
    try {
      List<Future<List<MeasureRow>>> real = new ArrayList<>();
      for (Panel.CtcCase c : panel.sequences()) {
        real.add(pool.submit(() -> ctc(c, s)));
      }
      for (Panel.HeldOutCase c : panel.heldOut()) {
        real.add(pool.submit(() -> List.of(heldOut(c, s))));
      }
      List<Future<List<SimRun>>> sims = new ArrayList<>();
      int n = 0;
      for (Panel.SimCase c : panel.cultures()) {
        Path sim = s.workDir().resolve("sim").resolve(String.format(Locale.ROOT, "%02d", n++));
        sims.add(pool.submit(() -> culture(c, sim, s)));
      }
      List<MeasureRow> measures = new ArrayList<>();
      for (Future<List<MeasureRow>> f : real) {
        measures.addAll(get(f));
      }
      Map<String, Map<String, AnomalyScorer.KindCounts>> pooled = new TreeMap<>();
      Map<String, Map<String, AnomalyScorer.KindCounts>> perCulture = new TreeMap<>();
      List<CleanRow> clean = new ArrayList<>();
      for (Future<List<SimRun>> f : sims) {
        for (SimRun r : get(f)) {
          measures.add(r.row());
          if (r.culture().anomalies()) {
            Map<String, AnomalyScorer.KindCounts> p =
                pooled.computeIfAbsent(r.row().mode(), k -> new TreeMap<>());
            r.outcome().kinds().forEach((k, v) -> p.merge(k, v, AnomalyScorer.KindCounts::plus));
            perCulture.put(r.culture().name() + " / " + r.row().mode(), r.outcome().kinds());
          } else {
            Map<String, Integer> byKind = new TreeMap<>();
            r.outcome().kinds().forEach((k, v) -> byKind.put(k, v.events()));
            clean.add(
                new CleanRow(
                    r.culture().name(),
                    r.row().mode(),
                    r.outcome().cellFrames(),
                    r.outcome().ratePer10k(LIFECYCLE),
                    byKind,
                    r.trueDivisions()));
          }
        }
      }
      List<KindRow> kinds = new ArrayList<>();
      // kinds the simulator cannot inject (division) are counted in the clean-culture table
      pooled.forEach(
          (mode, m) ->
              m.values().stream()
                  .filter(k -> k.injected() > 0)
                  .forEach(k -> kinds.add(new KindRow(mode, k))));
      return new Report(
          panel.name(),
          s.segmenter(),
          measures,
          kinds,
          clean,
          perCulture,
          (System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One run of one simulated culture. */
  private record SimRun(
      Panel.SimCase culture, MeasureRow row, AnomalyScorer.Outcome outcome, int trueDivisions) {}

  private static List<SimRun> culture(Panel.SimCase c, Path sim, Settings s) throws IOException {
    RunFolders.deleteTree(sim);
    SimulationConfig config = c.config();
    CtcWriter.Summary written = CtcWriter.write(config, sim);
    List<SimRun> out = new ArrayList<>();
    for (String mode : s.chainOnly() ? List.of(CHAIN) : List.of(CHAIN, LABELS)) {
      Path res = sim.resolve("res-" + mode);
      process(s, sim.resolve("01"), res, mode.equals(LABELS) ? sim.resolve("01_GT/SEG") : null);
      CtcResultScorer.Measures m =
          CtcResultScorer.score(res, sim.resolve("01_GT"), config.frames(), true);
      AnomalyScorer.Outcome o = AnomalyScorer.score(sim, res);
      out.add(
          new SimRun(
              c,
              row(c.name(), "simulated", mode, m, m.seg(), o, LIFECYCLE),
              o,
              written.divisions()));
      log(s, "%s [%s]: %s", c.name(), mode, m);
    }
    return out;
  }

  static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  private static List<MeasureRow> ctc(Panel.CtcCase c, Settings s) throws IOException {
    Path root = s.sharedData().resolve("ctc").resolve(c.dataset());
    Path seq = root.resolve(c.sequence());
    Path gt = root.resolve(c.sequence() + "_GT");
    int all = CtcResultScorer.gtFrames(gt);
    int frames = c.frames() <= 0 ? all : Math.min(c.frames(), all);
    Path work = s.workDir().resolve("ctc").resolve(c.dataset() + "-" + c.sequence());
    RunFolders.deleteTree(work);
    Path input = seq;
    Path labels = gt.resolve(c.idealLabels());
    if (frames < all) {
      input = RunFolders.subset(seq, FRAME, frames, work.resolve("input"));
      labels =
          RunFolders.subset(
              labels,
              Pattern.compile("(?:man_seg|man_track)(\\d+)\\.tif"),
              frames,
              work.resolve("labels"));
    }
    List<MeasureRow> rows = new ArrayList<>();
    for (String mode : List.of(CHAIN, LABELS)) {
      Path out = work.resolve("res-" + mode);
      process(s, input, out, mode.equals(LABELS) ? labels : null);
      CtcResultScorer.Measures m = CtcResultScorer.score(out, gt, frames, true);
      long events =
          AnomalyScorer.readEvents(out.resolve("events.jsonl")).stream()
              .filter(e -> !LIFECYCLE.contains(e.data().kind()))
              .count();
      Double rate = m.markers() == 0 ? null : events * 1e4 / m.markers();
      boolean segMeaningful = mode.equals(CHAIN) || c.idealLabels().equals("SEG");
      rows.add(
          new MeasureRow(
              c.name(),
              "ctc",
              mode,
              frames,
              segMeaningful ? m.seg() : null,
              m.det(),
              m.tra(),
              m.lnk(),
              m.bc1(),
              m.markers(),
              rate));
      log(s, "%s [%s]: %s, %d anomaly events", c.name(), mode, m, events);
    }
    return rows;
  }

  private static MeasureRow heldOut(Panel.HeldOutCase c, Settings s) throws IOException {
    List<HeldOutImages.Image> images =
        HeldOutImages.of(s.sharedData().resolve("train").resolve(c.set()));
    if (c.limit() > 0 && images.size() > c.limit()) {
      images = images.subList(0, c.limit());
    }
    Path work = s.workDir().resolve("held-out").resolve(c.set());
    RunFolders.deleteTree(work);
    CtcSegScore score = new CtcSegScore();
    int[] size = new int[2];
    for (HeldOutImages.Image img : images) {
      Path out = work.resolve(img.name());
      process(s, img.image(), out, null);
      int[] gt = CtcFiles.readLabels(img.mask(), size);
      int[] res = CtcFiles.readLabels(out.resolve("mask000.tif"), size);
      score.addSegFrame(gt, res);
      score.addDetFrame(gt, res);
    }
    CtcSegScore.Score sc = score.score();
    String name = c.set() + " held-out (" + images.size() + " images)";
    log(s, "%s: SEG %.3f DET %.3f over %d nuclei", name, sc.seg(), sc.det(), sc.gtObjects());
    return new MeasureRow(
        name,
        "held-out",
        CHAIN,
        images.size(),
        sc.seg(),
        sc.det(),
        null,
        null,
        null,
        sc.gtObjects(),
        null);
  }

  private static MeasureRow row(
      String data,
      String group,
      String mode,
      CtcResultScorer.Measures m,
      Double seg,
      AnomalyScorer.Outcome o,
      Set<String> lifecycle) {
    return new MeasureRow(
        data,
        group,
        mode,
        m.frames(),
        seg,
        m.det(),
        m.tra(),
        m.lnk(),
        m.bc1(),
        m.markers(),
        o.ratePer10k(lifecycle));
  }

  private static void process(Settings s, Path input, Path out, Path labels) throws IOException {
    RunFolders.deleteTree(out);
    OfflineRunner.run(new OfflineRunner.Options(input, out, "eval", labels, 1.0, s.config()));
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
