package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.BinaryOps;
import io.cytostream.processors.segment.DistanceTransform;

/**
 * Size-aware post-processing of the network's maps: one seed per expected object rather than per
 * boundary-free region, so that touching cells the boundary map does not separate are still split,
 * and a textured cell cut by weak inner lines is not.
 *
 * <ol>
 *   <li>mask = foreground &gt; {@code fg}, holes up to {@code maxHole} px filled; interior = mask ∧
 *       boundary &lt; {@code bd};
 *   <li>seeds = local maxima of the interior's distance transform within a window of radius {@code
 *       peakDistance} px (plateaus as one), peaks closer than {@code peakDistance} merged, one per
 *       interior component at least;
 *   <li>seeds grow through the mask on the landscape {@code max(boundary, 1 − dist / (d/2))} (the
 *       boundary map at cell borders, the distance to the interior's edge inside), lowest first;
 *   <li>objects below {@code minArea} px removed.
 * </ol>
 *
 * Stateless.
 */
final class PeakSeeds {
  private PeakSeeds() {}

  /**
   * @param fg foreground probabilities
   * @param boundary boundary probabilities
   * @param post thresholds, minimum area and hole size
   * @param d expected object diameter at this scale, px
   * @param peakDistance peak window radius and merge distance, px (&ge; 1)
   */
  static LabelImage labels(
      float[] fg,
      float[] boundary,
      int w,
      int h,
      MapPostProcessor post,
      double d,
      double peakDistance) {
    int n = w * h;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      mask[i] = fg[i] > post.fgThreshold();
    }
    if (post.fillHolesMaxArea() > 0) {
      BinaryOps.fillHoles(mask, w, h, post.fillHolesMaxArea());
    }
    boolean[] interior = new boolean[n];
    for (int i = 0; i < n; i++) {
      interior[i] = mask[i] && boundary[i] < post.boundaryThreshold();
    }
    BinaryOps.removeSmall(interior, w, h, Math.max(1, post.minSeedArea()));
    float[] dist = DistanceTransform.euclidean(interior, w, h);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(dist[i])) {
        dist[i] = (float) d;
      }
    }
    int r = Math.max(1, (int) Math.round(peakDistance));
    float[] max = maxFilter(dist, w, h, r);
    boolean[] peak = new boolean[n];
    for (int i = 0; i < n; i++) {
      peak[i] = interior[i] && dist[i] >= max[i];
    }
    int[] lab = new int[n];
    int seeds = BinaryOps.label(peak, w, h, true, lab);
    if (seeds > 1) {
      MapPostProcessor.mergeSeeds(lab, seeds, w, peakDistance);
    }
    float[] land = new float[n];
    float half = (float) Math.max(1, d / 2);
    for (int i = 0; i < n; i++) {
      float inside = 1 - Math.min(1f, dist[i] / half);
      land[i] = Math.max(boundary[i], inside);
    }
    MapPostProcessor.grow(lab, mask, land, w, h);
    LabelImage grown = LabelImage.relabel(w, h, lab);
    int[] raw = grown.labels();
    int[] area = BinaryOps.areas(raw, grown.count());
    for (int i = 0; i < n; i++) {
      if (raw[i] != 0 && area[raw[i]] < post.minArea()) {
        raw[i] = 0;
      }
    }
    return LabelImage.relabel(w, h, raw);
  }

  /** Separable square max filter of radius r (window 2r+1), edges clamped. */
  static float[] maxFilter(float[] v, int w, int h, int r) {
    float[] tmp = new float[v.length];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) {
          m = Math.max(m, v[o + k]);
        }
        tmp[o + x] = m;
      }
    }
    float[] out = new float[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) {
          m = Math.max(m, tmp[k * w + x]);
        }
        out[y * w + x] = m;
      }
    }
    return out;
  }
}
