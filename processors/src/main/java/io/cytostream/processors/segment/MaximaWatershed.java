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
 * The sweep is {@link Flood}'s, shared with {@link HierarchicalWatershed}.
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
    int[] parent = new int[mask.length];
    Arrays.fill(parent, -1); // -1 = not visited
    float[] peak = new float[mask.length]; // valid at roots
    boolean[] significant = new boolean[mask.length]; // root flagged as a kept basin
    int[] roots = new int[8];
    Flood.run(
        height,
        mask,
        w,
        h,
        (p, level, neighbours, count, highest) -> {
          if (count == 0) {
            parent[p] = p;
            peak[p] = level;
            return;
          }
          int nr = 0;
          for (int i = 0; i < count; i++) {
            int r = Flood.find(parent, neighbours[i]);
            boolean seen = false;
            for (int j = 0; j < nr; j++) {
              seen |= roots[j] == r;
            }
            if (!seen) {
              roots[nr++] = r;
            }
          }
          int best = Flood.find(parent, highest);
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
                  significant[r]
                      || (peak[r] - level >= minDynamic && level <= maxNeckRatio * peak[r]);
              if (keep) {
                significant[r] = true;
              } else {
                parent[r] = top;
                if (best == r) {
                  best = top;
                }
              }
            }
            best = Flood.find(parent, best);
          }
          parent[p] = best;
        });
    int[] out = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      if (parent[i] >= 0) {
        out[i] = Flood.find(parent, i) + 1;
      }
    }
    return out;
  }
}
