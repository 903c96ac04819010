package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.RenderStyle;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * When {@link ConfluentForeground} takes over, checked against the simulator's ground truth on the
 * load test's own frames ({@code loadtest}'s defaults: seed 1, 512², 100 cells, the simulator's
 * standard, confluent look) and on dense but separated nuclei. The load test slowed down when the
 * confluent foreground was added; these frames are confluent (ground truth: cells on ≈ 93 % of the
 * field), the ordinary foreground keeps ≈ 15 % of it and merges the cells, and the confluent one is
 * the right segmentation there, so the trigger must fire on them.
 */
class ConfluentTriggerTest {

  /** A simulated frame after normalisation, with its ground-truth labels. */
  record Plane(FloatImage normalized, int[] truth) {}

  /**
   * Frames {@code from..to} of a culture, normalised as the service does (3×3 median, then the
   * FOV's normaliser from frame 0 on).
   */
  static List<Plane> frames(SimulationConfig cfg, int from, int to) {
    IntensityNormalizer norm = IntensityNormalizer.defaults();
    NormalizerState state = norm.initial();
    MedianFilter3x3 median = MedianFilter3x3.sequential();
    List<Plane> out = new ArrayList<>();
    Iterator<SimulatedFrame> it = new CultureSimulator(cfg);
    while (it.hasNext()) {
      SimulatedFrame f = it.next();
      if (f.index() > to) {
        break;
      }
      RawPlane r = f.raw();
      short[] m = median.uint16(r.toShortArray(), r.width(), r.height());
      float[] v = new float[m.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = m[i] & 0xFFFF;
      }
      IntensityNormalizer.Step step = norm.step(state, new FloatImage(r.width(), r.height(), v));
      state = step.state();
      if (f.index() >= from && !f.dropped()) {
        int[] truth = new int[f.labels().length];
        for (int i = 0; i < truth.length; i++) {
          truth[i] = Short.toUnsignedInt(f.labels()[i]);
        }
        out.add(new Plane(step.normalized(), truth));
      }
    }
    return out;
  }

  /** Intersection over union of a mask with the ground truth's foreground. */
  static double foregroundIou(boolean[] mask, int[] truth) {
    int inter = 0;
    int union = 0;
    for (int i = 0; i < mask.length; i++) {
      boolean t = truth[i] != 0;
      inter += mask[i] && t ? 1 : 0;
      union += mask[i] || t ? 1 : 0;
    }
    return union == 0 ? 1 : inter / (double) union;
  }

  static double truthCover(int[] truth) {
    int n = 0;
    for (int t : truth) {
      n += t != 0 ? 1 : 0;
    }
    return n / (double) truth.length;
  }

  @Test
  void theLoadTestsFramesAreConfluentAndTheConfluentForegroundIsTheRightOne() {
    SegmentationConfig cfg = SegmentationConfig.defaults();
    ClassicalSegmenter seg = new ClassicalSegmenter(cfg);
    // loadtest's FramePool for its first FOV: seed 1, the simulator's defaults otherwise
    SimulationConfig sim =
        SimulationConfig.builder().seed(1).size(512, 512).cells(100).frames(12).build();
    CtcSegScore score = new CtcSegScore();
    for (Plane p : frames(sim, 10, 11)) {
      double cover = truthCover(p.truth());
      boolean[] confluent = ConfluentForeground.mask(p.normalized(), cfg);
      boolean[] ordinary = seg.ordinaryForeground(p.normalized());
      double iouConfluent = confluent == null ? 0 : foregroundIou(confluent, p.truth());
      double iouOrdinary = foregroundIou(ordinary, p.truth());
      System.out.printf(
          Locale.ROOT,
          "load test frame: cells cover %.3f; foreground IoU confluent %.3f, ordinary %.3f%n",
          cover,
          iouConfluent,
          iouOrdinary);
      assertThat(cover).as("cells cover most of the field").isGreaterThan(0.85);
      assertThat(confluent).as("the trigger fires").isNotNull();
      assertThat(iouConfluent).isGreaterThan(0.9);
      assertThat(iouOrdinary).as("the ordinary foreground misses most cells").isLessThan(0.4);
      score.addSegFrame(p.truth(), seg.segment(p.normalized()).labels());
    }
    // 0.88 at this commit; 0.13 with the ordinary foreground (the load test's 14.4 frames/s)
    assertThat(score.score().seg()).as("SEG of what the service segments").isGreaterThan(0.8);
  }

  @Test
  void denseSeparatedNucleiAreNotConfluent() {
    SegmentationConfig cfg = SegmentationConfig.defaults();
    // the load test's culture, but round nuclei separated by background: 0.3 × the spacing covers
    // ≈ 26 % of the field, 0.35 × ≈ 35 %
    for (double radius : new double[] {0.3, 0.35}) {
      SimulationConfig sim =
          SimulationConfig.builder()
              .seed(1)
              .size(512, 512)
              .cells(100)
              .frames(12)
              .style(RenderStyle.DEFAULT.withCellRadius(radius))
              .build();
      for (Plane p : frames(sim, 10, 11)) {
        assertThat(truthCover(p.truth())).isLessThan(0.4);
        assertThat(ConfluentForeground.mask(p.normalized(), cfg))
            .as("nuclei of radius %.2f × spacing", radius)
            .isNull();
      }
    }
  }

  /**
   * Cells on just over half the field (round cells of 0.45 × the spacing, many touching): the
   * histogram's two peaks are almost equally high, so which one is the mode changed from frame to
   * frame (the trigger before this test fired on 5 of the first 20 frames, none of frames 10–13),
   * while the bright class's share of the pixels stays at 0.56–0.57 on every frame. The ordinary
   * foreground fails on such a field (SEG < 0.1), so it must be confluent on every frame.
   */
  @Test
  void aFieldJustOverHalfCoveredIsConfluentOnEveryFrame() {
    SegmentationConfig cfg = SegmentationConfig.defaults();
    ClassicalSegmenter seg = new ClassicalSegmenter(cfg);
    SimulationConfig sim =
        SimulationConfig.builder()
            .seed(1)
            .size(512, 512)
            .cells(100)
            .frames(14)
            .style(RenderStyle.DEFAULT.withCellRadius(0.45).withCellScale(0.7))
            .build();
    CtcSegScore confluent = new CtcSegScore();
    CtcSegScore ordinary = new CtcSegScore();
    for (Plane p : frames(sim, 10, 13)) {
      assertThat(truthCover(p.truth())).isBetween(0.5, 0.65);
      assertThat(ConfluentForeground.mask(p.normalized(), cfg)).as("confluent").isNotNull();
      confluent.addSegFrame(p.truth(), seg.segment(p.normalized()).labels());
      boolean[] m = seg.ordinaryForeground(p.normalized());
      ordinary.addSegFrame(
          p.truth(), seg.segmentMask(m, p.normalized().width(), p.normalized().height()).labels());
    }
    System.out.printf(
        Locale.ROOT,
        "half-covered field: SEG confluent %.3f, ordinary %.3f%n",
        confluent.score().seg(),
        ordinary.score().seg());
    assertThat(confluent.score().seg()).isGreaterThan(ordinary.score().seg() + 0.4);
  }
}
