package io.cytostream.processors.evaluate;

import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.track.eval.CtcScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scores a result in Cell Tracking Challenge layout ({@code res_track.txt}, {@code maskTTT.tif}, as
 * {@code process} writes it) against a CTC ground-truth folder ({@code NN_GT} with {@code TRA/} and
 * {@code SEG/}), over the frames {@code [0, frames)}: SEG and DET with {@link CtcSegScore}, TRA,
 * LNK and BC(1) with {@link CtcScorer} (the ground-truth tracks clipped to those frames). A frame
 * without a result mask counts as an empty result.
 */
public final class CtcResultScorer {
  private static final Pattern MASK = Pattern.compile("mask(\\d+)\\.tif");
  private static final Pattern TRA = Pattern.compile("man_track(\\d+)\\.tif");
  private static final Pattern SEG = Pattern.compile("man_seg(\\d+)\\.tif");

  private CtcResultScorer() {}

  /**
   * The CTC measures of one result. Tracking measures are null when not computed; {@code bc1} is
   * null when the ground truth has no division in the scored frames.
   *
   * @param seg SEG (mean Jaccard over ground-truth objects of the annotated frames)
   * @param segObjects ground-truth objects SEG averaged over
   * @param det DET (normalised AOGM-D)
   * @param markers TRA markers DET counted
   * @param tra TRA (normalised AOGM)
   * @param lnk LNK (normalised AOGM-A, the linking part)
   * @param bc1 BC(1), F1 of divisions within ±1 frame
   * @param divisions ground-truth divisions in the scored frames
   * @param frames frames scored
   */
  public record Measures(
      double seg,
      int segObjects,
      double det,
      int markers,
      Double tra,
      Double lnk,
      Double bc1,
      int divisions,
      int frames) {}

  /** Frames of a CTC ground-truth folder: one more than the last TRA (else SEG) frame number. */
  public static int gtFrames(Path gtDir) {
    Path tra = gtDir.resolve("TRA");
    List<Path> f =
        Files.isDirectory(tra)
            ? CtcFiles.numbered(tra, TRA)
            : CtcFiles.numbered(gtDir.resolve("SEG"), SEG);
    if (f.isEmpty()) {
      throw new IllegalArgumentException(gtDir + " has no TRA or SEG images");
    }
    Pattern p = Files.isDirectory(tra) ? TRA : SEG;
    return CtcFiles.number(f.get(f.size() - 1), p) + 1;
  }

  /**
   * Scores {@code resDir} against {@code gtDir} over frames {@code [0, frames)}.
   *
   * @param tracking whether to compute TRA, LNK and BC(1) (needs {@code TRA/man_track.txt} and
   *     {@code res_track.txt})
   */
  public static Measures score(Path resDir, Path gtDir, int frames, boolean tracking)
      throws IOException {
    Map<Integer, Path> results = new HashMap<>();
    for (Path f : CtcFiles.numbered(resDir, MASK)) {
      results.put(CtcFiles.number(f, MASK), f);
    }
    Map<Integer, Path> seg = new HashMap<>();
    if (Files.isDirectory(gtDir.resolve("SEG"))) {
      for (Path f : CtcFiles.numbered(gtDir.resolve("SEG"), SEG)) {
        seg.put(CtcFiles.number(f, SEG), f);
      }
    }
    Path traDir = gtDir.resolve("TRA");
    Map<Integer, Path> tra = new HashMap<>();
    if (Files.isDirectory(traDir)) {
      for (Path f : CtcFiles.numbered(traDir, TRA)) {
        tra.put(CtcFiles.number(f, TRA), f);
      }
    }
    int[] size = new int[2];
    CtcSegScore s = new CtcSegScore();
    List<CtcScorer.FrameMatch> matches = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      int[] gtTra = tra.containsKey(t) ? CtcFiles.readLabels(tra.get(t), size) : null;
      int[] gtSeg = seg.containsKey(t) ? CtcFiles.readLabels(seg.get(t), size) : null;
      int pixels = size[0] * size[1];
      int[] res =
          results.containsKey(t)
              ? CtcFiles.readLabels(results.get(t), size)
              : pixels > 0 ? new int[pixels] : null;
      if (res == null) {
        throw new IllegalArgumentException("frame " + t + ": neither ground truth nor result");
      }
      for (int[] gt : new int[][] {gtTra, gtSeg}) {
        if (gt != null && gt.length != res.length) {
          throw new IllegalArgumentException(
              "frame " + t + ": result mask size differs from the ground truth");
        }
      }
      if (gtSeg != null) {
        s.addSegFrame(gtSeg, res);
      }
      if (gtTra != null) {
        s.addDetFrame(gtTra, res);
      }
      if (tracking) {
        matches.add(CtcScorer.FrameMatch.of(gtTra != null ? gtTra : new int[res.length], res));
      }
    }
    CtcSegScore.Score ss = s.score();
    if (!tracking) {
      return new Measures(
          ss.seg(), ss.gtObjects(), ss.det(), ss.markers(), null, null, null, 0, frames);
    }
    List<CtcScorer.Track> ref =
        CtcScorer.clip(CtcScorer.readTracks(traDir.resolve("man_track.txt")), frames);
    List<CtcScorer.Track> comp = CtcScorer.readTracks(resDir.resolve("res_track.txt"));
    CtcScorer.Result r = CtcScorer.aogm(ref, comp, matches);
    CtcScorer.Divisions d = CtcScorer.divisions(ref, comp, matches, 1);
    int divisions = d.tp() + d.fn();
    return new Measures(
        ss.seg(),
        ss.gtObjects(),
        ss.det(),
        ss.markers(),
        r.tra(),
        r.lnk(),
        divisions == 0 ? null : d.bc(),
        divisions,
        frames);
  }
}
