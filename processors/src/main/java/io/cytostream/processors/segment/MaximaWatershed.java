package io.cytostream.processors.segment;

import java.util.Arrays;

/**
 * Watershed of a height map inside a mask, seeded by its h-maxima, in one sweep.
 *
 * <p>Pixels of the mask are visited from the highest to the lowest height (ties in row-major
 * order); each joins the basin of its highest already-visited 8-neighbour, or starts a new basin at
 * a regional maximum. When a pixel at level {@code s} touches several basins, every basin whose
 * peak {@code p} is lower than the highest one is merged into it unless it is <em>significant</em>:
 * {@code p - s >= minDynamic} and {@code s <= maxNeckRatio * p}. This is the watershed flooded from
 * the maxima whose dynamic (persistence) is at least {@code minDynamic}, i.e. the seeded watershed
 * on the h-maxima markers (h = minDynamic) with a union-find instead of a priority queue; the neck
 * ratio additionally refuses to split where the saddle is almost as high as the lower peak (for a
 * distance map: a neck almost as wide as the thinner cell). Pixels outside the mask get label 0.
 */
public final class MaximaWatershed {
  private MaximaWatershed() {}

  /**
   * @param height height map (e.g. smoothed distance transform, in pixels)
   * @param mask where to segment
   * @param minDynamic minimum peak-to-saddle height of a separate basin (height units)
   * @param maxNeckRatio largest saddle/peak ratio of a separate basin, in (0, 1]; 1 disables it
   * @return raw basin labels (not contiguous), 0 outside the mask
   */
  public static int[] segment(
      float[] height, boolean[] mask, int w, int h, double minDynamic, double maxNeckRatio) {
    int[] order = HeightOrder.descending(height, mask);
    int[] parent = new int[mask.length];
    Arrays.fill(parent, -1); // -1 = not visited
    float[] peak = new float[mask.length]; // valid at roots
    boolean[] significant = new boolean[mask.length]; // root flagged as a kept basin
    int[] roots = new int[8];
    for (int p : order) {
      int y = p / w;
      int x = p - y * w;
      float level = height[p];
      int nr = 0;
      int best = -1;
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
          if (parent[q] < 0) {
            continue;
          }
          int r = find(parent, q);
          boolean seen = false;
          for (int i = 0; i < nr; i++) {
            seen |= roots[i] == r;
          }
          if (!seen) {
            roots[nr++] = r;
          }
          if (height[q] > bestH) {
            bestH = height[q];
            best = r;
          }
        }
      }
      if (nr == 0) {
        parent[p] = p;
        peak[p] = level;
        continue;
      }
      if (nr > 1) {
        // the highest peak among the meeting basins absorbs the insignificant ones
        int top = roots[0];
        for (int i = 1; i < nr; i++) {
          if (peak[roots[i]] > peak[top]) {
            top = roots[i];
          }
        }
        for (int i = 0; i < nr; i++) {
          int r = roots[i];
          if (r == top) {
            continue;
          }
          boolean keep =
              significant[r] || (peak[r] - level >= minDynamic && level <= maxNeckRatio * peak[r]);
          if (keep) {
            significant[r] = true;
          } else {
            parent[r] = top;
            if (best == r) {
              best = top;
            }
          }
        }
        best = find(parent, best);
      }
      parent[p] = best;
    }
    int[] out = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      if (parent[i] >= 0) {
        out[i] = find(parent, i) + 1;
      }
    }
    return out;
  }

  private static int find(int[] parent, int i) {
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
