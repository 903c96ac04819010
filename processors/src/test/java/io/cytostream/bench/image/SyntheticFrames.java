package io.cytostream.bench.image;

import java.util.Random;

/**
 * Deterministic synthetic uint16 frames for benchmarks: bright nuclei (radius 10–25 px, some
 * touching) on a dark background with Gaussian noise and a few hot pixels, at a density like
 * Fluo-N2DH-SIM+ (about one cell per 14 000 px²).
 */
public final class SyntheticFrames {
  private SyntheticFrames() {}

  /**
   * @param size width and height in pixels
   * @param seed random seed
   * @return unsigned samples in a short[], row-major
   */
  public static short[] nuclei(int size, long seed) {
    Random rnd = new Random(seed);
    float[] img = new float[size * size];
    java.util.Arrays.fill(img, 90f);
    int cells = Math.max(1, size * size / 14000);
    for (int c = 0; c < cells; c++) {
      double cx = rnd.nextDouble() * size;
      double cy = rnd.nextDouble() * size;
      double r = 10 + rnd.nextDouble() * 15;
      double bright = 80 + rnd.nextDouble() * 150;
      int x0 = (int) Math.max(0, cx - r - 2);
      int x1 = (int) Math.min(size - 1, cx + r + 2);
      int y0 = (int) Math.max(0, cy - r - 2);
      int y1 = (int) Math.min(size - 1, cy + r + 2);
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double d = Math.hypot(x - cx, y - cy);
          if (d <= r) {
            img[y * size + x] =
                (float) Math.max(img[y * size + x], 90 + bright * (1 - 0.3 * d / r));
          }
        }
      }
    }
    short[] out = new short[img.length];
    for (int i = 0; i < img.length; i++) {
      double v = img[i] + 5 * rnd.nextGaussian();
      if (rnd.nextInt(20000) == 0) {
        v = 4000; // hot pixel
      }
      out[i] = (short) Math.max(0, Math.min(65535, Math.round(v)));
    }
    return out;
  }

  /** Samples as floats. */
  public static float[] toFloat(short[] s) {
    float[] f = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      f[i] = s[i] & 0xFFFF;
    }
    return f;
  }
}
