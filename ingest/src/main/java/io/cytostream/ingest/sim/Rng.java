package io.cytostream.ingest.sim;

/**
 * SplitMix64 with uniform, Gaussian and Poisson draws, written out here (with {@link StrictMath})
 * so that a seed gives the same numbers on every JVM and platform: {@link java.util.Random}'s and
 * {@link java.util.SplittableRandom}'s Gaussian algorithms are implementation details.
 *
 * <p>Streams are named by {@link #of(long, long, long)}: the simulator gives each purpose (cell
 * lineage, frame noise strip, hot pixels, anomaly) its own stream, so adding an anomaly does not
 * shift the numbers anything else draws.
 */
final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;
  private double ptrsMu = Double.NaN;
  private double ptrsLogMu;
  private double ptrsB;
  private double ptrsA;
  private double ptrsLogInvAlpha;
  private double ptrsVr;

  Rng(long seed) {
    this.state = seed;
  }

  /** An independent stream for {@code (seed, a, b)}. */
  static Rng of(long seed, long a, long b) {
    return new Rng(mix(mix(seed ^ mix(a + GOLDEN)) + mix(b * GOLDEN + 0x632BE59BD9B4E019L)));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** A new stream split off this one (advances this one by one draw). */
  Rng split() {
    return new Rng(mix(nextLong() ^ 0x5851F42D4C957F2DL));
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Uniform integer in [0, n). */
  int nextInt(int n) {
    return (int) (((nextLong() >>> 33) * n) >>> 31);
  }

  // Ziggurat tables (Marsaglia & Tsang 2000, 128 layers), computed with StrictMath.
  private static final int[] KN = new int[128];
  private static final double[] WN = new double[128];
  private static final double[] FN = new double[128];
  private static final double ZIG_R = 3.442619855899;

  static {
    double m1 = 2147483648.0;
    double dn = ZIG_R;
    double tn = dn;
    double vn = 9.91256303526217e-3;
    double q = vn / StrictMath.exp(-0.5 * dn * dn);
    KN[0] = (int) ((dn / q) * m1);
    KN[1] = 0;
    WN[0] = q / m1;
    WN[127] = dn / m1;
    FN[0] = 1.0;
    FN[127] = StrictMath.exp(-0.5 * dn * dn);
    for (int i = 126; i >= 1; i--) {
      dn = StrictMath.sqrt(-2 * StrictMath.log(vn / dn + StrictMath.exp(-0.5 * dn * dn)));
      KN[i + 1] = (int) ((dn / tn) * m1);
      tn = dn;
      FN[i] = StrictMath.exp(-0.5 * dn * dn);
      WN[i] = dn / m1;
    }
  }

  /**
   * Standard normal by the ziggurat method (Marsaglia & Tsang 2000); the layer index and the value
   * come from different bits of one 64-bit draw.
   */
  double gaussian() {
    while (true) {
      long bits = nextLong();
      int iz = (int) (bits & 127);
      int hz = (int) (bits >> 32);
      if (Math.abs((long) hz) < KN[iz]) {
        return hz * WN[iz];
      }
      double x = hz * WN[iz];
      if (iz == 0) {
        double y;
        do {
          x = -StrictMath.log(1 - nextDouble()) / ZIG_R;
          y = -StrictMath.log(1 - nextDouble());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      if (FN[iz] + nextDouble() * (FN[iz - 1] - FN[iz]) < StrictMath.exp(-0.5 * x * x)) {
        return x;
      }
    }
  }

  /**
   * Poisson with mean {@code mu} ≥ 0: multiplication method below 10, else Hörmann's PTRS
   * (transformed rejection with squeeze, as in NumPy).
   */
  long poisson(double mu) {
    if (mu <= 0) {
      return 0;
    }
    if (mu < 10) {
      double limit = StrictMath.exp(-mu);
      double p = nextDouble();
      long k = 0;
      while (p > limit) {
        p *= nextDouble();
        k++;
      }
      return k;
    }
    if (mu != ptrsMu) {
      // pixels of one cell share mu: keep its constants
      ptrsMu = mu;
      ptrsLogMu = StrictMath.log(mu);
      ptrsB = 0.931 + 2.53 * StrictMath.sqrt(mu);
      ptrsA = -0.059 + 0.02483 * ptrsB;
      ptrsLogInvAlpha = StrictMath.log(1.1239 + 1.1328 / (ptrsB - 3.4));
      ptrsVr = 0.9277 - 3.6224 / (ptrsB - 2);
    }
    double loglam = ptrsLogMu;
    double b = ptrsB;
    double a = ptrsA;
    double vr = ptrsVr;
    while (true) {
      double u = nextDouble() - 0.5;
      double v = nextDouble();
      double us = 0.5 - Math.abs(u);
      long k = (long) Math.floor((2 * a / us + b) * u + mu + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (StrictMath.log(v) + ptrsLogInvAlpha - StrictMath.log(a / (us * us) + b)
          <= -mu + k * loglam - logGamma(k + 1)) {
        return k;
      }
    }
  }

  private static final double[] LOGGAM_COEF = {
    8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
    -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
    6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
    -1.39243221690590e+00
  };

  /** log Γ(x) for x ≥ 1 (Stirling series, shifted below 7). */
  static double logGamma(double x) {
    if (x == 1.0 || x == 2.0) {
      return 0.0;
    }
    double x0 = x;
    int n = 0;
    if (x <= 7) {
      n = (int) (7 - x);
      x0 = x + n;
    }
    double x2 = 1.0 / (x0 * x0);
    double gl0 = LOGGAM_COEF[9];
    for (int k = 8; k >= 0; k--) {
      gl0 = gl0 * x2 + LOGGAM_COEF[k];
    }
    double gl = gl0 / x0 + 0.5 * StrictMath.log(2 * Math.PI) + (x0 - 0.5) * StrictMath.log(x0) - x0;
    for (int k = 1; k <= n; k++) {
      gl -= StrictMath.log(x0 - 1.0);
      x0 -= 1.0;
    }
    return gl;
  }
}
