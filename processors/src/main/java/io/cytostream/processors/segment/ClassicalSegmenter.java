package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.image.OrderStatistics;
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
 *       SegmentationConfig#thresholdFactor()}, and never below the background mode plus {@link
 *       SegmentationConfig#minContrast()}.
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
    FloatImage input = cfg.flattenRowsCols() ? flattenRowsCols(normalized) : normalized;
    FloatImage smooth = GaussianBlur.blur(input, cfg.sigma());
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
    int mode = 0;
    for (int i = 1; i < c.length; i++) {
      if (c[i] > c[mode]) {
        mode = i;
      }
    }
    double bg = hist.min() + (mode + 0.5) * (hist.max() - hist.min()) / c.length;
    t = bg + cfg.thresholdFactor() * (t - bg);
    return Math.max(t, bg + cfg.minContrast());
  }

  /**
   * Subtracts from every row its median minus the median of the row medians, then the same for
   * columns (medians over at most 256 evenly spaced pixels of the row or column). A plane narrower
   * than 8 pixels is returned unchanged in that direction.
   */
  public static FloatImage flattenRowsCols(FloatImage img) {
    int w = img.width();
    int h = img.height();
    float[] d = img.data().clone();
    if (w >= 8) {
      float[] rowMed = new float[h];
      int step = Math.max(1, w / 256);
      float[] buf = new float[(w + step - 1) / step];
      for (int y = 0; y < h; y++) {
        int k = 0;
        for (int x = 0; x < w; x += step) {
          buf[k++] = d[y * w + x];
        }
        rowMed[y] = median(buf, k);
      }
      float global = median(rowMed.clone(), h);
      for (int y = 0; y < h; y++) {
        float off = rowMed[y] - global;
        for (int x = 0; x < w; x++) {
          d[y * w + x] -= off;
        }
      }
    }
    if (h >= 8) {
      float[] colMed = new float[w];
      int step = Math.max(1, h / 256);
      float[] buf = new float[(h + step - 1) / step];
      for (int x = 0; x < w; x++) {
        int k = 0;
        for (int y = 0; y < h; y += step) {
          buf[k++] = d[y * w + x];
        }
        colMed[x] = median(buf, k);
      }
      float global = median(colMed.clone(), w);
      for (int y = 0; y < h; y++) {
        int off = y * w;
        for (int x = 0; x < w; x++) {
          d[off + x] -= colMed[x] - global;
        }
      }
    }
    return new FloatImage(w, h, d);
  }

  /** Median of a[0..n) (mean of the two middle values for even n); reorders a. */
  static float median(float[] a, int n) {
    int k = n / 2;
    OrderStatistics.select(a, n, k);
    if ((n & 1) == 1) {
      return a[k];
    }
    float below = a[0];
    for (int i = 1; i < k; i++) {
      below = Math.max(below, a[i]);
    }
    return 0.5f * (below + a[k]);
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
