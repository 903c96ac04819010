package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;

/**
 * Separable Gaussian smoothing with standard deviation σ in pixels; the kernel is truncated at
 * radius {@code ceil(3σ)} and normalised to sum 1; border rule: replicate edge. σ ≤ 0 returns a
 * copy.
 */
public final class GaussianBlur {
  private GaussianBlur() {}

  /** The normalised 1-D kernel, length {@code 2r+1}. */
  public static float[] kernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] k = new float[2 * r + 1];
    double sum = 0;
    double[] d = new double[k.length];
    for (int i = -r; i <= r; i++) {
      d[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += d[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (d[i] / sum);
    }
    return k;
  }

  /** Smooths {@code img} (units unchanged). */
  public static FloatImage blur(FloatImage img, double sigma) {
    int w = img.width();
    int h = img.height();
    float[] src = img.data();
    if (!(sigma > 0)) {
      return new FloatImage(w, h, src.clone());
    }
    float[] k = kernel(sigma);
    int r = k.length / 2;
    float[] tmp = new float[src.length];
    // horizontal pass on a padded row, tap by tap so the inner loop runs along x (vectorisable)
    float[] row = new float[w + 2 * r];
    float[] acc = new float[w];
    for (int y = 0; y < h; y++) {
      int off = y * w;
      System.arraycopy(src, off, row, r, w);
      for (int i = 0; i < r; i++) {
        row[i] = src[off];
        row[w + r + i] = src[off + w - 1];
      }
      java.util.Arrays.fill(acc, 0f);
      for (int j = 0; j < k.length; j++) {
        float kj = k[j];
        for (int x = 0; x < w; x++) {
          acc[x] += kj * row[x + j];
        }
      }
      System.arraycopy(acc, 0, tmp, off, w);
    }
    // vertical pass: accumulate whole rows (vectorisable inner loop)
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      int off = y * w;
      for (int j = 0; j < k.length; j++) {
        int yy = Math.min(h - 1, Math.max(0, y + j - r));
        int o2 = yy * w;
        float kj = k[j];
        for (int x = 0; x < w; x++) {
          out[off + x] += kj * tmp[o2 + x];
        }
      }
    }
    return new FloatImage(w, h, out);
  }
}
