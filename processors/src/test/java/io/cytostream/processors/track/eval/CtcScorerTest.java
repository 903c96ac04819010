package io.cytostream.processors.track.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.segment.eval.CtcFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CtcScorerTest {

  private static CtcScorer.Track tr(int l, int b, int e, int p) {
    return new CtcScorer.Track(l, b, e, p);
  }

  /** Three frames of 4 px each; the reference is one cell (label 1) covering px 0–1. */
  private static List<CtcScorer.FrameMatch> frames(int[]... comp) {
    List<CtcScorer.FrameMatch> out = new ArrayList<>();
    for (int[] c : comp) {
      out.add(CtcScorer.FrameMatch.of(new int[] {1, 1, 0, 0}, c));
    }
    return out;
  }

  @Test
  void perfectResultScoresOne() {
    List<CtcScorer.Track> ref = List.of(tr(1, 0, 2, 0));
    List<CtcScorer.FrameMatch> f =
        frames(new int[] {5, 5, 0, 0}, new int[] {5, 5, 0, 0}, new int[] {5, 5, 0, 0});
    CtcScorer.Result r = CtcScorer.aogm(ref, List.of(tr(5, 0, 2, 0)), f);
    assertThat(r.aogm()).isZero();
    assertThat(r.tra()).isEqualTo(1.0);
    assertThat(r.refVertices()).isEqualTo(3);
    assertThat(r.refEdges()).isEqualTo(2);
    assertThat(r.aogm0()).isEqualTo(10 * 3 + 1.5 * 2);
  }

  @Test
  void handComputedErrors() {
    List<CtcScorer.Track> ref = List.of(tr(1, 0, 2, 0));
    // result: label 5 in frames 0-1, label 6 in frame 2 without parent -> one missing edge
    List<CtcScorer.FrameMatch> f =
        frames(new int[] {5, 5, 0, 0}, new int[] {5, 5, 0, 0}, new int[] {6, 6, 0, 0});
    CtcScorer.Result r = CtcScorer.aogm(ref, List.of(tr(5, 0, 1, 0), tr(6, 2, 2, 0)), f);
    assertThat(r.ea()).isEqualTo(1);
    assertThat(r.aogm()).isEqualTo(1.5);
    assertThat(r.tra()).isCloseTo(1 - 1.5 / 33, within(1e-12));
    assertThat(r.lnk()).isCloseTo(1 - 1.5 / 3, within(1e-12));
    // same with a parent link: the edge exists with the wrong semantics -> EC
    CtcScorer.Result withParent = CtcScorer.aogm(ref, List.of(tr(5, 0, 1, 0), tr(6, 2, 2, 5)), f);
    assertThat(withParent.ec()).isEqualTo(1);
    assertThat(withParent.ea()).isZero();
    assertThat(withParent.aogm()).isEqualTo(1.0);
    // an extra object (FP), an object covering only half the marker (FN; not > 50 %)
    List<CtcScorer.FrameMatch> g =
        frames(new int[] {5, 5, 7, 0}, new int[] {5, 0, 0, 0}, new int[] {5, 5, 0, 0});
    CtcScorer.Result r2 = CtcScorer.aogm(ref, List.of(tr(5, 0, 2, 0), tr(7, 0, 0, 0)), g);
    // FP: label 7 in frame 0 and label 5 in frame 1 (it matches no marker there)
    assertThat(r2.fp()).isEqualTo(2);
    assertThat(r2.fn()).isEqualTo(1);
    // both reference edges touch the missed vertex (EA); the result edges touch the unmatched
    // result vertex of frame 1, so they are not compared (no ED)
    assertThat(r2.ea()).isEqualTo(2);
    assertThat(r2.ed()).isZero();
    assertThat(r2.aogm()).isEqualTo(10 + 2 + 1.5 * 2);
  }

  @Test
  void oneObjectOverTwoMarkersIsASplitOperation() {
    CtcScorer.FrameMatch m =
        CtcScorer.FrameMatch.of(new int[] {1, 1, 2, 2}, new int[] {3, 3, 3, 3});
    CtcScorer.Result r =
        CtcScorer.aogm(
            List.of(tr(1, 0, 0, 0), tr(2, 0, 0, 0)), List.of(tr(3, 0, 0, 0)), List.of(m));
    assertThat(r.ns()).isEqualTo(1);
    assertThat(r.aogm()).isEqualTo(5);
  }

  @Test
  void divisionsScoredWithinTolerance() {
    // reference: 1 divides after frame 0 into 2 and 3. Pixels: px0-1 cell, px2 and px3 daughters
    int[][] refImg = {{1, 1, 0, 0}, {0, 0, 2, 3}, {0, 0, 2, 3}};
    List<CtcScorer.Track> ref = List.of(tr(1, 0, 0, 0), tr(2, 1, 2, 1), tr(3, 1, 2, 1));
    int[][] same = {{4, 4, 0, 0}, {0, 0, 5, 6}, {0, 0, 5, 6}};
    List<CtcScorer.FrameMatch> f = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      f.add(CtcScorer.FrameMatch.of(refImg[t], same[t]));
    }
    List<CtcScorer.Track> comp = List.of(tr(4, 0, 0, 0), tr(5, 1, 2, 4), tr(6, 1, 2, 4));
    assertThat(CtcScorer.divisions(ref, comp, f, 0).bc()).isEqualTo(1.0);
    assertThat(CtcScorer.aogm(ref, comp, f).tra()).isEqualTo(1.0);
    // no division in the result: one false negative
    List<CtcScorer.Track> none = List.of(tr(4, 0, 0, 0), tr(5, 1, 2, 0), tr(6, 1, 2, 0));
    CtcScorer.Divisions d = CtcScorer.divisions(ref, none, f, 1);
    assertThat(d.tp()).isZero();
    assertThat(d.fn()).isEqualTo(1);
    assertThat(d.bc()).isZero();
  }

  @Test
  void clipKeepsTracksOfTheFirstFrames() {
    List<CtcScorer.Track> t = List.of(tr(1, 0, 5, 0), tr(2, 6, 9, 1), tr(3, 2, 3, 0));
    assertThat(CtcScorer.clip(t, 4)).containsExactly(tr(1, 0, 3, 0), tr(3, 2, 3, 0));
  }

  @Test
  void groundTruthAgainstItselfScoresOneOnSimPlus() throws Exception {
    Path gt = CtcFiles.sharedData().resolve("ctc/Fluo-N2DH-SIM+/01_GT");
    Assumptions.assumeTrue(Files.isDirectory(gt), "shared CTC data not found; skipping");
    List<CtcScorer.Track> ref = CtcScorer.readTracks(gt.resolve("TRA/man_track.txt"));
    List<CtcScorer.FrameMatch> f = new ArrayList<>();
    int[] size = new int[2];
    for (int t = 0; t < 65; t++) {
      int[] m =
          CtcFiles.readLabels(
              gt.resolve(String.format(java.util.Locale.ROOT, "TRA/man_track%03d.tif", t)), size);
      f.add(CtcScorer.FrameMatch.of(m, m));
    }
    CtcScorer.Result r = CtcScorer.aogm(ref, ref, f);
    assertThat(r.tra()).isEqualTo(1.0);
    assertThat(r.lnk()).isEqualTo(1.0);
    assertThat(CtcScorer.divisions(ref, ref, f, 0).bc()).isEqualTo(1.0);
    assertThat(CtcScorer.divisions(ref, ref, f, 0).tp()).isEqualTo(28);
  }
}
