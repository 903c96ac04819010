package io.cytostream.processors.segment;

/**
 * Exact Euclidean distance transform (Felzenszwalb &amp; Huttenlocher 2012, "Distance transforms of
 * sampled functions"): two passes of the O(n) lower-envelope-of-parabolas 1-D transform, O(width ×
 * height) overall.
 *
 * <p>For each foreground pixel the result is the Euclidean distance in pixels to the nearest
 * background pixel <em>inside the image</em> (pixels outside the image are not background, as in
 * {@code scipy.ndimage.distance_transform_edt}); background pixels get 0. If there is no background
 * pixel at all, every pixel gets {@link Float#POSITIVE_INFINITY}.
 */
public final class DistanceTransform {
  private static final float INF = 1e20f;

  private DistanceTransform() {}

  /**
   * @param mask foreground flags, row-major
   * @return distances in pixels
   */
  public static float[] euclidean(boolean[] mask, int w, int h) {
    float[] d2 = squared(mask, w, h);
    float[] out = new float[d2.length];
    for (int i = 0; i < d2.length; i++) {
      out[i] = d2[i] >= INF ? Float.POSITIVE_INFINITY : (float) Math.sqrt(d2[i]);
    }
    return out;
  }

  /** Squared distances (exact integers held in floats up to 2^24). */
  public static float[] squared(boolean[] mask, int w, int h) {
    float[] g = new float[w * h];
    int n = w;
    float[] f = new float[n];
    float[] d = new float[n];
    int[] v = new int[n];
    float[] z = new float[n + 1];
    // columns: on a binary image the 1-D distance to the nearest background pixel of the same
    // column is two row-major sweeps (down and up), which stay contiguous in memory
    float[] up = new float[w];
    java.util.Arrays.fill(up, INF);
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        float u = mask[o + x] ? up[x] + 1 : 0f;
        up[x] = u;
        g[o + x] = u;
      }
    }
    java.util.Arrays.fill(up, INF);
    for (int y = h - 1; y >= 0; y--) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        float u = mask[o + x] ? up[x] + 1 : 0f;
        up[x] = u;
        float m = Math.min(g[o + x], u);
        g[o + x] = m >= INF / 2 ? INF : m * m;
      }
    }
    // rows
    for (int y = 0; y < h; y++) {
      System.arraycopy(g, y * w, f, 0, w);
      transform1d(f, w, d, v, z);
      System.arraycopy(d, 0, g, y * w, w);
    }
    return g;
  }

  /** 1-D squared distance transform of f[0..n) into d (lower envelope of parabolas). */
  static void transform1d(float[] f, int n, float[] d, int[] v, float[] z) {
    int k = 0;
    v[0] = 0;
    z[0] = Float.NEGATIVE_INFINITY;
    z[1] = Float.POSITIVE_INFINITY;
    for (int q = 1; q < n; q++) {
      if (f[q] >= INF) {
        continue; // an infinite parabola never enters the envelope
      }
      if (f[v[k]] >= INF) {
        v[k] = q; // replace an infinite first entry
        z[k] = Float.NEGATIVE_INFINITY;
        z[k + 1] = Float.POSITIVE_INFINITY;
        continue;
      }
      float s;
      while (true) {
        int p = v[k];
        s = ((f[q] + (float) q * q) - (f[p] + (float) p * p)) / (2f * (q - p));
        if (s <= z[k] && k > 0) {
          k--;
        } else {
          break;
        }
      }
      if (s <= z[k]) {
        // k == 0 and the new parabola dominates everywhere
        v[0] = q;
        z[0] = Float.NEGATIVE_INFINITY;
        z[1] = Float.POSITIVE_INFINITY;
        continue;
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Float.POSITIVE_INFINITY;
    }
    if (f[v[0]] >= INF) {
      for (int q = 0; q < n; q++) {
        d[q] = INF;
      }
      return;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      float dq = q - v[k];
      d[q] = dq * dq + f[v[k]];
    }
  }
}
