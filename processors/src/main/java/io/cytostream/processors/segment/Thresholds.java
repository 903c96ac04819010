package io.cytostream.processors.segment;

/**
 * Global thresholds chosen from a histogram. A histogram here is {@code counts[b]} over {@code
 * bins} equal-width bins spanning {@code [min, max]}; a threshold t in bin units means "foreground
 * = bins above t", i.e. values {@code > min + (t + 1) * (max - min) / bins}.
 */
public final class Thresholds {
  private Thresholds() {}

  /** A histogram of values over their own range. */
  public record Histogram(long[] counts, double min, double max) {
    /** The value at the upper edge of bin {@code b}. */
    public double upperEdge(int b) {
      return min + (b + 1) * (max - min) / counts.length;
    }

    /** Builds a histogram of {@code v} with {@code bins} bins over [min(v), max(v)]. */
    public static Histogram of(float[] v, int bins) {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float f : v) {
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
      }
      long[] c = new long[bins];
      double scale = hi > lo ? bins / ((double) hi - lo) : 0;
      for (float f : v) {
        int b = (int) ((f - lo) * scale);
        c[Math.min(bins - 1, Math.max(0, b))]++;
      }
      return new Histogram(c, lo, hi);
    }
  }

  /**
   * Otsu's threshold: the bin t maximising the between-class variance of {@code [0..t]} vs {@code
   * [t+1..]}.
   *
   * @return the last background bin
   */
  public static int otsu(long[] h) {
    double total = 0;
    double sum = 0;
    for (int i = 0; i < h.length; i++) {
      total += h[i];
      sum += (double) i * h[i];
    }
    double w0 = 0;
    double s0 = 0;
    double best = -1;
    int bestT = 0;
    for (int t = 0; t < h.length - 1; t++) {
      w0 += h[t];
      s0 += (double) t * h[t];
      double w1 = total - w0;
      if (w0 == 0 || w1 == 0) {
        continue;
      }
      double m0 = s0 / w0;
      double m1 = (sum - s0) / w1;
      double between = w0 * w1 * (m0 - m1) * (m0 - m1);
      if (between > best) {
        best = between;
        bestT = t;
      }
    }
    return bestT;
  }

  /**
   * Zack's triangle threshold: draw a line from the histogram peak to the far end of the longer
   * tail and take the bin with the largest perpendicular distance below it. Suited to histograms
   * dominated by one background peak with a long tail of foreground.
   *
   * @return the last background bin (on the peak's side when the tail is dark, the result is
   *     mirrored so foreground stays "above")
   */
  public static int triangle(long[] h) {
    int n = h.length;
    int peak = 0;
    for (int i = 1; i < n; i++) {
      if (h[i] > h[peak]) {
        peak = i;
      }
    }
    int first = 0;
    while (first < n - 1 && h[first] == 0) {
      first++;
    }
    int last = n - 1;
    while (last > 0 && h[last] == 0) {
      last--;
    }
    boolean tailUp = (last - peak) >= (peak - first);
    int end = tailUp ? last : first;
    if (end == peak) {
      return peak;
    }
    // line from (peak, h[peak]) to (end, h[end]); maximise distance of points below it
    double x0 = peak;
    double y0 = h[peak];
    double x1 = end;
    double y1 = h[end];
    double nx = y1 - y0;
    double ny = x0 - x1;
    double best = -1;
    int bestT = peak;
    int step = tailUp ? 1 : -1;
    for (int i = peak; i != end; i += step) {
      double d = Math.abs(nx * (i - x0) + ny * (h[i] - y0));
      if (d > best) {
        best = d;
        bestT = i;
      }
    }
    return tailUp ? bestT : Math.max(0, bestT - 1);
  }

  /** Sample skewness of a histogram (bin units). */
  public static double skewness(long[] h) {
    double n = 0;
    double s = 0;
    for (int i = 0; i < h.length; i++) {
      n += h[i];
      s += (double) i * h[i];
    }
    if (n == 0) {
      return 0;
    }
    double mean = s / n;
    double m2 = 0;
    double m3 = 0;
    for (int i = 0; i < h.length; i++) {
      double d = i - mean;
      m2 += h[i] * d * d;
      m3 += h[i] * d * d * d;
    }
    m2 /= n;
    m3 /= n;
    return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  }
}
