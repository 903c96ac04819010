package io.cytostream.ingest.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;

/**
 * Bucket grid over points given by index (coordinates in px), for neighbour queries within one
 * bucket size: {@link #forNear} visits every point within {@code size} of a position (and some
 * farther ones) in a fixed order, so results do not depend on hashing.
 */
final class SeedGrid {
  private final double size;
  private final IntToDoubleFunction x;
  private final IntToDoubleFunction y;
  private final Map<Long, int[]> buckets = new HashMap<>();

  SeedGrid(int n, double size, IntToDoubleFunction x, IntToDoubleFunction y) {
    this.size = size;
    this.x = x;
    this.y = y;
    for (int i = 0; i < n; i++) {
      add(i);
    }
  }

  private static long key(long bx, long by) {
    return (bx << 32) ^ (by & 0xFFFFFFFFL);
  }

  void add(int i) {
    long bx = (long) Math.floor(x.applyAsDouble(i) / size);
    long by = (long) Math.floor(y.applyAsDouble(i) / size);
    buckets.merge(
        key(bx, by),
        new int[] {i},
        (a, b) -> {
          int[] c = Arrays.copyOf(a, a.length + 1);
          c[a.length] = b[0];
          return c;
        });
  }

  /** Calls {@code f} for every point in the 3×3 buckets around (px, py), in insertion order. */
  void forNear(double px, double py, IntConsumer f) {
    long bx = (long) Math.floor(px / size);
    long by = (long) Math.floor(py / size);
    for (long dy = -1; dy <= 1; dy++) {
      for (long dx = -1; dx <= 1; dx++) {
        int[] b = buckets.get(key(bx + dx, by + dy));
        if (b != null) {
          for (int i : b) {
            f.accept(i);
          }
        }
      }
    }
  }
}
