package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.OrderStatistics;

/**
 * A large-scale illumination field estimated from the plane itself and taken out before the
 * classical segmenter thresholds it (uneven illumination: a lamp's gradient, vignetting).
 *
 * <p>The segmenter works on the normalised plane, which is an affine map of {@code log(1 + x)}
 * ({@code IntensityNormalizer}); a multiplicative illumination field {@code f(x, y)} therefore adds
 * the same smooth surface {@code s · ln f} to cells and to background alike, and subtracting that
 * surface is a flat-field division. The surface is estimated the way background meshes are in
 * astronomy and microscopy tools (a grid of block statistics, then a smooth fit), with a test that
 * it is an illumination field and not the layout of the culture:
 *
 * <ol>
 *   <li>The plane is cut into blocks of about {@link #BLOCK} px a side; in each block the {@link
 *       #LOW} and {@link #HIGH} quantiles of every {@link #STRIDE}-th pixel (in x and y) are taken:
 *       the level of the darkest pixels (background, junctions) and of the brightest (cells).
 *   <li>A polynomial of degree {@link #DEGREE} in the block centres' coordinates (scaled to [−1,
 *       1]) is fitted to each of the two grids by least squares, robustly: {@link #ITERATIONS}
 *       rounds, each dropping the blocks whose residual exceeds 3 × 1.4826 × the median absolute
 *       residual (a block filled by one large cell, or holding no cell).
 *   <li>The plane is <em>uneven</em> when the two surfaces move together, as only a field that
 *       multiplies everything can make them: their correlation over an 8 × 8 grid of points is at
 *       least {@link #MIN_CORRELATION}, both span at least {@link #MIN_RANGE} (plane units, over
 *       the block centres) and neither spans more than {@link #MAX_RANGE_RATIO} × the other (where
 *       cells cluster on one side of a flat field, the high surface stays flat while the low one
 *       follows the cells, or the reverse) — <em>and</em> when the field is larger than the
 *       contrast, the mean gap between the bright and the dark surface: only then does the dark
 *       level at the bright end reach the bright level at the dim end, so that no single threshold
 *       separates the two across the field. A milder field (Fluo-C2DL-MSC 01: span 0.74–0.81 × its
 *       contrast) is left to the global threshold, which handles it.
 *   <li>On an uneven plane the mean of the two surfaces, minus its own mean over the plane, is
 *       subtracted from every pixel (the plane's overall level stays).
 * </ol>
 *
 * A plane that is not uneven is returned as it is (the same object), so the segmenter's output on
 * an evenly lit plane does not change. Cost: two quantile selections per block and, on an uneven
 * plane only, one pass to subtract the surface. Stateless and thread-safe. Measured in
 * processors/EVALUATION.md ("Uneven illumination").
 */
public final class FlatField {
  /** Target block side, px (the grid has {@code max(1, w / BLOCK)} × {@code max(1, h / BLOCK)}). */
  public static final int BLOCK = 32;

  /** The quantile of a block that gives its dark level. */
  public static final double LOW = 0.05;

  /** The quantile of a block that gives its bright level. */
  public static final double HIGH = 0.95;

  /** Degree of the fitted polynomial surface. */
  public static final int DEGREE = 2;

  /** Rounds of the robust fit. */
  public static final int ITERATIONS = 4;

  /** Least correlation of the dark and bright surfaces for a field. */
  public static final double MIN_CORRELATION = 0.8;

  /** Least span of either surface over the block centres, plane units. */
  public static final double MIN_RANGE = 0.1;

  /** Largest ratio of the two surfaces' spans. */
  public static final double MAX_RANGE_RATIO = 2.5;

  /** Every STRIDE-th pixel of a block's rows and columns enters its quantiles. */
  public static final int STRIDE = 2;

  private static final int TERMS = (DEGREE + 1) * (DEGREE + 2) / 2;
  private static final int CHECK = 8;

  private FlatField() {}

  /**
   * The fitted field of a plane.
   *
   * @param low the dark surface's coefficients
   * @param high the bright surface's coefficients
   * @param lowRange span of the dark surface over the block centres, plane units
   * @param highRange span of the bright surface
   * @param correlation correlation of the two surfaces over an 8 × 8 grid of the plane
   * @param contrast mean of the bright surface minus the dark one over that grid, plane units
   */
  public record Field(
      double[] low,
      double[] high,
      double lowRange,
      double highRange,
      double correlation,
      double contrast) {
    /**
     * Whether the surfaces pass the test of an illumination field that a global threshold cannot
     * handle (class comment, step 3).
     */
    public boolean uneven() {
      double lo = Math.min(lowRange, highRange);
      double hi = Math.max(lowRange, highRange);
      return correlation >= MIN_CORRELATION
          && lo >= MIN_RANGE
          && hi <= MAX_RANGE_RATIO * lo
          && hi >= contrast;
    }
  }

  /**
   * The plane with its illumination field taken out, or {@code normalized} itself when it is not
   * uneven (or too small for a grid of at least 4 × 4 blocks).
   *
   * @param normalized the normalised plane
   */
  public static FloatImage flatten(FloatImage normalized) {
    Field f = estimate(normalized);
    if (f == null || !f.uneven()) {
      return normalized;
    }
    int w = normalized.width();
    int h = normalized.height();
    double[] c = new double[TERMS];
    for (int k = 0; k < TERMS; k++) {
      c[k] = 0.5 * (f.low()[k] + f.high()[k]);
    }
    float[] s = surface(c, w, h);
    double mean = 0;
    for (float v : s) {
      mean += v;
    }
    mean /= s.length;
    float[] d = normalized.data();
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) (d[i] - (s[i] - mean));
    }
    return new FloatImage(w, h, out);
  }

  /**
   * The two fitted surfaces of a plane, or null when the grid has fewer than 4 × 4 blocks or a fit
   * is singular.
   *
   * @param normalized the normalised plane
   */
  public static Field estimate(FloatImage normalized) {
    int w = normalized.width();
    int h = normalized.height();
    int nx = Math.max(1, w / BLOCK);
    int ny = Math.max(1, h / BLOCK);
    if (nx < 4 || ny < 4) {
      return null;
    }
    float[] d = normalized.data();
    int n = nx * ny;
    double[] u = new double[n];
    double[] v = new double[n];
    double[] zLow = new double[n];
    double[] zHigh = new double[n];
    float[] buf = new float[(w / nx + 1) * (h / ny + 1)];
    for (int by = 0; by < ny; by++) {
      int y0 = by * h / ny;
      int y1 = (by + 1) * h / ny;
      for (int bx = 0; bx < nx; bx++) {
        int x0 = bx * w / nx;
        int x1 = (bx + 1) * w / nx;
        int k = 0;
        for (int y = y0; y < y1; y += STRIDE) {
          for (int x = x0; x < x1; x += STRIDE) {
            buf[k++] = d[y * w + x];
          }
        }
        int i = by * nx + bx;
        zLow[i] = OrderStatistics.select(buf, k, (int) (LOW * (k - 1)));
        zHigh[i] = OrderStatistics.select(buf, k, (int) Math.ceil(HIGH * (k - 1)));
        u[i] = scaled(0.5 * (x0 + x1 - 1), w);
        v[i] = scaled(0.5 * (y0 + y1 - 1), h);
      }
    }
    double[] low = robustFit(u, v, zLow);
    double[] high = robustFit(u, v, zHigh);
    if (low == null || high == null) {
      return null;
    }
    double[] a = new double[CHECK * CHECK];
    double[] b = new double[CHECK * CHECK];
    double[] phi = new double[TERMS];
    for (int j = 0; j < CHECK; j++) {
      for (int i = 0; i < CHECK; i++) {
        basis(scaled((i + 0.5) * w / CHECK, w), scaled((j + 0.5) * h / CHECK, h), phi);
        a[j * CHECK + i] = dot(low, phi);
        b[j * CHECK + i] = dot(high, phi);
      }
    }
    double contrast = 0;
    for (int i = 0; i < a.length; i++) {
      contrast += (b[i] - a[i]) / a.length;
    }
    return new Field(low, high, span(low, u, v), span(high, u, v), correlation(a, b), contrast);
  }

  /** A pixel coordinate scaled to [−1, 1] over a side of {@code size} px. */
  private static double scaled(double p, int size) {
    return size > 1 ? 2.0 * p / (size - 1) - 1 : 0;
  }

  /** The monomials u^i v^j, i + j ≤ DEGREE, in a fixed order. */
  private static void basis(double u, double v, double[] out) {
    int k = 0;
    double ui = 1;
    for (int i = 0; i <= DEGREE; i++) {
      double vj = 1;
      for (int j = 0; j <= DEGREE - i; j++) {
        out[k++] = ui * vj;
        vj *= v;
      }
      ui *= u;
    }
  }

  private static double dot(double[] c, double[] phi) {
    double s = 0;
    for (int k = 0; k < c.length; k++) {
      s += c[k] * phi[k];
    }
    return s;
  }

  /**
   * The surface of coefficients c evaluated at every pixel: per row, the polynomial in u whose
   * coefficients are polynomials in that row's v (Horner's rule in u).
   */
  private static float[] surface(double[] c, int w, int h) {
    float[] s = new float[w * h];
    double[] us = new double[w];
    for (int x = 0; x < w; x++) {
      us[x] = scaled(x, w);
    }
    double[] a = new double[DEGREE + 1];
    for (int y = 0; y < h; y++) {
      double v = scaled(y, h);
      int k = 0;
      for (int i = 0; i <= DEGREE; i++) {
        double vj = 1;
        a[i] = 0;
        for (int j = 0; j <= DEGREE - i; j++) {
          a[i] += c[k++] * vj;
          vj *= v;
        }
      }
      int o = y * w;
      for (int x = 0; x < w; x++) {
        double u = us[x];
        double z = a[DEGREE];
        for (int i = DEGREE - 1; i >= 0; i--) {
          z = z * u + a[i];
        }
        s[o + x] = (float) z;
      }
    }
    return s;
  }

  private static double span(double[] c, double[] u, double[] v) {
    double[] phi = new double[TERMS];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < u.length; i++) {
      basis(u[i], v[i], phi);
      double z = dot(c, phi);
      lo = Math.min(lo, z);
      hi = Math.max(hi, z);
    }
    return hi - lo;
  }

  /** Least squares with outlying blocks dropped (class comment, step 2); null when singular. */
  private static double[] robustFit(double[] u, double[] v, double[] z) {
    int n = z.length;
    boolean[] use = new boolean[n];
    java.util.Arrays.fill(use, true);
    double[] phi = new double[TERMS];
    double[] coef = null;
    double[] res = new double[n];
    for (int it = 0; it < ITERATIONS; it++) {
      double[][] a = new double[TERMS][TERMS + 1];
      int used = 0;
      for (int i = 0; i < n; i++) {
        if (!use[i]) {
          continue;
        }
        used++;
        basis(u[i], v[i], phi);
        for (int p = 0; p < TERMS; p++) {
          a[p][TERMS] += phi[p] * z[i];
          for (int q = 0; q < TERMS; q++) {
            a[p][q] += phi[p] * phi[q];
          }
        }
      }
      if (used < 2 * TERMS) {
        return coef;
      }
      double[] next = solve(a);
      if (next == null) {
        return coef;
      }
      coef = next;
      for (int i = 0; i < n; i++) {
        basis(u[i], v[i], phi);
        res[i] = Math.abs(z[i] - dot(coef, phi));
      }
      double[] sorted = res.clone();
      java.util.Arrays.sort(sorted);
      double limit = 3 * 1.4826 * Math.max(sorted[n / 2], 1e-4);
      for (int i = 0; i < n; i++) {
        use[i] = res[i] <= limit;
      }
    }
    return coef;
  }

  /** Gauss–Jordan elimination with partial pivoting of an augmented matrix; null when singular. */
  private static double[] solve(double[][] m) {
    int n = m.length;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] t = m[c];
      m[c] = m[p];
      m[p] = t;
      if (Math.abs(m[c][c]) < 1e-12) {
        return null;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= n; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }
}
