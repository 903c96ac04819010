package io.cytostream.processors.measure;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-cell measurements and the neighbour graph of one labelled frame (DESIGN.md section 3,
 * "measure").
 *
 * <p><b>Dropping.</b> Cells with fewer than {@link MeasureConfig#minArea()} pixels are set to
 * background; the remaining labels are renumbered 1..n keeping their original order.
 *
 * <p><b>Shared border.</b> The shared border length l_ij of cells i ≠ j, with gap g = {@link
 * MeasureConfig#borderGap()}, is the number of pixel pairs (p in i, q in j) that lie in the same
 * row or the same column at distance 1 ≤ d ≤ g + 1 with only background pixels strictly between
 * them. With g = 0 this is exactly the number of 4-adjacent pixel pairs (p, q), p in i, q in j.
 * With g = 2 (default) cells separated by a dark line of up to 2 px still share a border of about
 * the length of that line. Dropped small cells count as background. Cells i &lt; j are neighbours
 * when l_ij ≥ {@link MeasureConfig#minSharedBorder()}; u_ij is the distance between their
 * centroids.
 *
 * <p>O(pixels × (g + 1)); thread-safe (stateless).
 */
public final class CellMeasurer {
  private CellMeasurer() {}

  /**
   * Measures the cells of a frame.
   *
   * @param labels segmentation (0 = background)
   * @param raw the raw (or median-filtered) plane, raw units; same size
   * @param normalized the normalised plane, or null
   * @param cfg parameters
   * @return relabelled image, cells in label order, neighbour pairs sorted by (i, j)
   */
  public static Measurements measure(
      LabelImage labels, FloatImage raw, FloatImage normalized, MeasureConfig cfg) {
    int w = labels.width();
    int h = labels.height();
    if (raw.width() != w || raw.height() != h) {
      throw new IllegalArgumentException("raw plane size differs from the labels");
    }
    if (normalized != null && (normalized.width() != w || normalized.height() != h)) {
      throw new IllegalArgumentException("normalised plane size differs from the labels");
    }
    int[] in = labels.labels();
    int max = 0;
    for (int l : in) {
      if (l < 0) {
        throw new IllegalArgumentException("negative label");
      }
      max = Math.max(max, l);
    }
    int[] area = new int[max + 1];
    for (int l : in) {
      area[l]++;
    }
    int[] map = new int[max + 1];
    int n = 0;
    for (int l = 1; l <= max; l++) {
      if (area[l] > 0 && area[l] >= cfg.minArea()) {
        map[l] = ++n;
      }
    }
    int[] out = new int[in.length];
    long[] sumX = new long[n + 1];
    long[] sumY = new long[n + 1];
    int[] cnt = new int[n + 1];
    int[] minX = new int[n + 1];
    int[] minY = new int[n + 1];
    int[] maxX = new int[n + 1];
    int[] maxY = new int[n + 1];
    double[] sumRaw = new double[n + 1];
    double[] sumNorm = new double[n + 1];
    boolean[] border = new boolean[n + 1];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(maxX, -1);
    Arrays.fill(maxY, -1);
    float[] r = raw.data();
    float[] z = normalized == null ? null : normalized.data();
    // relabel first, so that the interior test sees dropped cells as background
    for (int i = 0; i < in.length; i++) {
      out[i] = map[in[i]];
    }
    boolean[] inner = interior(out, w, h, cfg.intensityInset());
    double[] innerRaw = new double[n + 1];
    double[] innerNorm = new double[n + 1];
    int[] innerCnt = new int[n + 1];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      boolean edgeRow = y == 0 || y == h - 1;
      for (int x = 0; x < w; x++) {
        int i = o + x;
        int l = out[i];
        if (l == 0) {
          continue;
        }
        if (inner[i]) {
          innerCnt[l]++;
          innerRaw[l] += r[i];
          if (z != null) {
            innerNorm[l] += z[i];
          }
        }
        sumX[l] += x;
        sumY[l] += y;
        cnt[l]++;
        minX[l] = Math.min(minX[l], x);
        maxX[l] = Math.max(maxX[l], x);
        minY[l] = Math.min(minY[l], y);
        maxY[l] = Math.max(maxY[l], y);
        sumRaw[l] += r[i];
        if (z != null) {
          sumNorm[l] += z[i];
        }
        if (edgeRow || x == 0 || x == w - 1) {
          border[l] = true;
        }
      }
    }
    List<CellMeasurement> cells = new ArrayList<>(n);
    for (int l = 1; l <= n; l++) {
      double c = cnt[l];
      boolean useInner = innerCnt[l] > 0;
      double meanRaw = useInner ? innerRaw[l] / innerCnt[l] : sumRaw[l] / c;
      double meanNorm = useInner ? innerNorm[l] / innerCnt[l] : sumNorm[l] / c;
      cells.add(
          new CellMeasurement(
              l,
              sumX[l] / c,
              sumY[l] / c,
              cnt[l],
              minX[l],
              minY[l],
              maxX[l],
              maxY[l],
              meanRaw,
              z == null ? Double.NaN : meanNorm,
              border[l]));
    }
    List<NeighbourPair> pairs = new ArrayList<>();
    long[] shared = sharedBorders(out, w, h, cfg.borderGap());
    for (long e : shared) {
      int i = (int) (e >>> 42);
      int j = (int) ((e >>> 21) & 0x1FFFFF);
      int len = (int) (e & 0x1FFFFF);
      if (len >= cfg.minSharedBorder()) {
        CellMeasurement a = cells.get(i - 1);
        CellMeasurement b = cells.get(j - 1);
        pairs.add(
            new NeighbourPair(
                i,
                j,
                len,
                Math.hypot(a.centroidX() - b.centroidX(), a.centroidY() - b.centroidY())));
      }
    }
    return new Measurements(new LabelImage(w, h, out, n), cells, pairs);
  }

  /**
   * The pixels whose (2·inset+1)² square neighbourhood lies inside their own (non-zero) label: a
   * square erosion done as two run-length passes (rows, then columns), O(pixels). Pixels within
   * {@code inset} of the image edge are not interior.
   */
  static boolean[] interior(int[] lab, int w, int h, int inset) {
    boolean[] rowOk = new boolean[lab.length];
    if (inset == 0) {
      for (int i = 0; i < lab.length; i++) {
        rowOk[i] = lab[i] != 0;
      }
      return rowOk;
    }
    for (int y = 0; y < h; y++) {
      int o = y * w;
      int s = 0;
      while (s < w) {
        int l = lab[o + s];
        int t = s;
        while (t + 1 < w && lab[o + t + 1] == l) {
          t++;
        }
        if (l != 0) {
          for (int x = s + inset; x <= t - inset; x++) {
            rowOk[o + x] = true;
          }
        }
        s = t + 1;
      }
    }
    boolean[] out = new boolean[lab.length];
    for (int x = 0; x < w; x++) {
      int s = 0;
      while (s < h) {
        int p = s * w + x;
        if (!rowOk[p]) {
          s++;
          continue;
        }
        int l = lab[p];
        int t = s;
        while (t + 1 < h && rowOk[(t + 1) * w + x] && lab[(t + 1) * w + x] == l) {
          t++;
        }
        for (int y = s + inset; y <= t - inset; y++) {
          out[y * w + x] = true;
        }
        s = t + 1;
      }
    }
    return out;
  }

  /**
   * Shared border lengths of all touching label pairs (gap rule in the class comment).
   *
   * @return entries {@code i << 42 | j << 21 | length} with i &lt; j, sorted by (i, j); labels and
   *     lengths must be below 2^21
   */
  public static long[] sharedBorders(int[] lab, int w, int h, int gap) {
    // collect one key (i << 21 | j) per counted pixel pair, then sort and run-length count
    long[] keys = new long[1024];
    int nk = 0;
    int reach = gap + 1;
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int a = lab[o + x];
        if (a == 0) {
          continue;
        }
        // along the row
        for (int d = 1; d <= reach && x + d < w; d++) {
          int b = lab[o + x + d];
          if (b != 0) {
            if (b != a) {
              if (nk == keys.length) {
                keys = Arrays.copyOf(keys, nk * 2);
              }
              keys[nk++] = key(a, b);
            }
            break;
          }
        }
        // along the column
        for (int d = 1; d <= reach && y + d < h; d++) {
          int b = lab[o + d * w + x];
          if (b != 0) {
            if (b != a) {
              if (nk == keys.length) {
                keys = Arrays.copyOf(keys, nk * 2);
              }
              keys[nk++] = key(a, b);
            }
            break;
          }
        }
      }
    }
    Arrays.sort(keys, 0, nk);
    long[] out = new long[nk];
    int m = 0;
    for (int s = 0; s < nk; ) {
      int e = s;
      while (e < nk && keys[e] == keys[s]) {
        e++;
      }
      out[m++] = (keys[s] << 21) | (e - s);
      s = e;
    }
    return Arrays.copyOf(out, m);
  }

  private static long key(int a, int b) {
    return a < b ? ((long) a << 21) | b : ((long) b << 21) | a;
  }
}
