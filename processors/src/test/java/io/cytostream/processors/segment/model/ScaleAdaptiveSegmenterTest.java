package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Per-FOV object size (estimated from the maps, held after the calibration window), rescaling to
 * the training scale and size-relative post-processing: on synthetic FOVs of two object sizes the
 * estimate is within 20 % of the truth, and the bundled model's segmentation quality holds at both.
 */
class ScaleAdaptiveSegmenterTest {
  /**
   * A FOV of textured round nuclei of diameter {@code d} px (some touching) on an uneven
   * background, with noise, as the normaliser would give it: background ≈ 0.4, nuclei ≈ 0.8–1.1.
   */
  static FloatImage[] nuclei(int w, int h, double d, long seed, LabelImage[] truth) {
    Random rnd = new Random(seed);
    int[] lab = new int[w * h];
    double r = d / 2;
    int n = 0;
    double step = d * 1.35;
    double[] level = new double[w * h];
    for (double cy = r + 2; cy + r + 2 < h; cy += step) {
      for (double cx = r + 2; cx + r + 2 < w; cx += step) {
        double jx = cx + (rnd.nextDouble() - 0.5) * 0.3 * d;
        double jy = cy + (rnd.nextDouble() - 0.5) * 0.3 * d;
        double rr = r * (0.85 + 0.3 * rnd.nextDouble());
        double b = 0.85 + 0.2 * rnd.nextDouble();
        n++;
        for (int y = (int) Math.max(0, jy - rr - 1); y <= Math.min(h - 1, jy + rr + 1); y++) {
          for (int x = (int) Math.max(0, jx - rr - 1); x <= Math.min(w - 1, jx + rr + 1); x++) {
            double q = Math.hypot(x - jx, y - jy) / rr;
            if (q <= 1 && lab[y * w + x] == 0) {
              lab[y * w + x] = n;
              // chromatin texture: a few blobs on the scale of the nucleus
              double tex =
                  0.08 * Math.sin(6.0 * (x - jx) / rr + n) * Math.cos(5.0 * (y - jy) / rr + 2 * n);
              level[y * w + x] = b - 0.15 * q * q + tex;
            }
          }
        }
      }
    }
    float[] v = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double bg = 0.38 + 0.04 * x / w;
        v[i] = (float) ((lab[i] != 0 ? level[i] : bg) + 0.03 * rnd.nextGaussian());
      }
    }
    truth[0] = LabelImage.relabel(w, h, lab);
    return new FloatImage[] {new FloatImage(w, h, v)};
  }

  /** Ideal maps of a label image: foreground, and a one-pixel inner contour as boundary. */
  static float[][] idealMaps(LabelImage l) {
    int w = l.width();
    int h = l.height();
    int[] a = l.labels();
    float[] fg = new float[w * h];
    float[] bd = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (a[i] == 0) {
          continue;
        }
        fg[i] = 1;
        boolean edge =
            x == 0
                || y == 0
                || x == w - 1
                || y == h - 1
                || a[i - 1] != a[i]
                || a[i + 1] != a[i]
                || a[i - w] != a[i]
                || a[i + w] != a[i];
        bd[i] = edge ? 1 : 0;
      }
    }
    return new float[][] {fg, bd};
  }

  @Test
  void frameEstimateFromIdealMapsIsWithinTwentyPercentAtTwoSizes() {
    for (double d : new double[] {14, 60}) {
      LabelImage[] t = new LabelImage[1];
      nuclei(480, 400, d, 3, t);
      float[][] m = idealMaps(t[0]);
      double est = ObjectSizeEstimate.ofMaps(m[0], m[1], 480, 400, 3);
      double truth = ObjectScale.medianDiameter(t[0]);
      assertThat(est / truth).as("d=%s: estimate %s, truth %s", d, est, truth).isBetween(0.8, 1.2);
    }
    float[] empty = new float[64 * 64];
    assertThat(ObjectSizeEstimate.ofMaps(empty, empty, 64, 64, 3)).isNaN();
  }

  @Test
  void fovEstimateIsTheMedianOfTheCalibrationFramesThenHeld() {
    ObjectSizeEstimate e = new ObjectSizeEstimate(3, 3);
    assertThat(e.diameter()).isNaN();
    e.add(20);
    assertThat(e.diameter()).isEqualTo(20.0);
    e.add(Double.NaN);
    e.add(30);
    assertThat(e.frozen()).isTrue();
    assertThat(e.diameter()).isEqualTo(25.0);
    e.add(90);
    assertThat(e.diameter()).as("held after the window").isEqualTo(25.0);
  }

  @Test
  void postProcessingScalesWithTheDiameterAndMergesFragmentSeeds() {
    ScaleAdaptiveSegmenter.SizeRules rules =
        new ScaleAdaptiveSegmenter.SizeRules(0.5, 0.5, 0.03, 0.1, 0.6, 0.5);
    MapPostProcessor small = rules.forDiameter(20);
    MapPostProcessor big = rules.forDiameter(80);
    assertThat(big.minArea()).isCloseTo(16 * small.minArea(), within(16));
    assertThat(big.seedMergeDistance()).isEqualTo(40.0);
    // one 40-px disc whose interior a weak line cuts in two halves: one object with merging
    LabelImage[] t = new LabelImage[1];
    int w = 60;
    int[] lab = new int[w * w];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        lab[y * w + x] = Math.hypot(x - 30, y - 30) <= 20 ? 1 : 0;
      }
    }
    t[0] = LabelImage.relabel(w, w, lab);
    float[][] m = idealMaps(t[0]);
    for (int y = 10; y < 50; y++) {
      m[1][y * w + 30] = 0.7f;
    }
    assertThat(new MapPostProcessor(0.5, 0.5, 10, 20, 100).labels(m[0], m[1], w, w).count())
        .as("without merging the line cuts the cell")
        .isEqualTo(2);
    assertThat(rules.forDiameter(40).labels(m[0], m[1], w, w).count()).isEqualTo(1);
  }

  @Test
  void peakSeedsSplitTouchingCellsTheBoundaryMapMisses() {
    int w = 100;
    int h = 60;
    int[] lab = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (Math.hypot(x - 30, y - 30) <= 20 || Math.hypot(x - 68, y - 30) <= 20) {
          lab[y * w + x] = 1; // two touching discs, one blob: no boundary line between them
        }
      }
    }
    float[][] m = idealMaps(LabelImage.relabel(w, h, lab));
    ScaleAdaptiveSegmenter.SizeRules peaks =
        new ScaleAdaptiveSegmenter.SizeRules(0.5, 0.5, 0.03, 0.1, 0.6, 0, 0.35);
    ScaleAdaptiveSegmenter.SizeRules components =
        new ScaleAdaptiveSegmenter.SizeRules(0.5, 0.5, 0.03, 0.1, 0.6, 0, 0);
    LabelImage byComponents = components.labels(m[0], m[1], w, h, 40);
    assertThat(byComponents.count()).as("one boundary-free region, one object").isEqualTo(1);
    LabelImage byPeaks = peaks.labels(m[0], m[1], w, h, 40);
    assertThat(byPeaks.count()).isEqualTo(2);
    assertThat(byPeaks.labels()[30 * w + 25]).isNotEqualTo(byPeaks.labels()[30 * w + 75]);
    assertThat(byPeaks.labels()[30 * w + 25]).isNotZero();
    assertThat(byPeaks.labels()[30 * w + 75]).isNotZero();
  }

  @Test
  void bundledModelHoldsAcrossObjectScalesWithTheFovEstimate() {
    double[] sizes = {16, 64};
    double[] seg = new double[sizes.length];
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      for (int k = 0; k < sizes.length; k++) {
        ScaleAdaptiveSegmenter s =
            new ScaleAdaptiveSegmenter(
                w::run,
                Tiler.defaults(),
                ScaleAdaptiveSegmenter.SizeRules.defaults(),
                ScaleAdaptiveSegmenter.Scale.defaults(),
                new ObjectSizeEstimate(2, 3),
                null);
        CtcSegScore sc = new CtcSegScore();
        CtcSegScore fixed = new CtcSegScore();
        double truthD = 0;
        for (int f = 0; f < 3; f++) {
          LabelImage[] t = new LabelImage[1];
          FloatImage img = nuclei(384, 320, sizes[k], 10 * k + f, t)[0];
          truthD += ObjectScale.medianDiameter(t[0]) / 3;
          LabelImage l = s.segment(img).validate();
          sc.addSegFrame(t[0].labels(), l.labels());
          fixed.addSegFrame(t[0].labels(), w.segment(img).labels());
        }
        double est = s.estimate().diameter();
        seg[k] = sc.score().seg();
        System.out.printf(
            Locale.ROOT,
            "d=%.0f: estimate %.1f px (truth %.1f), SEG adaptive %.3f, fixed %.3f%n",
            sizes[k],
            est,
            truthD,
            seg[k],
            fixed.score().seg());
        assertThat(s.estimate().frozen()).isTrue();
        assertThat(est / truthD).as("size estimate / truth at d=%s", sizes[k]).isBetween(0.8, 1.2);
      }
    }
    assertThat(seg[0]).isGreaterThan(0.7);
    assertThat(seg[1]).isGreaterThan(0.7);
  }
}
