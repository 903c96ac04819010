package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import java.util.Arrays;

/**
 * Object size estimate and rescaling to the scale a network was trained at. The size of a
 * segmentation is the median equivalent diameter {@code 2 sqrt(area / π)} of its objects, px. A
 * plane whose objects measure outside {@code [low, high]} px is resized by {@code target /
 * measured} (bilinear), segmented, and its labels resized back (nearest neighbour).
 *
 * @param target diameter the objects are brought to, px (&gt; 0)
 * @param low smallest diameter segmented as it is, px
 * @param high largest diameter segmented as it is, px (&ge; low)
 * @param minObjects fewer objects than this give no estimate (factor 1)
 * @param maxFactor the factor is clamped to {@code [1 / maxFactor, maxFactor]} (&ge; 1)
 */
public record ObjectScale(
    double target, double low, double high, int minObjects, double maxFactor) {

  /** Validates. */
  public ObjectScale {
    if (!(target > 0) || !(high >= low) || minObjects < 1 || !(maxFactor >= 1)) {
      throw new IllegalArgumentException("bad object scale parameters");
    }
  }

  /** The median equivalent diameter of the objects of {@code l}, px; NaN without objects. */
  public static double medianDiameter(LabelImage l) {
    int[] area = new int[l.count() + 1];
    for (int v : l.labels()) {
      area[v]++;
    }
    int[] a = Arrays.stream(area, 1, area.length).filter(v -> v > 0).sorted().toArray();
    return a.length == 0 ? Double.NaN : 2 * Math.sqrt(a[a.length / 2] / Math.PI);
  }

  /** The resize factor for a first segmentation {@code l}: 1 when its size is in range. */
  public double factor(LabelImage l) {
    if (l.count() < minObjects) {
      return 1;
    }
    double d = medianDiameter(l);
    if (!(d < low || d > high)) {
      return 1;
    }
    return Math.max(1 / maxFactor, Math.min(maxFactor, target / d));
  }

  /**
   * {@code img} scaled by {@code f} (each side rounded, at least 16 px, the network's smallest
   * input), by {@link #resize(FloatImage, int, int)}.
   */
  public static FloatImage scaled(FloatImage img, double f) {
    int w = Math.max(16, (int) Math.round(img.width() * f));
    int h = Math.max(16, (int) Math.round(img.height() * f));
    return resize(img, w, h);
  }

  /** Bilinear resize of a plane to {@code w × h} (pixel centres aligned). */
  public static FloatImage resize(FloatImage img, int w, int h) {
    int sw = img.width();
    int sh = img.height();
    float[] s = img.data();
    float[] out = new float[w * h];
    double fx = sw / (double) w;
    double fy = sh / (double) h;
    for (int y = 0; y < h; y++) {
      double sy = Math.max(0, Math.min(sh - 1, (y + 0.5) * fy - 0.5));
      int y0 = (int) sy;
      int y1 = Math.min(sh - 1, y0 + 1);
      double ay = sy - y0;
      for (int x = 0; x < w; x++) {
        double sx = Math.max(0, Math.min(sw - 1, (x + 0.5) * fx - 0.5));
        int x0 = (int) sx;
        int x1 = Math.min(sw - 1, x0 + 1);
        double ax = sx - x0;
        double top = s[y0 * sw + x0] * (1 - ax) + s[y0 * sw + x1] * ax;
        double bot = s[y1 * sw + x0] * (1 - ax) + s[y1 * sw + x1] * ax;
        out[y * w + x] = (float) (top * (1 - ay) + bot * ay);
      }
    }
    return new FloatImage(w, h, out);
  }

  /** Nearest-neighbour resize of labels to {@code w × h}, relabelled 1..count. */
  public static LabelImage resize(LabelImage l, int w, int h) {
    int sw = l.width();
    int sh = l.height();
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / h));
      for (int x = 0; x < w; x++) {
        int sx = Math.min(sw - 1, (int) ((x + 0.5) * sw / w));
        out[y * w + x] = l.labels()[sy * sw + sx];
      }
    }
    return LabelImage.relabel(w, h, out);
  }
}
