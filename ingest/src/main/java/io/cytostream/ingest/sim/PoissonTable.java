package io.cytostream.ingest.sim;

/**
 * Exact Poisson sampling by table inversion for one mean, for the many pixels of a cell that share
 * it: one uniform and a guide-table lookup per draw. The table spans mean ± (12·√mean + 12), beyond
 * which the probability is below 1e-30.
 */
final class PoissonTable {
  private final int kmin;
  private final double[] cdf;
  private final int[] guide;

  private PoissonTable(int kmin, double[] cdf) {
    this.kmin = kmin;
    this.cdf = cdf;
    int n = cdf.length;
    this.guide = new int[n];
    int i = 0;
    for (int g = 0; g < n; g++) {
      double u = (double) g / n;
      while (cdf[i] <= u) {
        i++;
      }
      guide[g] = i;
    }
  }

  /** The table for mean {@code mu} ≥ 0. */
  static PoissonTable of(double mu) {
    if (!(mu > 0)) {
      return new PoissonTable(0, new double[] {1.0});
    }
    double spread = 12 * StrictMath.sqrt(mu) + 12;
    int kmin = (int) Math.max(0, Math.floor(mu - spread));
    int kmax = (int) Math.ceil(mu + spread);
    int mode = (int) Math.floor(mu);
    double[] p = new double[kmax - kmin + 1];
    double logMu = StrictMath.log(mu);
    p[mode - kmin] = StrictMath.exp(mode * logMu - mu - Rng.logGamma(mode + 1.0));
    for (int k = mode; k > kmin; k--) {
      p[k - 1 - kmin] = p[k - kmin] * k / mu;
    }
    for (int k = mode; k < kmax; k++) {
      p[k + 1 - kmin] = p[k - kmin] * mu / (k + 1);
    }
    double total = 0;
    for (double v : p) {
      total += v;
    }
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      p[i] = acc / total;
    }
    p[p.length - 1] = 1.0;
    return new PoissonTable(kmin, p);
  }

  /** The draw for a uniform {@code u} in [0, 1). */
  int sample(double u) {
    int i = guide[(int) (u * cdf.length)];
    while (cdf[i] <= u) {
      i++;
    }
    return kmin + i;
  }
}
