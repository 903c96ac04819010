package io.cytostream.ingest.sim;

import java.util.Arrays;

/**
 * What a measuring pipeline sees in one label image, computed on the owner map (whose nonzero
 * entries map one-to-one to the written labels): per label its area, pixel-index sums, whether it
 * reaches the border zone, and the shared border with each other label.
 *
 * <p>Shared border l_ij = the number of unordered 4-adjacent pixel pairs, {@code (x, y)–(x+1, y)}
 * or {@code (x, y)–(x, y+1)}, with one pixel labelled i and the other j (both nonzero): the length
 * of the crack boundary between the two regions in px. All sums are integers, so the result is
 * exact and independent of evaluation order.
 */
final class LabelStats {
  final int[] area;
  final long[] sumX;
  final long[] sumY;
  final boolean[] touchesBorder;

  /** Pairs (a < b, seed indices) with their shared border, in first-seen order. */
  final int[] pairA;

  final int[] pairB;
  final int[] pairLength;
  final int pairCount;

  private LabelStats(
      int[] area,
      long[] sumX,
      long[] sumY,
      boolean[] touchesBorder,
      int[] pairA,
      int[] pairB,
      int[] pairLength,
      int pairCount) {
    this.area = area;
    this.sumX = sumX;
    this.sumY = sumY;
    this.touchesBorder = touchesBorder;
    this.pairA = pairA;
    this.pairB = pairB;
    this.pairLength = pairLength;
    this.pairCount = pairCount;
  }

  double centroidX(int i) {
    return (double) sumX[i] / area[i];
  }

  double centroidY(int i) {
    return (double) sumY[i] / area[i];
  }

  /**
   * Measures the owner map of {@link Tessellation} ({@code |owner| − 1} is the seed index).
   *
   * @param margin a pixel with {@code x ≤ margin}, {@code y ≤ margin}, {@code x ≥ width − 1 −
   *     margin} or {@code y ≥ height − 1 − margin} is in the border zone
   */
  static LabelStats measure(int width, int height, int n, int[] owner, int margin) {
    int[] area = new int[n];
    long[] sumX = new long[n];
    long[] sumY = new long[n];
    boolean[] touches = new boolean[n];
    PairCounter pairs = new PairCounter();
    for (int y = 0; y < height; y++) {
      boolean edgeRow = y <= margin || y >= height - 1 - margin;
      int row = y * width;
      for (int x = 0; x < width; x++) {
        int o = Math.abs(owner[row + x]);
        if (o == 0) {
          continue;
        }
        int i = o - 1;
        area[i]++;
        sumX[i] += x;
        sumY[i] += y;
        if (edgeRow || x <= margin || x >= width - 1 - margin) {
          touches[i] = true;
        }
        if (x + 1 < width) {
          int r = Math.abs(owner[row + x + 1]);
          if (r != 0 && r != o) {
            pairs.add(i, r - 1);
          }
        }
        if (y + 1 < height) {
          int d = Math.abs(owner[row + width + x]);
          if (d != 0 && d != o) {
            pairs.add(i, d - 1);
          }
        }
      }
    }
    return new LabelStats(area, sumX, sumY, touches, pairs.a, pairs.b, pairs.count, pairs.size);
  }

  /** Open-addressing map from an unordered pair of small ints to a count. */
  private static final class PairCounter {
    private long[] keys = new long[1024];
    private int[] slot = new int[1024]; // index into a/b/count, +1; 0 = empty
    int[] a = new int[256];
    int[] b = new int[256];
    int[] count = new int[256];
    int size;

    private long lastKey = -1;
    private int lastIndex;

    void add(int i, int j) {
      int lo = Math.min(i, j);
      int hi = Math.max(i, j);
      long key = ((long) lo << 32) | hi;
      if (key == lastKey) {
        count[lastIndex]++;
        return;
      }
      lastKey = key;
      int mask = keys.length - 1;
      int h = (int) Rng.mix(key) & mask;
      while (true) {
        if (slot[h] == 0) {
          if (size == a.length) {
            a = Arrays.copyOf(a, 2 * size);
            b = Arrays.copyOf(b, 2 * size);
            count = Arrays.copyOf(count, 2 * size);
          }
          a[size] = lo;
          b[size] = hi;
          count[size] = 1;
          lastIndex = size;
          keys[h] = key;
          slot[h] = ++size;
          if (2 * size > keys.length) {
            rehash();
          }
          return;
        }
        if (keys[h] == key) {
          lastIndex = slot[h] - 1;
          count[lastIndex]++;
          return;
        }
        h = (h + 1) & mask;
      }
    }

    private void rehash() {
      long[] oldKeys = keys;
      int[] oldSlot = slot;
      keys = new long[oldKeys.length * 2];
      slot = new int[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int s = 0; s < oldKeys.length; s++) {
        if (oldSlot[s] != 0) {
          int h = (int) Rng.mix(oldKeys[s]) & mask;
          while (slot[h] != 0) {
            h = (h + 1) & mask;
          }
          keys[h] = oldKeys[s];
          slot[h] = oldSlot[s];
        }
      }
    }
  }
}
