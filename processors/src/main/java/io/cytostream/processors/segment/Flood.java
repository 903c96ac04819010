package io.cytostream.processors.segment;

/**
 * The flooding sweep shared by {@link MaximaWatershed} and {@link HierarchicalWatershed}: the
 * pixels of a mask are visited from the highest to the lowest height (ties in row-major order), and
 * for each one a {@link Visitor} is told which of its 8-neighbours were visited before it and which
 * of those is the highest (the first in scan order among equals). What a watershed makes of that
 * (basins, merges, a hierarchy) is the visitor's. Also the union-find lookup both use.
 */
final class Flood {
  private Flood() {}

  /** Told about every pixel of the mask in flooding order. */
  interface Visitor {
    /**
     * @param p the pixel (row-major index)
     * @param level its height
     * @param neighbours the already visited 8-neighbours, in scan order (row by row, left to right)
     * @param count how many entries of {@code neighbours} are valid (0 at a regional maximum)
     * @param highest the highest of them, or -1 when there is none
     */
    void visit(int p, float level, int[] neighbours, int count, int highest);
  }

  /**
   * Floods {@code mask} by decreasing {@code height}.
   *
   * @param height height per pixel, row-major, {@code w*h}
   * @param mask where to flood
   * @param w width, px
   * @param h height, px
   * @param visitor told about each pixel
   */
  static void run(float[] height, boolean[] mask, int w, int h, Visitor visitor) {
    int[] order = HeightOrder.descending(height, mask);
    boolean[] visited = new boolean[mask.length];
    int[] neighbours = new int[8];
    // the 8-neighbours' offsets in scan order (row by row, left to right)
    int[] offsets = {-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1};
    for (int p : order) {
      int y = p / w;
      int x = p - y * w;
      int count = 0;
      int best = -1;
      if (x > 0 && x < w - 1 && y > 0 && y < h - 1) {
        // interior pixel: every neighbour exists, no bounds to check
        float bestH = Float.NEGATIVE_INFINITY;
        for (int o : offsets) {
          int q = p + o;
          if (visited[q]) {
            neighbours[count++] = q;
            float hq = height[q];
            if (hq > bestH) {
              bestH = hq;
              best = q;
            }
          }
        }
      } else {
        float bestH = Float.NEGATIVE_INFINITY;
        for (int dy = -1; dy <= 1; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= h) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            if ((dx == 0 && dy == 0) || xx < 0 || xx >= w) {
              continue;
            }
            int q = yy * w + xx;
            if (!visited[q]) {
              continue;
            }
            neighbours[count++] = q;
            if (height[q] > bestH) {
              bestH = height[q];
              best = q;
            }
          }
        }
      }
      visitor.visit(p, height[p], neighbours, count, best);
      visited[p] = true;
    }
  }

  /** The root of {@code i} in a union-find forest ({@code parent[root] == root}), compressing. */
  static int find(int[] parent, int i) {
    int r = i;
    while (parent[r] != r) {
      r = parent[r];
    }
    while (parent[i] != r) {
      int next = parent[i];
      parent[i] = r;
      i = next;
    }
    return r;
  }
}
