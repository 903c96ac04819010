package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassicalSegmenterTest {

  /** Disks of intensity 0.7 on a 0.4 background with Gaussian noise; returns the truth labels. */
  static int[] scene(int w, int h, double[][] disks, float[] img, long seed) {
    Random rnd = new Random(seed);
    int[] truth = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = 0.4f;
        for (int k = 0; k < disks.length; k++) {
          if (Math.hypot(x - disks[k][0], y - disks[k][1]) <= disks[k][2]) {
            v = 0.7f;
            truth[y * w + x] = k + 1;
          }
        }
        img[y * w + x] = v + (float) (0.05 * rnd.nextGaussian());
      }
    }
    return truth;
  }

  @Test
  void findsSeparateAndTouchingDisks() {
    // nuclei about the size of SIM+'s (radius 22-26 px); the last two touch, centres 50 px apart
    int w = 260;
    int h = 170;
    double[][] disks = {{50, 50, 26}, {180, 50, 22}, {90, 115, 26}, {140, 115, 24}};
    float[] img = new float[w * h];
    int[] truth = scene(w, h, disks, img, 7);
    LabelImage l = new ClassicalSegmenter().segment(new FloatImage(w, h, img)).validate();
    assertThat(l.count()).isEqualTo(4);
    CtcSegScore s = new CtcSegScore();
    s.addSegFrame(truth, l.labels());
    s.addDetFrame(truth, l.labels());
    assertThat(s.score().seg()).isGreaterThan(0.8);
    assertThat(s.score().det()).isEqualTo(1.0);
  }

  @Test
  void emptyPlaneGivesNoCells() {
    int w = 64;
    int h = 48;
    float[] img = new float[w * h];
    Random rnd = new Random(3);
    for (int i = 0; i < img.length; i++) {
      img[i] = 0.4f + (float) (0.01 * rnd.nextGaussian());
    }
    LabelImage l =
        new ClassicalSegmenter(SegmentationConfig.defaults().withAreas(200, Integer.MAX_VALUE))
            .segment(new FloatImage(w, h, img));
    assertThat(l.count()).isZero();
  }

  @Test
  void degenerateShapesAndConstantPlanes() {
    ClassicalSegmenter seg =
        new ClassicalSegmenter(SegmentationConfig.defaults().withAreas(1, 100));
    for (int[] s : new int[][] {{1, 1}, {1, 40}, {40, 1}, {2, 2}}) {
      float[] c = new float[s[0] * s[1]];
      java.util.Arrays.fill(c, 0.5f);
      LabelImage l = seg.segment(new FloatImage(s[0], s[1], c)).validate();
      assertThat(l.count()).isZero();
    }
    // a bright bar in a 1-pixel-high strip is found as one object
    float[] strip = new float[60];
    java.util.Arrays.fill(strip, 0.4f);
    for (int x = 20; x < 35; x++) {
      strip[x] = 0.9f;
    }
    LabelImage l =
        new ClassicalSegmenter(SegmentationConfig.defaults().withAreas(1, 100).withFlatten(false))
            .segment(new FloatImage(60, 1, strip))
            .validate();
    assertThat(l.count()).isEqualTo(1);
    assertThat(l.get(27, 0)).isEqualTo(1);
    assertThat(l.get(5, 0)).isZero();
  }

  @Test
  void flatteningRemovesARowBand() {
    int w = 50;
    int h = 40;
    float[] img = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img[y * w + x] = (y < 3 ? 0.9f : 0.4f) + (x == 10 && y == 20 ? 0.5f : 0f);
      }
    }
    float[] f = ClassicalSegmenter.flattenRowsCols(new FloatImage(w, h, img)).data();
    assertThat(f[0]).isEqualTo(f[10 * w]);
    assertThat(f[20 * w + 10]).isGreaterThan(f[20 * w + 11] + 0.4f);
  }

  @Test
  void medianSelectionMatchesSorting() {
    Random rnd = new Random(9);
    for (int n = 1; n < 60; n++) {
      float[] a = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = rnd.nextInt(7) == 0 ? 1f : (float) rnd.nextGaussian(); // with ties
      }
      float[] s = a.clone();
      java.util.Arrays.sort(s);
      float expected = (n & 1) == 1 ? s[n / 2] : 0.5f * (s[n / 2 - 1] + s[n / 2]);
      assertThat(ClassicalSegmenter.median(a, n)).isEqualTo(expected);
    }
  }

  @Test
  void scoreMatchesHandCount() {
    // GT: object 1 = 4 px, object 2 = 2 px. Result: covers 3 of object 1 plus 1 bg px; misses 2.
    int[] gt = {1, 1, 1, 1, 0, 2, 2, 0};
    int[] res = {5, 5, 5, 0, 5, 0, 0, 9};
    CtcSegScore s = new CtcSegScore();
    s.addSegFrame(gt, res);
    s.addDetFrame(gt, res);
    CtcSegScore.Score sc = s.score();
    // object 1: |R∩S| = 3 > 2, J = 3 / (4 + 4 - 3) = 0.6; object 2 unmatched -> 0
    assertThat(sc.seg()).isEqualTo(0.3);
    // FN = 1 (object 2), FP = 1 (label 9), NS = 0: DET = 1 - 11 / 20
    assertThat(sc.fn()).isEqualTo(1);
    assertThat(sc.fp()).isEqualTo(1);
    assertThat(sc.det()).isEqualTo(1 - 11.0 / 20);
  }
}
