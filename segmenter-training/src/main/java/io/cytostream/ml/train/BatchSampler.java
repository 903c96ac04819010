package io.cytostream.ml.train;

import java.util.List;
import java.util.Random;

/**
 * Draws training batches: a data set by its share, a random sample of it, a random {@code p × p}
 * crop with one of the 8 flips/rotations and a gain (0.85–1.15) and offset (±0.05) jitter. All
 * randomness from the given {@link Random}.
 */
final class BatchSampler {
  private final List<Sample> data;
  private final String[] sets;
  private final double[] mix;

  /**
   * @param data the samples
   * @param sets data set names, one per share
   * @param mix shares of crops per set (non-negative, positive sum)
   */
  BatchSampler(List<Sample> data, String[] sets, double[] mix) {
    this.data = data;
    this.sets = sets.clone();
    this.mix = mix.clone();
  }

  /**
   * Fills one batch: {@code bx} images (N×p×p×1), {@code by} targets (N×p×p×2: foreground,
   * boundary), {@code bk} loss mask (N×p×p×1).
   */
  void fill(Random rnd, float[] bx, float[] by, float[] bk, int batch, int p) {
    double total = 0;
    for (double m : mix) {
      total += m;
    }
    for (int b = 0; b < batch; b++) {
      double u = rnd.nextDouble() * total;
      int si = 0;
      while (si < mix.length - 1 && u >= mix[si]) {
        u -= mix[si];
        si++;
      }
      String set = sets[si];
      Sample s;
      do {
        s = data.get(rnd.nextInt(data.size()));
      } while (!s.set().equals(set));
      int x0 = rnd.nextInt(Math.max(1, s.w() - p + 1));
      int y0 = rnd.nextInt(Math.max(1, s.h() - p + 1));
      boolean fx = rnd.nextBoolean();
      boolean fy = rnd.nextBoolean();
      boolean tr = rnd.nextBoolean();
      float gain = (float) (0.85 + 0.3 * rnd.nextDouble());
      float off = (float) (0.1 * rnd.nextDouble() - 0.05);
      for (int yy = 0; yy < p; yy++) {
        for (int xx = 0; xx < p; xx++) {
          int sx = tr ? yy : xx;
          int sy = tr ? xx : yy;
          if (fx) {
            sx = p - 1 - sx;
          }
          if (fy) {
            sy = p - 1 - sy;
          }
          sx = Math.min(s.w() - 1, x0 + sx);
          sy = Math.min(s.h() - 1, y0 + sy);
          int i = sy * s.w() + sx;
          int o = (b * p + yy) * p + xx;
          bx[o] = s.img()[i] * gain + off;
          by[2 * o] = s.fg()[i];
          by[2 * o + 1] = s.bd()[i];
          bk[o] = s.known()[i];
        }
      }
    }
  }
}
