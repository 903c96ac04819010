package io.cytostream.processors.segment;

/**
 * The pixels of a mask from the highest to the lowest height, ties in ascending pixel index: the
 * visiting order of the watersheds ({@link MaximaWatershed}, {@link HierarchicalWatershed}). A
 * stable least-significant-digit radix sort (three passes of 11, 11 and 10 bits) of the heights'
 * order-preserving integer keys, over pixels taken in index order; this is exactly the order that
 * sorting {@code (key << 32) | index} as {@code long}s gives, in O(n) instead of O(n log n).
 * Heights must not be NaN.
 */
final class HeightOrder {
  private static final int BITS = 11;
  private static final int BUCKETS = 1 << BITS;

  private HeightOrder() {}

  /** A key that orders ascending (as an unsigned int) in {@code -height}. */
  static int key(float height) {
    int bits = Float.floatToIntBits(-height);
    int signed = bits ^ ((bits >> 31) & 0x7fffffff); // ascending in -height as a signed int
    return signed ^ 0x80000000; // as an unsigned int
  }

  /**
   * @param height heights, row-major
   * @param mask which pixels to order
   * @return the indices of the mask's pixels, highest first, ties in ascending index
   */
  static int[] descending(float[] height, boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      if (b) {
        n++;
      }
    }
    int[] keys = new int[n];
    int[] idx = new int[n];
    int[][] counts = new int[3][BUCKETS + 1];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        int key = key(height[i]);
        keys[k] = key;
        idx[k++] = i;
        counts[0][(key & (BUCKETS - 1)) + 1]++;
        counts[1][((key >>> BITS) & (BUCKETS - 1)) + 1]++;
        counts[2][(key >>> (2 * BITS)) + 1]++;
      }
    }
    int[] keys2 = new int[n];
    int[] idx2 = new int[n];
    for (int pass = 0; pass < 3; pass++) {
      int[] c = counts[pass];
      int shift = pass * BITS;
      if (singleBucket(c, n)) {
        continue; // every key has the same digit: the pass would not move anything
      }
      for (int b = 0; b < BUCKETS; b++) {
        c[b + 1] += c[b];
      }
      int mask11 = pass == 2 ? -1 : BUCKETS - 1;
      for (int j = 0; j < n; j++) {
        int key = keys[j];
        int at = c[(key >>> shift) & mask11]++;
        keys2[at] = key;
        idx2[at] = idx[j];
      }
      int[] t = keys;
      keys = keys2;
      keys2 = t;
      t = idx;
      idx = idx2;
      idx2 = t;
    }
    return idx;
  }

  private static boolean singleBucket(int[] c, int n) {
    for (int b = 1; b <= BUCKETS; b++) {
      if (c[b] == n) {
        return true;
      }
      if (c[b] != 0) {
        return false;
      }
    }
    return true;
  }
}
