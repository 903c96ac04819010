package io.cytostream.processors.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outline of each cell of a {@link LabelImage}, for drawing: the outer boundary of the label's
 * largest 4-connected piece, traced along pixel edges (crack following), so it encloses exactly the
 * label's pixels of that piece and never crosses another cell. Holes are left out.
 *
 * <p>Vertices are pixel corners in image coordinates (x right, y down, px): pixel {@code (x, y)}
 * spans {@code [x, x+1] × [y, y+1]}. Each outline is closed (the last vertex joins the first), runs
 * clockwise on screen (the cell on its right-hand side), and keeps only its corners (no two
 * consecutive edges are collinear). Cost: linear in the number of pixels plus boundary edges.
 * Thread-safe (no state).
 */
public final class LabelContours {
  private LabelContours() {}

  /**
   * One cell's outline.
   *
   * @param label the cell's label ({@code 1..count})
   * @param xy corners as {@code x0, y0, x1, y1, ...} in px (pixel-corner coordinates)
   * @param areaPx area enclosed by the outline, px² (the piece's pixel count plus its holes)
   */
  public record Contour(int label, int[] xy, long areaPx) {
    /** Number of corners. */
    public int points() {
      return xy.length / 2;
    }
  }

  /** The outlines of every label of {@code image} that has pixels, in label order. */
  public static List<Contour> of(LabelImage image) {
    int w = image.width();
    int h = image.height();
    int[] lab = image.labels();
    long nv = (long) (w + 1) * (h + 1);
    // directed boundary edges, the cell on their right: from-vertex and to-vertex, per edge
    List<long[]> edges = new ArrayList<>();
    Map<Long, int[]> out = new HashMap<>(); // (label, from-vertex) -> up to 2 edge indices
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = lab[y * w + x];
        if (l <= 0) {
          continue;
        }
        if (y == 0 || lab[(y - 1) * w + x] != l) {
          add(edges, out, l, nv, vertex(x, y, w), vertex(x + 1, y, w));
        }
        if (x == w - 1 || lab[y * w + x + 1] != l) {
          add(edges, out, l, nv, vertex(x + 1, y, w), vertex(x + 1, y + 1, w));
        }
        if (y == h - 1 || lab[(y + 1) * w + x] != l) {
          add(edges, out, l, nv, vertex(x + 1, y + 1, w), vertex(x, y + 1, w));
        }
        if (x == 0 || lab[y * w + x - 1] != l) {
          add(edges, out, l, nv, vertex(x, y + 1, w), vertex(x, y, w));
        }
      }
    }
    boolean[] used = new boolean[edges.size()];
    Map<Integer, Contour> best = new HashMap<>();
    for (int e0 = 0; e0 < edges.size(); e0++) {
      if (used[e0]) {
        continue;
      }
      int label = (int) edges.get(e0)[2];
      List<Long> loop = new ArrayList<>();
      int e = e0;
      while (e >= 0 && !used[e]) {
        used[e] = true;
        long[] edge = edges.get(e);
        loop.add(edge[0]);
        e = next(edges, out, used, label, nv, edge, w);
      }
      Contour c = contour(label, loop, w);
      Contour prev = best.get(label);
      if (c.areaPx() > 0 && (prev == null || c.areaPx() > prev.areaPx())) {
        best.put(label, c);
      }
    }
    List<Contour> result = new ArrayList<>(best.values());
    result.sort((a, b) -> Integer.compare(a.label(), b.label()));
    return result;
  }

  private static long vertex(int x, int y, int w) {
    return (long) y * (w + 1) + x;
  }

  private static void add(
      List<long[]> edges, Map<Long, int[]> out, int label, long nv, long from, long to) {
    int idx = edges.size();
    edges.add(new long[] {from, to, label});
    out.merge(
        label * nv + from,
        new int[] {idx, -1},
        (a, b) -> {
          a[1] = idx;
          return a;
        });
  }

  /**
   * The edge following {@code edge} on its outline, or -1 when that edge was already walked (the
   * loop is closed). Where two edges of the label leave the same corner (a pinch: the label touches
   * itself diagonally), the one turning right follows, which keeps 4-connected pieces apart and
   * makes "the edge that follows" a permutation, so that every loop closes on its first edge.
   */
  private static int next(
      List<long[]> edges,
      Map<Long, int[]> out,
      boolean[] used,
      int label,
      long nv,
      long[] edge,
      int w) {
    int[] cand = out.get(label * nv + edge[1]);
    int chosen = cand[0];
    if (cand[1] >= 0) {
      long[] ea = edges.get(cand[0]);
      // a right turn on screen (y down): the directions' cross product is positive
      boolean right = dx(edge, w) * dy(ea, w) - dy(edge, w) * dx(ea, w) > 0;
      chosen = right ? cand[0] : cand[1];
    }
    return used[chosen] ? -1 : chosen;
  }

  private static long dx(long[] edge, int w) {
    return edge[1] % (w + 1) - edge[0] % (w + 1);
  }

  private static long dy(long[] edge, int w) {
    return edge[1] / (w + 1) - edge[0] / (w + 1);
  }

  private static Contour contour(int label, List<Long> loop, int w) {
    int n = loop.size();
    int[] xs = new int[n];
    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = (int) (loop.get(i) % (w + 1));
      ys[i] = (int) (loop.get(i) / (w + 1));
    }
    long twice = 0;
    List<Integer> corners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      int k = (i + n - 1) % n;
      twice += (long) xs[i] * ys[j] - (long) xs[j] * ys[i];
      long cross =
          (long) (xs[i] - xs[k]) * (ys[j] - ys[i]) - (long) (ys[i] - ys[k]) * (xs[j] - xs[i]);
      if (cross != 0) {
        corners.add(i);
      }
    }
    int[] xy = new int[corners.size() * 2];
    for (int i = 0; i < corners.size(); i++) {
      xy[2 * i] = xs[corners.get(i)];
      xy[2 * i + 1] = ys[corners.get(i)];
    }
    return new Contour(label, xy, twice / 2);
  }
}
