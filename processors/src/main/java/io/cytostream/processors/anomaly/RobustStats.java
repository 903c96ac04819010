package io.cytostream.processors.anomaly;

import java.util.Arrays;

/**
 * Robust location and scale of a sample, shared by the field test ({@link FieldResidualTest}), the
 * own-history aberrant-cell test ({@link AberrantCellDetector}) and the data-quality test ({@link
 * DataQualityDetector}). Stateless; thread-safe.
 */
final class RobustStats {

  private RobustStats() {}

  /**
   * Median of the values (sorts the array in place; the mean of the two middle values for an even
   * count). The array must not be empty.
   */
  static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /**
   * 1.4826 × the median absolute deviation of {@code r} from {@code med} (the normal-consistent
   * robust σ, in the units of {@code r}); leaves {@code r} unchanged.
   */
  static double spread(double[] r, double med) {
    double[] dev = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      dev[i] = Math.abs(r[i] - med);
    }
    return 1.4826 * median(dev);
  }
}
