package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Quality regression on the shared Cell Tracking Challenge sequences with the default {@link
 * SegmentationConfig}: median → per-sequence normalisation (calibrated on the first frames) →
 * {@link ClassicalSegmenter}, scored in Java by {@link CtcSegScore} (identical to {@code
 * shared/tools/ctc-eval} on the same masks). Skips when the data is absent.
 */
class SegmentationRegressionTest {
  static Path ctc(String name) {
    Path p = CtcData.sharedData().resolve("ctc").resolve(name);
    Assumptions.assumeTrue(
        Files.isDirectory(p.resolve("01")) && Files.isDirectory(p.resolve("01_GT")),
        "shared CTC data not found at " + p.toAbsolutePath() + ": skipping");
    return p;
  }

  /** All 65 frames of SIM+ 01: SEG on every annotated frame, DET (AOGM-D) on every frame. */
  @Test
  void simPlus01() {
    Path d = ctc("Fluo-N2DH-SIM+");
    Map<Integer, LabelImage> labels =
        SegmentationEval.segmentSequence(
            d.resolve("01"), new ClassicalSegmenter(), Integer.MAX_VALUE);
    assertThat(labels).hasSize(65);
    CtcSegScore.Score s =
        CtcSegScore.scoreSequence(
            d.resolve("01_GT"), t -> labels.containsKey(t) ? labels.get(t).labels() : null);
    System.out.println("SIM+ 01: " + s);
    assertThat(s.gtObjects()).isGreaterThan(2000);
    assertThat(s.seg()).isGreaterThanOrEqualTo(0.75);
    assertThat(s.det()).isGreaterThanOrEqualTo(0.90);
  }

  /**
   * MSC 01, SEG only: the 18 annotated frames are segmented (the first 10 frames still calibrate
   * the normaliser). The floor is the measured SEG of the defaults rounded down.
   */
  @Test
  void msc01() {
    Path d = ctc("Fluo-C2DL-MSC");
    Pattern seg = Pattern.compile("man_seg(\\d+)\\.tif");
    Set<Integer> annotated = new HashSet<>();
    for (Path f : CtcData.numbered(d.resolve("01_GT/SEG"), seg)) {
      annotated.add(CtcData.number(f, seg));
    }
    Map<Integer, LabelImage> labels =
        SegmentationEval.segmentSequence(
            d.resolve("01"), new ClassicalSegmenter(), Integer.MAX_VALUE, annotated::contains);
    assertThat(labels).hasSize(annotated.size());
    CtcSegScore s = new CtcSegScore();
    int[] size = new int[2];
    for (Path f : CtcData.numbered(d.resolve("01_GT/SEG"), seg)) {
      s.addSegFrame(CtcData.readLabels(f, size), labels.get(CtcData.number(f, seg)).labels());
    }
    System.out.println("MSC 01: " + s.score());
    assertThat(s.score().seg()).isGreaterThanOrEqualTo(MSC_SEG_FLOOR);
  }

  static final double MSC_SEG_FLOOR = 0.56;
}
