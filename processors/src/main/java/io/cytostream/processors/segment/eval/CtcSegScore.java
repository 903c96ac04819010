package io.cytostream.processors.segment.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Cell Tracking Challenge SEG and DET measures, computed in Java (the training tool prints its
 * validation scores with it; {@code evaluate} scores every panel with it).
 *
 * <p><b>SEG</b> (CTC definition, Maška et al. 2014/2023): for each ground-truth object R of every
 * annotated frame ({@code SEG/man_segTTT.tif}), the result object S of the same frame with |R∩S| >
 * 0.5·|R| (at most one can exist) is its match and scores the Jaccard index |R∩S|/|R∪S|; an
 * unmatched R scores 0. SEG is the mean over all ground-truth objects of all annotated frames.
 *
 * <p><b>DET</b> (CTC AOGM-D, Matula et al. 2015), over every frame with a {@code
 * TRA/man_trackTTT.tif} marker image: a result object S detects a marker R when |R∩S| > 0.5·|R|. FN
 * = markers detected by no object; FP = objects detecting no marker; NS = Σ over objects of
 * (markers it detects − 1) for objects detecting more than one marker. AOGM-D = 5·NS + 10·FN + 1·FP
 * and DET = 1 − min(AOGM-D, AOGM-D₀)/AOGM-D₀ with AOGM-D₀ = 10 × (number of markers), the cost of
 * building every detection from nothing. (Our segmenter output has no overlapping objects, so the
 * CTC's separate "redundant" edge cases do not arise.)
 */
public final class CtcSegScore {
  /** Totals of one scoring run. */
  public record Score(
      double seg,
      int gtObjects,
      int segFrames,
      double det,
      int markers,
      int fn,
      int fp,
      int ns,
      int detFrames) {}

  private double jaccardSum;
  private int gtObjects;
  private int segFrames;
  private int markers;
  private int fn;
  private int fp;
  private int ns;
  private int detFrames;

  /**
   * Pixel counts of one frame: the area of every ground-truth and result label and the size of
   * every non-empty intersection (key {@code gt << 32 | result}).
   */
  private record Overlaps(
      Map<Integer, Integer> gtArea, Map<Integer, Integer> resArea, Map<Long, Integer> inter) {

    static Overlaps of(int[] gt, int[] result) {
      if (gt.length != result.length) {
        throw new IllegalArgumentException("image sizes differ");
      }
      Map<Long, Integer> inter = new HashMap<>();
      Map<Integer, Integer> gtArea = new HashMap<>();
      Map<Integer, Integer> resArea = new HashMap<>();
      for (int i = 0; i < gt.length; i++) {
        int g = gt[i];
        int r = result[i];
        if (g != 0) {
          gtArea.merge(g, 1, Integer::sum);
          if (r != 0) {
            inter.merge(((long) g << 32) | r, 1, Integer::sum);
          }
        }
        if (r != 0) {
          resArea.merge(r, 1, Integer::sum);
        }
      }
      return new Overlaps(gtArea, resArea, inter);
    }
  }

  /** Adds one frame's SEG terms. Arrays are row-major labels, 0 = background. */
  public void addSegFrame(int[] gt, int[] result) {
    segFrames++;
    Overlaps o = Overlaps.of(gt, result);
    Map<Integer, Double> best = new HashMap<>();
    for (Map.Entry<Long, Integer> e : o.inter().entrySet()) {
      int g = (int) (e.getKey() >>> 32);
      int r = (int) (long) e.getKey();
      int n = e.getValue();
      int ga = o.gtArea().get(g);
      if (2L * n > ga) {
        best.put(g, (double) n / (ga + o.resArea().get(r) - n));
      }
    }
    gtObjects += o.gtArea().size();
    for (double j : best.values()) {
      jaccardSum += j;
    }
  }

  /** Adds one frame's AOGM-D terms (gt = TRA markers). */
  public void addDetFrame(int[] gt, int[] result) {
    detFrames++;
    Overlaps o = Overlaps.of(gt, result);
    Map<Integer, Integer> resHits = new HashMap<>();
    for (int r : o.resArea().keySet()) {
      resHits.put(r, 0);
    }
    Map<Integer, Boolean> detected = new HashMap<>();
    for (Map.Entry<Long, Integer> e : o.inter().entrySet()) {
      int g = (int) (e.getKey() >>> 32);
      int r = (int) (long) e.getKey();
      if (2L * e.getValue() > o.gtArea().get(g)) {
        detected.put(g, true);
        resHits.merge(r, 1, Integer::sum);
      }
    }
    markers += o.gtArea().size();
    fn += o.gtArea().size() - detected.size();
    for (int hits : resHits.values()) {
      if (hits == 0) {
        fp++;
      } else if (hits > 1) {
        ns += hits - 1;
      }
    }
  }

  /** The totals so far. */
  public Score score() {
    double seg = gtObjects == 0 ? 0 : jaccardSum / gtObjects;
    double d0 = 10.0 * markers;
    double aogm = 5.0 * ns + 10.0 * fn + fp;
    double det = markers == 0 ? 0 : 1 - Math.min(aogm, d0) / d0;
    return new Score(seg, gtObjects, segFrames, det, markers, fn, fp, ns, detFrames);
  }

  /**
   * Scores a whole sequence against a CTC {@code NN_GT} folder.
   *
   * @param gtDir the {@code NN_GT} folder (with SEG/ and TRA/)
   * @param resultOf the result labels of frame t, or null when the frame was not segmented (its
   *     ground truth is then skipped)
   */
  public static Score scoreSequence(Path gtDir, IntFunction<int[]> resultOf) {
    CtcSegScore s = new CtcSegScore();
    int[] size = new int[2];
    Pattern seg = Pattern.compile("man_seg(\\d+)\\.tif");
    for (Path f : CtcFiles.numbered(gtDir.resolve("SEG"), seg)) {
      int[] res = resultOf.apply(CtcFiles.number(f, seg));
      if (res != null) {
        s.addSegFrame(CtcFiles.readLabels(f, size), res);
      }
    }
    Path tra = gtDir.resolve("TRA");
    if (Files.isDirectory(tra)) {
      Pattern mt = Pattern.compile("man_track(\\d+)\\.tif");
      for (Path f : CtcFiles.numbered(tra, mt)) {
        int[] res = resultOf.apply(CtcFiles.number(f, mt));
        if (res != null) {
          s.addDetFrame(CtcFiles.readLabels(f, size), res);
        }
      }
    }
    return s.score();
  }
}
