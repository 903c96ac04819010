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

  /**
   * The value that sorting {@code a[0..n)} would put at rank {@code k}, by a most-significant-digit
   * radix selection over the floats' order-preserving integer keys (four passes of 8 bits at most,
   * each a branch-free count and a compaction; no comparisons that the branch predictor must
   * guess). Does not reorder {@code a}. Equal to {@link #select} except that a zero is returned as
   * {@code +0.0f} (select may return {@code -0.0f} when the input has one).
   *
   * @param a values (no NaN), not modified
   * @param n how many leading values count (1 ≤ n ≤ a.length)
   * @param k the rank wanted, 0-based (0 ≤ k &lt; n)
   * @return the value of rank {@code k}
   */
  public static float selectRadix(float[] a, int n, int k) {
    if (n < 1 || n > a.length || k < 0 || k >= n) {
      throw new IllegalArgumentException(
          "need 0 <= k < n <= a.length, got k=" + k + ", n=" + n + ", length " + a.length);
    }
    int[] keys = new int[n];
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(a[i] + 0.0f); // -0 becomes +0
      keys[i] = (b ^ ((b >> 31) & 0x7fffffff)) ^ 0x80000000; // ascending as unsigned
    }
    int[] count = new int[256];
    int m = n;
    int rank = k;
    for (int shift = 24; shift >= 0 && m > 1; shift -= 8) {
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < m; i++) {
        count[(keys[i] >>> shift) & 0xff]++;
      }
      int digit = 0;
      while (rank >= count[digit]) {
        rank -= count[digit];
        digit++;
      }
      if (count[digit] == m) {
        continue; // every candidate has this digit
      }
      int j = 0;
      for (int i = 0; i < m; i++) {
        int key = keys[i];
        keys[j] = key;
        j += ((key >>> shift) & 0xff) == digit ? 1 : 0;
      }
      m = j;
    }
    int key = keys[0] ^ 0x80000000;
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
