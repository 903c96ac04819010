package io.cytostream.processors.track;

import java.util.function.IntConsumer;

/**
 * A uniform grid of square buckets over a fixed set of 2-D points (pixel coordinates), for radius
 * queries. Built in O(n) by a counting sort of the points into buckets; a query visits the buckets
 * overlapping the query square, so with a bucket side close to the query radius it costs O(1 + k)
 * for k points nearby. The bucket side is enlarged when the points are so sparse that the grid
 * would have more than ~4 buckets per point, which bounds memory to O(n).
 */
public final class SpatialGrid {
  private final double[] xs;
  private final double[] ys;
  private final double minX;
  private final double minY;
  private final double cell;
  private final int nx;
  private final int ny;
  private final int[] cellStart;
  private final int[] order;

  /**
   * Indexes points {@code (xs[k], ys[k])}.
   *
   * @param xs x coordinates in px (finite)
   * @param ys y coordinates in px (finite), same length
   * @param cellSize preferred bucket side in px ({@code > 0}), typically the query radius
   */
  public SpatialGrid(double[] xs, double[] ys, double cellSize) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("xs and ys differ in length");
    }
    if (!(cellSize > 0) || Double.isInfinite(cellSize)) {
      throw new IllegalArgumentException("cellSize must be > 0: " + cellSize);
    }
    this.xs = xs;
    this.ys = ys;
    int n = xs.length;
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      if (!Double.isFinite(xs[k]) || !Double.isFinite(ys[k])) {
        throw new IllegalArgumentException("non-finite point " + k);
      }
      x0 = Math.min(x0, xs[k]);
      y0 = Math.min(y0, ys[k]);
      x1 = Math.max(x1, xs[k]);
      y1 = Math.max(y1, ys[k]);
    }
    if (n == 0) {
      x0 = y0 = x1 = y1 = 0;
    }
    double side = cellSize;
    long maxCells = 4L * n + 16;
    while (((long) ((x1 - x0) / side) + 1) * ((long) ((y1 - y0) / side) + 1) > maxCells) {
      side *= 2;
    }
    this.minX = x0;
    this.minY = y0;
    this.cell = side;
    this.nx = (int) ((x1 - x0) / side) + 1;
    this.ny = (int) ((y1 - y0) / side) + 1;
    int cells = nx * ny;
    int[] start = new int[cells + 1];
    int[] bucket = new int[n];
    for (int k = 0; k < n; k++) {
      int cx = (int) ((xs[k] - x0) / side);
      int cy = (int) ((ys[k] - y0) / side);
      bucket[k] = cy * nx + cx;
      start[bucket[k] + 1]++;
    }
    for (int c = 0; c < cells; c++) {
      start[c + 1] += start[c];
    }
    int[] fill = new int[cells];
    System.arraycopy(start, 0, fill, 0, cells);
    int[] ord = new int[n];
    for (int k = 0; k < n; k++) {
      ord[fill[bucket[k]]++] = k;
    }
    this.cellStart = start;
    this.order = ord;
  }

  /** Number of indexed points. */
  public int size() {
    return xs.length;
  }

  /**
   * Calls {@code action} with the index of every point within Euclidean distance {@code radius} px
   * of ({@code x}, {@code y}) (boundary included), in ascending bucket order and, within a bucket,
   * ascending index.
   */
  public void forEachWithin(double x, double y, double radius, IntConsumer action) {
    if (xs.length == 0 || !(radius >= 0)) {
      return;
    }
    int cx0 = clamp((int) Math.floor((x - radius - minX) / cell), nx);
    int cx1 = clamp((int) Math.floor((x + radius - minX) / cell), nx);
    int cy0 = clamp((int) Math.floor((y - radius - minY) / cell), ny);
    int cy1 = clamp((int) Math.floor((y + radius - minY) / cell), ny);
    if (x + radius < minX || y + radius < minY) {
      return;
    }
    double r2 = radius * radius;
    for (int cy = cy0; cy <= cy1; cy++) {
      for (int cx = cx0; cx <= cx1; cx++) {
        int c = cy * nx + cx;
        for (int p = cellStart[c]; p < cellStart[c + 1]; p++) {
          int k = order[p];
          double dx = xs[k] - x;
          double dy = ys[k] - y;
          if (dx * dx + dy * dy <= r2) {
            action.accept(k);
          }
        }
      }
    }
  }

  private static int clamp(int v, int n) {
    return v < 0 ? 0 : (v >= n ? n - 1 : v);
  }
}
