package io.cytostream.processors.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The watershed of a height map inside a mask as a hierarchy by dynamics: one sweep gives the
 * finest basins (those whose dynamic is at least {@code minDynamic}) and, for every basin but the
 * highest of each connected piece, the basin it merges into and at which dynamic. Cutting the
 * hierarchy at a dynamic {@code h >= minDynamic} (merging every basin whose dynamic is below {@code
 * h}) gives the watershed from the h-maxima; cuts at increasing {@code h} are nested.
 *
 * <p>Pixels are visited from the highest to the lowest height (ties in row-major order); each joins
 * the basin of its highest already-visited 8-neighbour, or starts a basin at a regional maximum.
 * When a pixel at level {@code s} joins several connected pieces of visited pixels, the piece with
 * the highest peak survives (elder rule) and each other piece's highest basin gets the dynamic
 * {@code peak − s}: below {@code minDynamic} it is merged at once, else the merge is recorded as an
 * {@link Edge}. For distance maps the dynamic is in px. The sweep is {@link Flood}'s, as in {@link
 * MaximaWatershed}; this class is the hierarchy's bookkeeping on it. Unlike {@link MaximaWatershed}
 * there is no neck rule; with {@code h = minDynamic} the two agree up to the pixels at saddles.
 */
public final class HierarchicalWatershed {
  private HierarchicalWatershed() {}

  /**
   * A recorded merge.
   *
   * @param child the basin that merges (a raw label of {@link Result#basins})
   * @param parent the basin it merges into
   * @param dynamic its dynamic, height units
   */
  public record Edge(int child, int parent, double dynamic) {}

  /**
   * The finest basins and their merges.
   *
   * @param basins raw basin label per pixel ({@code > 0}), 0 outside the mask; not contiguous
   * @param edges one per basin that merges into another, in increasing order of the level at which
   *     it was found
   */
  public record Result(int[] basins, List<Edge> edges) {}

  /**
   * @param height height map (e.g. smoothed distance transform)
   * @param mask where to segment
   * @param w width, px
   * @param h height, px
   * @param minDynamic smallest dynamic of a separate basin ({@code >= 0}, height units)
   * @return basins and merges
   */
  public static Result segment(float[] height, boolean[] mask, int w, int h, double minDynamic) {
    int[] basin = new int[mask.length]; // union-find of basins, -1 = not visited
    int[] piece = new int[mask.length]; // union-find of connected pieces
    Arrays.fill(basin, -1);
    Arrays.fill(piece, -1);
    float[] peak = new float[mask.length]; // at piece roots: highest height
    int[] top = new int[mask.length]; // at piece roots: a pixel of its highest basin
    List<Edge> raw = new ArrayList<>();
    int[] pieces = new int[8];
    Flood.run(
        height,
        mask,
        w,
        h,
        (p, level, neighbours, count, highest) -> {
          if (count == 0) {
            basin[p] = p;
            piece[p] = p;
            peak[p] = level;
            top[p] = p;
            return;
          }
          int np = 0;
          int lastLink = -1;
          for (int i = 0; i < count; i++) {
            int link = piece[neighbours[i]];
            if (link == lastLink) {
              continue; // same parent as the previous neighbour: same piece
            }
            lastLink = link;
            int r = Flood.find(piece, neighbours[i]);
            boolean seen = false;
            for (int j = 0; j < np; j++) {
              seen |= pieces[j] == r;
            }
            if (!seen) {
              pieces[np++] = r;
            }
          }
          int elder = pieces[0];
          for (int i = 1; i < np; i++) {
            if (peak[pieces[i]] > peak[elder]) {
              elder = pieces[i];
            }
          }
          for (int i = 0; i < np; i++) {
            int r = pieces[i];
            if (r == elder) {
              continue;
            }
            double dynamic = peak[r] - level;
            int child = Flood.find(basin, top[r]);
            int parent = Flood.find(basin, top[elder]);
            if (dynamic < minDynamic) {
              basin[child] = parent;
            } else {
              raw.add(new Edge(child, parent, dynamic));
            }
            piece[r] = elder;
          }
          basin[p] = Flood.find(basin, highest);
          piece[p] = elder;
        });
    int[] out = new int[mask.length];
    for (int i = 0; i < mask.length; i++) {
      if (basin[i] >= 0) {
        out[i] = Flood.find(basin, i) + 1;
      }
    }
    List<Edge> edges = new ArrayList<>(raw.size());
    for (Edge ed : raw) {
      edges.add(
          new Edge(
              Flood.find(basin, ed.child()) + 1, Flood.find(basin, ed.parent()) + 1, ed.dynamic()));
    }
    return new Result(out, edges);
  }
}
