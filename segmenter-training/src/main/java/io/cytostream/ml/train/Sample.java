package io.cytostream.ml.train;

import java.util.Arrays;

/**
 * One annotated training image before augmentation, row-major {@code w × h}.
 *
 * @param set the data set it comes from (picks its share of the crops)
 * @param raw the raw plane in counts (not normalised: augmentation works on raw intensities and the
 *     service's normalisation follows it)
 * @param lab instance labels, 0 = background
 * @param w width, px
 * @param h height, px
 * @param diameter the median equivalent diameter of its objects, px ({@code 2 sqrt(area / π)})
 */
record Sample(String set, float[] raw, int[] lab, int w, int h, double diameter) {

  /** A sample with its median object diameter measured from the labels. */
  static Sample of(String set, float[] raw, int[] lab, int w, int h) {
    return new Sample(set, raw, lab, w, h, medianDiameter(lab));
  }

  /** Median equivalent diameter of the labelled objects, px (20 if there are none). */
  static double medianDiameter(int[] lab) {
    int max = 0;
    for (int v : lab) {
      max = Math.max(max, v);
    }
    int[] area = new int[max + 1];
    for (int v : lab) {
      area[v]++;
    }
    int[] a = Arrays.stream(area, 1, area.length).filter(v -> v > 0).sorted().toArray();
    if (a.length == 0) {
      return 20;
    }
    return 2 * Math.sqrt(a[a.length / 2] / Math.PI);
  }

  /**
   * Foreground and one-pixel inner boundary targets of a label image (boundary: a labelled pixel
   * whose 3×3 neighbourhood holds another label, background included).
   */
  static void boundaryTargets(int[] lab, int w, int h, float[] fg, float[] bd) {
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        int i = yy * w + xx;
        int l = lab[i];
        fg[i] = l == 0 ? 0 : 1;
        bd[i] = 0;
        if (l == 0) {
          continue;
        }
        for (int dy = -1; dy <= 1 && bd[i] == 0; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = xx + dx;
            int ny = yy + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h && lab[ny * w + nx] != l) {
              bd[i] = 1;
              break;
            }
          }
        }
      }
    }
  }
}
