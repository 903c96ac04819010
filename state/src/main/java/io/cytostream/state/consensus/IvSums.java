package io.cytostream.state.consensus;

/**
 * The instrumental-variables (two-stage least squares) form of per-cell CRLSM sums ({@link
 * CrlsmConfig.Estimator#IV}), Kafka-free and allocation-free.
 */
final class IvSums {
  private IvSums() {}

  /**
   * The instrumental-variables (two-stage least squares) form of the per-cell sums: the first stage
   * fits φ = α_i + π ζ over all rows (π pooled within cells, α_i per cell: the γ columns instrument
   * themselves), the second stage is the CRLSM with φ replaced by the fitted φ̂. Only a_i = Σφ̂²
   * and c_i = Σφ̂z change (Σφ̂ = Σφ); entries [0, g) of {@code a} and {@code c} are overwritten.
   *
   * @param g cells (entries used of every array)
   * @param a Σφ² per cell (replaced by Σφ̂²)
   * @param b Σφ per cell
   * @param n Σ row weight per cell
   * @param c Σφz per cell (replaced by Σφ̂z)
   * @param d Σz per cell
   * @param zs Σζ per cell
   * @param zz Σζ² per cell
   * @param zp Σζφ per cell
   * @param zy Σζz per cell
   */
  static void instrument(
      int g,
      double[] a,
      double[] b,
      double[] n,
      double[] c,
      double[] d,
      double[] zs,
      double[] zz,
      double[] zp,
      double[] zy) {
    // π = Σ_i (Σζφ − ΣζΣφ/n)_i / Σ_i (Σζ² − (Σζ)²/n)_i
    double czz = 0;
    double czp = 0;
    for (int i = 0; i < g; i++) {
      if (n[i] > 0) {
        czz += zz[i] - zs[i] * zs[i] / n[i];
        czp += zp[i] - zs[i] * b[i] / n[i];
      }
    }
    double pi = czz > 0 ? czp / czz : 0;
    for (int i = 0; i < g; i++) {
      if (n[i] > 0) {
        // α_i = (Σφ − π Σζ) / n
        double alpha = (b[i] - pi * zs[i]) / n[i];
        // Σφ̂² = n α² + 2 α π Σζ + π² Σζ²
        a[i] = n[i] * alpha * alpha + 2 * alpha * pi * zs[i] + pi * pi * zz[i];
        // Σφ̂z = α Σz + π Σζz
        c[i] = alpha * d[i] + pi * zy[i];
      }
    }
  }
}
