package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.FloatImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentationPrimitivesTest {

  /** Brute force: distance to the nearest in-image background pixel. */
  static double[] bruteEdt(boolean[] mask, int w, int h) {
    double[] out = new double[mask.length];
    for (int p = 0; p < mask.length; p++) {
      if (!mask[p]) {
        continue;
      }
      double best = Double.POSITIVE_INFINITY;
      for (int q = 0; q < mask.length; q++) {
        if (!mask[q]) {
          double dx = p % w - q % w;
          double dy = p / w - q / w;
          best = Math.min(best, dx * dx + dy * dy);
        }
      }
      out[p] = Math.sqrt(best);
    }
    return out;
  }

  @Test
  void distanceTransformMatchesBruteForce() {
    Random rnd = new Random(5);
    int[][] shapes = {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {17, 13}, {40, 31}};
    for (int[] s : shapes) {
      for (double density : new double[] {0.05, 0.5, 0.95}) {
        int w = s[0];
        int h = s[1];
        boolean[] mask = new boolean[w * h];
        for (int i = 0; i < mask.length; i++) {
          mask[i] = rnd.nextDouble() < density;
        }
        mask[rnd.nextInt(mask.length)] = false; // at least one background pixel
        double[] ref = bruteEdt(mask, w, h);
        float[] got = DistanceTransform.euclidean(mask, w, h);
        for (int i = 0; i < ref.length; i++) {
          assertThat((double) got[i])
              .as("%dx%d p=%.2f i=%d", w, h, density, i)
              .isCloseTo(ref[i], within(1e-4));
        }
      }
    }
  }

  @Test
  void distanceTransformHandCase() {
    // 5x1 row: bg, fg, fg, fg, bg -> 0 1 2 1 0
    boolean[] m = {false, true, true, true, false};
    assertThat(DistanceTransform.euclidean(m, 5, 1)).containsExactly(0f, 1f, 2f, 1f, 0f);
    boolean[] all = {true, true, true, true};
    assertThat(DistanceTransform.euclidean(all, 2, 2)).containsOnly(Float.POSITIVE_INFINITY);
  }

  @Test
  void otsuSplitsTwoModes() {
    long[] h = new long[16];
    h[2] = 100;
    h[3] = 80;
    h[11] = 30;
    h[12] = 40;
    int t = Thresholds.otsu(h);
    assertThat(t).isBetween(3, 10);
  }

  @Test
  void triangleHandCase() {
    // peak at 1 (100), linear-ish tail to 9: the knee at bin 3 (the first bin after the drop)
    long[] h = {0, 100, 20, 10, 9, 8, 7, 6, 5, 4};
    int t = Thresholds.triangle(h);
    // line from (1,100) to (9,4): distance is largest where the histogram is furthest below it
    double best = -1;
    int expected = -1;
    for (int i = 1; i < 9; i++) {
      double d = Math.abs((4 - 100) * (i - 1) + (1 - 9) * (h[i] - 100));
      if (d > best) {
        best = d;
        expected = i;
      }
    }
    assertThat(t).isEqualTo(expected).isEqualTo(2);
  }

  @Test
  void labelAndFillHoles() {
    // ring with a 1-pixel hole plus an isolated pixel (8-connected to nothing)
    String[] rows = {"#####...", "#.#.#..#", "#####...", "........"};
    int w = 8;
    int h = 4;
    boolean[] m = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        m[y * w + x] = rows[y].charAt(x) == '#';
      }
    }
    int[] lab = new int[m.length];
    assertThat(BinaryOps.label(m, w, h, true, lab)).isEqualTo(2);
    BinaryOps.fillHoles(m, w, h, 10);
    assertThat(m[1 * w + 1]).isTrue();
    assertThat(m[1 * w + 3]).isTrue();
    assertThat(m[1 * w + 5]).isFalse(); // open to the border
    BinaryOps.removeSmall(m, w, h, 2);
    assertThat(m[1 * w + 7]).isFalse();
    assertThat(m[0]).isTrue();
  }

  @Test
  void gaussianPreservesConstantsAndMass() {
    float[] c = new float[30 * 20];
    java.util.Arrays.fill(c, 3.5f);
    FloatImage b = GaussianBlur.blur(new FloatImage(30, 20, c), 2.0);
    for (float f : b.data()) {
      assertThat((double) f).isCloseTo(3.5, within(1e-5));
    }
    float[] k = GaussianBlur.kernel(1.5);
    double sum = 0;
    for (float f : k) {
      sum += f;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-6));
    assertThat(k.length).isEqualTo(2 * 5 + 1);
  }

  /** Two overlapping disks, radius r, centres d apart. */
  static boolean[] twoDisks(int w, int h, double r, double d) {
    boolean[] m = new boolean[w * h];
    double cy = h / 2.0;
    double c1 = w / 2.0 - d / 2;
    double c2 = w / 2.0 + d / 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double a = Math.hypot(x - c1, y - cy);
        double b = Math.hypot(x - c2, y - cy);
        m[y * w + x] = a <= r || b <= r;
      }
    }
    return m;
  }

  @Test
  void watershedSplitsTouchingDisksButNotOne() {
    int w = 100;
    int h = 60;
    boolean[] pair = twoDisks(w, h, 15, 26);
    float[] dist = DistanceTransform.euclidean(pair, w, h);
    int[] lab = MaximaWatershed.segment(dist, pair, w, h, 2, 1);
    int left = lab[30 * w + 30];
    int right = lab[30 * w + 70];
    assertThat(left).isNotZero();
    assertThat(right).isNotZero().isNotEqualTo(left);
    // every mask pixel is labelled, the split runs near the middle column
    for (int i = 0; i < pair.length; i++) {
      assertThat(lab[i] != 0).isEqualTo(pair[i]);
      if (pair[i] && Math.abs(i % w - 50) > 2) {
        assertThat(lab[i]).isEqualTo(i % w < 50 ? left : right);
      }
    }
    boolean[] one = twoDisks(w, h, 15, 0);
    int[] single = MaximaWatershed.segment(DistanceTransform.euclidean(one, w, h), one, w, h, 2, 1);
    assertThat(java.util.Arrays.stream(single).filter(l -> l != 0).distinct().count()).isEqualTo(1);
    // a high dynamic keeps the pair together
    int[] merged = MaximaWatershed.segment(dist, pair, w, h, 20, 1);
    assertThat(merged[30 * w + 30]).isEqualTo(merged[30 * w + 70]);
  }
}
