package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.RenderStyle;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatField} against the simulator's ground truth: an unevenly lit culture (the evaluation
 * panel's {@code uneven} style: gradient 0.5 along x, vignetting 0.5) is segmented as well as the
 * same culture evenly lit, and an evenly lit plane is left exactly as it is.
 */
class FlatFieldTest {

  private static SimulationConfig culture(long seed, RenderStyle style) {
    return SimulationConfig.builder()
        .seed(seed)
        .size(384, 384)
        .cells(34)
        .frames(6)
        .style(style)
        .build();
  }

  /**
   * The panel's clean uneven culture (seed 11), frames 0–4: before the flat field the confluent
   * foreground's one threshold lost the dim third of the field (SEG 0.54–0.58 on these frames);
   * with it the segmentation equals that of the evenly lit culture (0.94).
   */
  @Test
  void anUnevenlyLitCultureIsSegmentedAsWellAsAnEvenOne() {
    SegmentationConfig cfg = SegmentationConfig.defaults();
    ClassicalSegmenter seg = new ClassicalSegmenter(cfg);
    CtcSegScore withField = new CtcSegScore();
    CtcSegScore without = new CtcSegScore();
    for (ConfluentTriggerTest.Plane p :
        ConfluentTriggerTest.frames(culture(11, RenderStyle.unevenIllumination(0.5, 0.5)), 0, 4)) {
      FloatImage n = p.normalized();
      FlatField.Field f = FlatField.estimate(n);
      assertThat(f).isNotNull();
      assertThat(f.uneven()).as("the field is recognised: %s", f).isTrue();
      int[] l = seg.segment(n).labels();
      withField.addSegFrame(p.truth(), l);
      withField.addDetFrame(p.truth(), l);
      // what the segmenter did before: the same steps on the plane as it is
      boolean[] m = ConfluentForeground.mask(n, cfg);
      int[] old =
          seg.segmentMask(m != null ? m : seg.ordinaryForeground(n), n.width(), n.height())
              .labels();
      without.addSegFrame(p.truth(), old);
      without.addDetFrame(p.truth(), old);
    }
    System.out.printf(
        Locale.ROOT,
        "uneven culture: SEG / DET with the flat field %.3f / %.3f, without %.3f / %.3f%n",
        withField.score().seg(),
        withField.score().det(),
        without.score().seg(),
        without.score().det());
    assertThat(without.score().seg()).as("the global threshold fails here").isLessThan(0.7);
    assertThat(withField.score().seg()).isGreaterThan(0.9);
    assertThat(withField.score().det()).isGreaterThan(0.95);
  }

  /** The same culture evenly lit (the panel's confluent style) and separated nuclei: untouched. */
  @Test
  void evenlyLitPlanesAreReturnedAsTheyAre() {
    for (RenderStyle style :
        new RenderStyle[] {RenderStyle.DEFAULT, RenderStyle.sparseNuclei(), RenderStyle.dim()}) {
      for (ConfluentTriggerTest.Plane p : ConfluentTriggerTest.frames(culture(11, style), 0, 4)) {
        FloatImage n = p.normalized();
        assertThat(FlatField.flatten(n)).as("style %s", style).isSameAs(n);
      }
    }
  }

  /** Two classes under an additive ramp and bowl (a multiplicative field after the log). */
  private static FloatImage twoClassesUnderAField(double amplitude, boolean cellsOnOneSide) {
    Random rnd = new Random(3);
    int w = 320;
    int h = 256;
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = 2.0 * x / (w - 1) - 1;
        double v = 2.0 * y / (h - 1) - 1;
        // discs of radius 9 on a 24 px lattice; with cellsOnOneSide only in the left half
        int cx = (x / 24) * 24 + 12;
        int cy = (y / 24) * 24 + 12;
        boolean cell =
            (x - cx) * (x - cx) + (y - cy) * (y - cy) < 81 && (!cellsOnOneSide || x < w / 2);
        double level = cell ? 0.7 : 0.1;
        double field = amplitude * (0.5 * u - 0.4 * (u * u + v * v));
        d[y * w + x] = (float) (level + field + 0.02 * rnd.nextGaussian());
      }
    }
    return new FloatImage(w, h, d);
  }

  @Test
  void aSmoothFieldIsTakenOutAndTheClassesAreFlatAgain() {
    // the field spans ≈ 1.2, twice the classes' contrast (0.6)
    FloatImage img = twoClassesUnderAField(1.0, false);
    FlatField.Field f = FlatField.estimate(img);
    assertThat(f.uneven()).isTrue();
    assertThat(f.correlation()).isGreaterThan(0.95);
    FloatImage flat = FlatField.flatten(img);
    // background pixels (between the discs) are level across the plane after flattening
    double left = flat.data()[0 * img.width() + 2];
    double right = flat.data()[0 * img.width() + img.width() - 3];
    double centre = flat.data()[120 * img.width() + 168];
    assertThat(Math.abs(left - right)).isLessThan(0.1);
    assertThat(Math.abs(left - centre)).isLessThan(0.1);
    // before: the left and right edges differed by the ramp, 0.5 × 2 = 1
    assertThat((double) Math.abs(img.data()[2] - img.data()[img.width() - 3])).isGreaterThan(0.8);
  }

  /** A field smaller than the classes' contrast: one threshold still separates them. */
  @Test
  void aMildFieldIsLeftToTheGlobalThreshold() {
    FloatImage img = twoClassesUnderAField(0.3, false);
    FlatField.Field f = FlatField.estimate(img);
    assertThat(f.correlation()).isGreaterThan(0.95);
    assertThat(Math.max(f.lowRange(), f.highRange())).isLessThan(f.contrast());
    assertThat(f.uneven()).isFalse();
    assertThat(FlatField.flatten(img)).isSameAs(img);
  }

  @Test
  void noFieldAndCellsOnOneSideIsNotAField() {
    assertThat(FlatField.estimate(twoClassesUnderAField(0, false)).uneven()).isFalse();
    FloatImage oneSide = twoClassesUnderAField(0, true);
    FlatField.Field f = FlatField.estimate(oneSide);
    assertThat(f.uneven()).as("%s", f).isFalse();
    assertThat(FlatField.flatten(oneSide)).isSameAs(oneSide);
  }

  @Test
  void aPlaneTooSmallForTheGridIsLeftAlone() {
    FloatImage small = new FloatImage(100, 100, new float[100 * 100]);
    assertThat(FlatField.estimate(small)).isNull();
    assertThat(FlatField.flatten(small)).isSameAs(small);
  }
}
