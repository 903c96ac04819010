package io.cytostream.processors.image;

/**
 * Selection of order statistics in linear expected time (quickselect with Hoare partitioning and a
 * median-of-three pivot): the exact value that sorting would put at a position, without sorting.
 * Values must not be NaN. Reorders the array.
 */
public final class OrderStatistics {
  private OrderStatistics() {}

  /**
   * Rearranges {@code a[0..n)} so that {@code a[k]} holds the value a sort would put there, every
   * value before it is ≤ it and every value after it is ≥ it.
   *
   * @param a values (no NaN), reordered in place
   * @param n how many leading values count (1 ≤ n ≤ a.length)
   * @param k the rank wanted, 0-based (0 ≤ k &lt; n)
   * @return {@code a[k]}
   */
  public static float select(float[] a, int n, int k) {
    if (n < 1 || n > a.length || k < 0 || k >= n) {
      throw new IllegalArgumentException(
          "need 0 <= k < n <= a.length, got k=" + k + ", n=" + n + ", length " + a.length);
    }
    int lo = 0;
    int hi = n - 1;
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      // median of three: a[lo] <= a[mid] <= a[hi]
      if (a[mid] < a[lo]) {
        swap(a, mid, lo);
      }
      if (a[hi] < a[lo]) {
        swap(a, hi, lo);
      }
      if (a[hi] < a[mid]) {
        swap(a, hi, mid);
      }
      float pivot = a[mid];
      int i = lo;
      int j = hi;
      // Hoare partition: afterwards a[lo..j] <= pivot <= a[i..hi], and j < i
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k]; // j < k < i: a[k] equals the pivot, in its sorted place
      }
    }
    return a[k];
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
