package io.cytostream.ingest.sim;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Renders the culture's geometry into an owner map: a truncated power diagram (weighted Voronoi) of
 * the seeds, with a dark junction band along the borders between cells.
 *
 * <p>Pixel (x, y) is a point at (x, y). Its candidates are the seeds c with {@code |p − s_c| ≤
 * rmax_c}; its owner is the candidate of least power {@code |p − s_c|² − ω_c} (first in candidate
 * order on ties), none means background. It is a junction pixel when the runner-up r is within half
 * the gap width of the radical line, {@code (pow_r − pow_o) / (2·|s_o − s_r|) < gap / 2}.
 *
 * <p>Output encoding: 0 background (also pixels owned by a ghost), {@code c + 1} for an ordinary
 * pixel of seed c, {@code −(c + 1)} for a junction pixel of seed c. Work is split in 32×32 tiles,
 * each with the seeds of its 3×3 bucket neighbourhood, so the cost is O(pixels × seeds nearby), not
 * O(pixels × seeds); tiles run in parallel and write disjoint pixels, so the result does not depend
 * on the thread count.
 */
final class Tessellation {
  private static final int TILE = 32;

  private Tessellation() {}

  static void render(
      int width,
      int height,
      int n,
      double[] sx,
      double[] sy,
      double[] omega,
      double[] rmax,
      boolean[] ghost,
      double gapWidth,
      int[] owner) {
    double maxR = 1;
    for (int i = 0; i < n; i++) {
      maxR = Math.max(maxR, rmax[i]);
    }
    final double reach = maxR;
    // Bucket grid over [-reach, width + reach) x [-reach, height + reach); seeds beyond cannot
    // reach the image.
    double cell = reach;
    int gx = (int) Math.ceil((width + 2 * reach) / cell);
    int gy = (int) Math.ceil((height + 2 * reach) / cell);
    int[] start = new int[gx * gy + 1];
    int[] bucketOf = new int[n];
    for (int i = 0; i < n; i++) {
      int bx = (int) Math.floor((sx[i] + reach) / cell);
      int by = (int) Math.floor((sy[i] + reach) / cell);
      if (bx < 0 || by < 0 || bx >= gx || by >= gy) {
        bucketOf[i] = -1;
      } else {
        bucketOf[i] = by * gx + bx;
        start[bucketOf[i] + 1]++;
      }
    }
    for (int b = 0; b < gx * gy; b++) {
      start[b + 1] += start[b];
    }
    int[] items = new int[start[gx * gy]];
    int[] fill = Arrays.copyOf(start, gx * gy);
    for (int i = 0; i < n; i++) {
      if (bucketOf[i] >= 0) {
        items[fill[bucketOf[i]]++] = i;
      }
    }
    double[] rmax2 = new double[n];
    for (int i = 0; i < n; i++) {
      rmax2[i] = rmax[i] * rmax[i];
    }
    double gap2 = gapWidth * gapWidth;
    int tilesX = (width + TILE - 1) / TILE;
    int tilesY = (height + TILE - 1) / TILE;
    IntStream.range(0, tilesX * tilesY)
        .parallel()
        .forEach(
            tile -> {
              int x0 = (tile % tilesX) * TILE;
              int y0 = (tile / tilesX) * TILE;
              int x1 = Math.min(width, x0 + TILE);
              int y1 = Math.min(height, y0 + TILE);
              int[] cand =
                  candidates(x0, y0, x1, y1, reach, cell, gx, gy, start, items, sx, sy, rmax);
              renderTile(x0, y0, x1, y1, width, cand, sx, sy, omega, rmax2, ghost, gap2, owner);
            });
  }

  private static void renderTile(
      int x0,
      int y0,
      int x1,
      int y1,
      int width,
      int[] cand,
      double[] sx,
      double[] sy,
      double[] omega,
      double[] rmax2,
      boolean[] ghost,
      double gap2,
      int[] owner) {
    int m = cand.length;
    double[] cx = new double[m];
    double[] cy = new double[m];
    double[] co = new double[m];
    double[] cr = new double[m];
    for (int k = 0; k < m; k++) {
      cx[k] = sx[cand[k]];
      cy[k] = sy[cand[k]];
      co[k] = omega[cand[k]];
      cr[k] = rmax2[cand[k]];
    }
    for (int y = y0; y < y1; y++) {
      int row = y * width;
      for (int x = x0; x < x1; x++) {
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int bi = -1;
        int si = -1;
        for (int k = 0; k < m; k++) {
          double dx = x - cx[k];
          double dy = y - cy[k];
          double d2 = dx * dx + dy * dy;
          if (d2 > cr[k]) {
            continue;
          }
          double p = d2 - co[k];
          if (p < best) {
            second = best;
            si = bi;
            best = p;
            bi = k;
          } else if (p < second) {
            second = p;
            si = k;
          }
        }
        int o;
        if (bi < 0 || ghost[cand[bi]]) {
          o = 0;
        } else if (si >= 0 && gap2 > 0) {
          double ddx = cx[bi] - cx[si];
          double ddy = cy[bi] - cy[si];
          double diff = second - best;
          o = diff * diff < gap2 * (ddx * ddx + ddy * ddy) ? -(cand[bi] + 1) : cand[bi] + 1;
        } else {
          o = cand[bi] + 1;
        }
        owner[row + x] = o;
      }
    }
  }

  /** Seeds that may reach a pixel of the tile, in bucket order then seed order. */
  private static int[] candidates(
      int x0,
      int y0,
      int x1,
      int y1,
      double reach,
      double cell,
      int gx,
      int gy,
      int[] start,
      int[] items,
      double[] sx,
      double[] sy,
      double[] rmax) {
    // buckets of [x0 - reach, x1 - 1 + reach] x [y0 - reach, y1 - 1 + reach]; bucket b covers
    // world coordinates [b * cell - reach, (b + 1) * cell - reach)
    int bx0 = Math.max(0, (int) Math.floor(x0 / cell));
    int by0 = Math.max(0, (int) Math.floor(y0 / cell));
    int bx1 = Math.min(gx - 1, (int) Math.floor((x1 - 1 + 2 * reach) / cell));
    int by1 = Math.min(gy - 1, (int) Math.floor((y1 - 1 + 2 * reach) / cell));
    int[] out = new int[16];
    int n = 0;
    for (int by = by0; by <= by1; by++) {
      for (int bx = bx0; bx <= bx1; bx++) {
        int b = by * gx + bx;
        for (int k = start[b]; k < start[b + 1]; k++) {
          int c = items[k];
          // distance from the seed to the tile rectangle [x0, x1-1] x [y0, y1-1]
          double dx = Math.max(0, Math.max(x0 - sx[c], sx[c] - (x1 - 1)));
          double dy = Math.max(0, Math.max(y0 - sy[c], sy[c] - (y1 - 1)));
          if (dx * dx + dy * dy <= rmax[c] * rmax[c]) {
            if (n == out.length) {
              out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = c;
          }
        }
      }
    }
    return Arrays.copyOf(out, n);
  }
}
