package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.SegmentationConfig.ThresholdMethod;

/**
 * Threshold + distance-transform watershed segmentation of a normalised plane.
 *
 * <ol>
 *   <li>Gaussian smoothing, σ = {@link SegmentationConfig#sigma()} ({@link GaussianBlur}).
 *   <li>Global threshold from a 256-bin histogram of the smoothed plane: Otsu or triangle, chosen
 *       by {@link ThresholdMethod} (AUTO: triangle when the histogram skewness is at least {@link
 *       SegmentationConfig#skewForTriangle()}, i.e. a dominant background peak with a bright tail;
 *       else Otsu); optionally scaled towards the background mode by {@link
 *       SegmentationConfig#thresholdFactor()}.
 *   <li>Mask cleanup: components below minArea removed, holes up to fillHolesMaxArea filled.
 *   <li>Exact Euclidean distance transform ({@link DistanceTransform}), smoothed with
 *       distanceSigma.
 *   <li>Seeded watershed on the distance map from its h-maxima (h = minDynamic, plus the neck rule)
 *       inside the mask ({@link MaximaWatershed}).
 *   <li>Size filter [minArea, maxArea] and contiguous relabelling.
 * </ol>
 *
 * Thread-safe; allocation per call is a few planes.
 */
public final class ClassicalSegmenter implements Segmenter {
  private final SegmentationConfig cfg;

  /**
   * @param cfg parameters
   */
  public ClassicalSegmenter(SegmentationConfig cfg) {
    this.cfg = cfg;
  }

  /** With {@link SegmentationConfig#defaults()}. */
  public ClassicalSegmenter() {
    this(SegmentationConfig.defaults());
  }

  /** The configuration. */
  public SegmentationConfig config() {
    return cfg;
  }

  @Override
  public LabelImage segment(FloatImage normalized) {
    int w = normalized.width();
    int h = normalized.height();
    FloatImage smooth = GaussianBlur.blur(normalized, cfg.sigma());
    boolean[] mask = foreground(smooth);
    BinaryOps.removeSmall(mask, w, h, cfg.minArea());
    BinaryOps.fillHoles(mask, w, h, cfg.fillHolesMaxArea());
    float[] dist = DistanceTransform.euclidean(mask, w, h);
    for (int i = 0; i < dist.length; i++) {
      if (Float.isInfinite(dist[i])) {
        dist[i] = w + h; // a plane with no background at all
      }
    }
    if (cfg.distanceSigma() > 0) {
      dist = GaussianBlur.blur(new FloatImage(w, h, dist), cfg.distanceSigma()).data();
    }
    int[] raw = MaximaWatershed.segment(dist, mask, w, h, cfg.minDynamic(), cfg.maxNeckRatio());
    return sizeFilter(raw, w, h, cfg.minArea(), cfg.maxArea());
  }

  /** The thresholded mask of a smoothed plane (step 2). */
  public boolean[] foreground(FloatImage smooth) {
    float[] s = smooth.data();
    Thresholds.Histogram hist = Thresholds.Histogram.of(s, 256);
    double t = thresholdValue(hist);
    boolean[] mask = new boolean[s.length];
    for (int i = 0; i < s.length; i++) {
      mask[i] = s[i] > t;
    }
    return mask;
  }

  /** The threshold (in plane units) that {@link #foreground} applies to a histogram. */
  public double thresholdValue(Thresholds.Histogram hist) {
    long[] c = hist.counts();
    ThresholdMethod m = cfg.threshold();
    if (m == ThresholdMethod.AUTO) {
      m =
          Thresholds.skewness(c) >= cfg.skewForTriangle()
              ? ThresholdMethod.TRIANGLE
              : ThresholdMethod.OTSU;
    }
    int bin = m == ThresholdMethod.TRIANGLE ? Thresholds.triangle(c) : Thresholds.otsu(c);
    double t = hist.upperEdge(bin);
    if (cfg.thresholdFactor() != 1.0) {
      int mode = 0;
      for (int i = 1; i < c.length; i++) {
        if (c[i] > c[mode]) {
          mode = i;
        }
      }
      double bg = hist.min() + (mode + 0.5) * (hist.max() - hist.min()) / c.length;
      t = bg + cfg.thresholdFactor() * (t - bg);
    }
    return t;
  }

  /** Drops objects outside [minArea, maxArea] and relabels contiguously. */
  static LabelImage sizeFilter(int[] raw, int w, int h, int minArea, int maxArea) {
    LabelImage l = LabelImage.relabel(w, h, raw);
    int[] area = BinaryOps.areas(l.labels(), l.count());
    int[] kept = l.labels().clone();
    for (int i = 0; i < kept.length; i++) {
      int a = area[kept[i]];
      if (kept[i] != 0 && (a < minArea || a > maxArea)) {
        kept[i] = 0;
      }
    }
    return LabelImage.relabel(w, h, kept);
  }
}
