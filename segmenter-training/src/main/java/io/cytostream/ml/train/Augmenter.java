package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.GaussianBlur;
import io.cytostream.processors.segment.eval.AnnotatedImages;
import java.util.Arrays;
import java.util.Random;

/**
 * Domain randomisation of one training crop, on raw intensities, followed by the service's own
 * normalisation ({@link AnnotatedImages#normalizeSingle}: median 3×3, then the per-FOV
 * interquartile map of log(x + 1) with the crop as the calibration frame), so that the network sees
 * inputs as the service will produce them from any microscope.
 *
 * <p>Per crop, all from the given {@link Random}:
 *
 * <ul>
 *   <li>geometry: zoom log-uniform in [{@value #MIN_ZOOM}, {@value #MAX_ZOOM}], clamped so that the
 *       sample's median object diameter becomes {@value #MIN_DIAMETER}–{@value #MAX_DIAMETER} px;
 *       bilinear image, nearest-neighbour labels; one of the 8 flips/rotations; pixels outside the
 *       source image are background-filled and excluded from the loss;
 *   <li>intensity (probability {@value #RANDOMISE}; otherwise the raw crop as it is): the crop is
 *       mapped to a signal s (0 at its 2nd, 1 at its 99.8th percentile), optionally blurred (σ
 *       0.5–2 px), then re-imaged: expected photons {@code P·s·illum + P·bg} with peak photons P
 *       log-uniform 10–3000, a smooth illumination field (gradient + one broad bump, ±0–60 %), a
 *       smooth uneven background (0–25 % of the peak), Poisson shot noise (normal approximation)
 *       and Gaussian read noise (0–10 photons), then gain and camera offset into an 8-, 12- or
 *       16-bit range (peak at 15–85 % of full scale), rounded and clipped.
 * </ul>
 */
final class Augmenter {
  static final double MIN_ZOOM = 0.5;
  static final double MAX_ZOOM = 2.0;
  static final double MIN_DIAMETER = 8;
  static final double MAX_DIAMETER = 80;
  static final double RANDOMISE = 0.8;

  /**
   * Writes crop {@code b} of a batch: image into {@code bx} (N×p×p×1), targets into {@code by}
   * (N×p×p×2: foreground, boundary), loss mask into {@code bk} (N×p×p×1).
   */
  void crop(Sample s, Random rnd, int p, int b, float[] bx, float[] by, float[] bk) {
    double zoom = Math.exp(Math.log(MIN_ZOOM) + rnd.nextDouble() * Math.log(MAX_ZOOM / MIN_ZOOM));
    zoom = Math.max(MIN_DIAMETER / s.diameter(), Math.min(MAX_DIAMETER / s.diameter(), zoom));
    double side = p / zoom;
    double x0 = origin(rnd, s.w(), side);
    double y0 = origin(rnd, s.h(), side);
    boolean fx = rnd.nextBoolean();
    boolean fy = rnd.nextBoolean();
    boolean tr = rnd.nextBoolean();
    int n = p * p;
    float[] raw = new float[n];
    int[] lab = new int[n];
    boolean[] inside = new boolean[n];
    for (int oy = 0; oy < p; oy++) {
      for (int ox = 0; ox < p; ox++) {
        int u = tr ? oy : ox;
        int v = tr ? ox : oy;
        u = fx ? p - 1 - u : u;
        v = fy ? p - 1 - v : v;
        double sx = x0 + (u + 0.5) / zoom - 0.5;
        double sy = y0 + (v + 0.5) / zoom - 0.5;
        int o = oy * p + ox;
        if (sx < -0.5 || sy < -0.5 || sx > s.w() - 0.5 || sy > s.h() - 0.5) {
          continue;
        }
        inside[o] = true;
        raw[o] = bilinear(s.raw(), s.w(), s.h(), sx, sy);
        int nx = Math.min(s.w() - 1, Math.max(0, (int) Math.round(sx)));
        int ny = Math.min(s.h() - 1, Math.max(0, (int) Math.round(sy)));
        lab[o] = s.lab()[ny * s.w() + nx];
      }
    }
    float[] pct = percentiles(raw, inside, rnd, 0.02, 0.998);
    for (int i = 0; i < n; i++) {
      if (!inside[i]) {
        raw[i] = pct[0];
      }
    }
    if (rnd.nextDouble() < RANDOMISE) {
      raw = reimage(raw, p, pct[0], pct[1], rnd);
    }
    float[] x = AnnotatedImages.normalizeSingle(new FloatImage(p, p, raw)).data();
    float[] fg = new float[n];
    float[] bd = new float[n];
    Sample.boundaryTargets(lab, p, p, fg, bd);
    int off = b * n;
    for (int i = 0; i < n; i++) {
      bx[off + i] = x[i];
      by[2 * (off + i)] = fg[i];
      by[2 * (off + i) + 1] = bd[i];
      bk[off + i] = inside[i] ? 1 : 0;
    }
  }

  /** A random origin of a window of {@code side} px over an axis of {@code len} px. */
  private static double origin(Random rnd, int len, double side) {
    double slack = len - side;
    return slack >= 0 ? rnd.nextDouble() * slack : slack * rnd.nextDouble();
  }

  private static float bilinear(float[] img, int w, int h, double x, double y) {
    double cx = Math.max(0, Math.min(w - 1, x));
    double cy = Math.max(0, Math.min(h - 1, y));
    int ix = Math.min(w - 2, (int) cx);
    int iy = Math.min(h - 2, (int) cy);
    ix = Math.max(0, ix);
    iy = Math.max(0, iy);
    double ax = w == 1 ? 0 : cx - ix;
    double ay = h == 1 ? 0 : cy - iy;
    int x1 = Math.min(w - 1, ix + 1);
    int y1 = Math.min(h - 1, iy + 1);
    double top = img[iy * w + ix] * (1 - ax) + img[iy * w + x1] * ax;
    double bot = img[y1 * w + ix] * (1 - ax) + img[y1 * w + x1] * ax;
    return (float) (top * (1 - ay) + bot * ay);
  }

  /** Two percentiles of the inside pixels (from at most 4096 random ones). */
  private static float[] percentiles(float[] v, boolean[] inside, Random rnd, double a, double b) {
    int m = 4096;
    float[] sample = new float[m];
    int k = 0;
    for (int tries = 0; tries < 4 * m && k < m; tries++) {
      int i = rnd.nextInt(v.length);
      if (inside[i]) {
        sample[k++] = v[i];
      }
    }
    if (k == 0) {
      return new float[] {0, 1};
    }
    float[] s = Arrays.copyOf(sample, k);
    Arrays.sort(s);
    return new float[] {s[(int) (a * (k - 1))], s[(int) (b * (k - 1))]};
  }

  /** Re-images a crop as a random microscope would (see the class comment). */
  private static float[] reimage(float[] raw, int p, float lo, float hi, Random rnd) {
    int n = raw.length;
    float span = Math.max(hi - lo, 1e-6f);
    float[] sig = new float[n];
    for (int i = 0; i < n; i++) {
      sig[i] = (raw[i] - lo) / span;
    }
    if (rnd.nextBoolean()) {
      sig = GaussianBlur.blur(new FloatImage(p, p, sig), 0.5 + 1.5 * rnd.nextDouble()).data();
    }
    int[] depths = {8, 12, 16};
    double full = (1 << depths[rnd.nextInt(3)]) - 1;
    double offset = 0.15 * full * rnd.nextDouble();
    double peak = Math.exp(Math.log(10) + rnd.nextDouble() * Math.log(300));
    double gain = (0.15 + 0.7 * rnd.nextDouble()) * (full - offset) / peak;
    double readNoise = 10 * rnd.nextDouble();
    double[] illum = smoothField(rnd, 0.6 * rnd.nextDouble());
    double[] bg = smoothField(rnd, 1);
    double bg0 = 0.1 * rnd.nextDouble();
    double bg1 = 0.15 * rnd.nextDouble();
    float[] out = new float[n];
    for (int yy = 0; yy < p; yy++) {
      for (int xx = 0; xx < p; xx++) {
        int i = yy * p + xx;
        double fxy = field(illum, xx / (double) p, yy / (double) p);
        double bxy = field(bg, xx / (double) p, yy / (double) p);
        double lambda =
            Math.max(0, peak * Math.max(0, sig[i]) * Math.max(0.2, 1 + fxy))
                + peak * Math.max(0, bg0 + bg1 * (bxy + 1) / 2);
        double photons = lambda + Math.sqrt(lambda) * rnd.nextGaussian();
        double counts = offset + gain * (photons + readNoise * rnd.nextGaussian());
        out[i] = (float) Math.max(0, Math.min(full, Math.rint(counts)));
      }
    }
    return out;
  }

  /**
   * A smooth field's parameters: amplitude × (a linear gradient and one broad Gaussian bump), about
   * within ±amplitude over the unit square.
   */
  private static double[] smoothField(Random rnd, double amplitude) {
    double gx = rnd.nextDouble() * 2 - 1;
    double gy = rnd.nextDouble() * 2 - 1;
    double bump = rnd.nextDouble() * 2 - 1;
    double cx = rnd.nextDouble();
    double cy = rnd.nextDouble();
    double r = 0.3 + 0.7 * rnd.nextDouble();
    return new double[] {amplitude, gx, gy, bump, cx, cy, r};
  }

  private static double field(double[] f, double x, double y) {
    double d2 = ((x - f[4]) * (x - f[4]) + (y - f[5]) * (y - f[5])) / (f[6] * f[6]);
    return f[0] * 0.5 * (f[1] * (x - 0.5) + f[2] * (y - 0.5) + f[3] * Math.exp(-d2));
  }
}
