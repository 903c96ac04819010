package io.cytostream.processors.denoise;

/**
 * The int-row kernel of {@link MedianFilter3x3}: the 3×3 median of rows read as order-preserving
 * ints, by per-column 3-sorts reused between neighbouring output rows and the median of nine from
 * column sorts (see {@link MedianFilter3x3} for the method, the border rule and units). Used for
 * float planes always and for uint8/uint16 planes when the vector kernel is not available.
 */
final class IntRowMedian {
  private IntRowMedian() {}

  /** Reads row {@code y} into {@code dst[0..w-1]} as order-preserving ints. */
  interface RowReader {
    void read(int y, int[] dst);
  }

  /** Writes medians {@code src[0..w-1]} of row {@code y}. */
  interface RowWriter {
    void write(int y, int[] src);
  }

  /**
   * Filters rows {@code [y0, y1)}. Every loop below reads and writes its arrays at the same index x
   * (shifted neighbours come from {@link System#arraycopy}), which is what HotSpot's superword pass
   * needs to vectorise on JDK 17. With {@code small} (all values in {@code [0, 2^30)}) min and max
   * use branch-free integer arithmetic, which vectorises; otherwise {@link Math#min}. {@code s}
   * holds 11 scratch rows of at least {@code w} ints.
   */
  static void rows(
      int w, int h, int y0, int y1, boolean small, RowReader in, RowWriter out, int[][] s) {
    int[] up = s[0];
    int[] cur = s[1];
    int[] down = s[2];
    int[] lo = s[3];
    int[] mid = s[4];
    int[] hi = s[5];
    int[] left = s[6];
    int[] right = s[7];
    int[] a = s[8];
    int[] b = s[9];
    int[] c = s[10];
    in.read(Math.max(y0 - 1, 0), up);
    in.read(y0, cur);
    for (int y = y0; y < y1; y++) {
      in.read(Math.min(y + 1, h - 1), down);
      if (small) {
        sort3Small(up, cur, down, lo, mid, hi, w);
        shift(lo, left, right, w);
        max3Small(left, lo, right, a, w);
        shift(mid, left, right, w);
        med3Small(left, mid, right, b, w);
        shift(hi, left, right, w);
        min3Small(left, hi, right, c, w);
        med3Small(a, b, c, lo, w);
      } else {
        sort3(up, cur, down, lo, mid, hi, w);
        shift(lo, left, right, w);
        max3(left, lo, right, a, w);
        shift(mid, left, right, w);
        med3(left, mid, right, b, w);
        shift(hi, left, right, w);
        min3(left, hi, right, c, w);
        med3(a, b, c, lo, w);
      }
      out.write(y, lo);
      int[] t = up;
      up = cur;
      cur = down;
      down = t;
    }
  }

  /** left[x] = a[x-1], right[x] = a[x+1], replicating the edge. */
  private static void shift(int[] a, int[] left, int[] right, int w) {
    left[0] = a[0];
    System.arraycopy(a, 0, left, 1, w - 1);
    System.arraycopy(a, 1, right, 0, w - 1);
    right[w - 1] = a[w - 1];
  }

  // Branch-free min/max, exact when |a - b| < 2^31 (values in [0, 2^30)).
  private static int mn(int a, int b) {
    int d = a - b;
    return b + (d & (d >> 31));
  }

  private static int mx(int a, int b) {
    int d = a - b;
    return a - (d & (d >> 31));
  }

  private static void sort3Small(int[] a, int[] b, int[] c, int[] lo, int[] mid, int[] hi, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      int r = c[x];
      int l1 = mn(p, q);
      int h1 = mx(p, q);
      int t = mx(l1, r);
      lo[x] = mn(l1, r);
      mid[x] = mn(h1, t);
      hi[x] = mx(h1, t);
    }
  }

  private static void max3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = mx(mx(a[x], b[x]), c[x]);
    }
  }

  private static void min3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = mn(mn(a[x], b[x]), c[x]);
    }
  }

  private static void med3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      o[x] = mx(mn(p, q), mn(mx(p, q), c[x]));
    }
  }

  private static void sort3(int[] a, int[] b, int[] c, int[] lo, int[] mid, int[] hi, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      int r = c[x];
      int l1 = Math.min(p, q);
      int h1 = Math.max(p, q);
      int t = Math.max(l1, r);
      lo[x] = Math.min(l1, r);
      mid[x] = Math.min(h1, t);
      hi[x] = Math.max(h1, t);
    }
  }

  private static void max3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = Math.max(Math.max(a[x], b[x]), c[x]);
    }
  }

  private static void min3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = Math.min(Math.min(a[x], b[x]), c[x]);
    }
  }

  private static void med3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      o[x] = Math.max(Math.min(p, q), Math.min(Math.max(p, q), c[x]));
    }
  }
}
