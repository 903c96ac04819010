package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.image.OrderStatistics;
import io.cytostream.processors.segment.SegmentationConfig.ThresholdMethod;
import java.util.Arrays;

/**
 * Threshold + distance-transform watershed segmentation of a normalised plane.
 *
 * <ol start="0">
 *   <li>On an unevenly lit plane, the illumination field is taken out first ({@link FlatField}: a
 *       smooth surface fitted to the blocks' dark and bright levels, applied only when the two move
 *       together and the field exceeds the gap between them); the confluent test and the steps
 *       below see the flattened plane.
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
  /**
   * The levels (dynamics of the smoothed distance map, px) of the candidate hierarchy that {@link
   * #hierarchy(FloatImage)} reports by default: a finer cut at 3 px below the single-level answer
   * ({@link SegmentationConfig#minDynamic()}, 9 px by default; a configuration whose minDynamic is
   * not above 3 px has no finer cut). Measured with {@code evaluate}: see processors/EVALUATION.md.
   */
  public static final double FINE_LEVEL = 3.0;

  private final SegmentationConfig cfg;
  private final double[] levels;

  /**
   * With the default candidate hierarchy: levels {@link #FINE_LEVEL} and minDynamic.
   *
   * @param cfg parameters
   */
  public ClassicalSegmenter(SegmentationConfig cfg) {
    this(cfg, defaultLevels(cfg));
  }

  /**
   * @param cfg parameters
   * @param levels the candidate hierarchy's levels (px, containing minDynamic), or an empty array
   *     for none ({@link #hierarchy(FloatImage)} then returns null)
   */
  public ClassicalSegmenter(SegmentationConfig cfg, double[] levels) {
    this.cfg = cfg;
    this.levels = levels.clone();
    if (levels.length > 0 && Arrays.stream(levels).noneMatch(l -> l == cfg.minDynamic())) {
      throw new IllegalArgumentException("levels must contain minDynamic " + cfg.minDynamic());
    }
  }

  /** {@link #FINE_LEVEL} and minDynamic when minDynamic is above it, else none. */
  public static double[] defaultLevels(SegmentationConfig cfg) {
    return cfg.minDynamic() > FINE_LEVEL
        ? new double[] {FINE_LEVEL, cfg.minDynamic()}
        : new double[0];
  }

  /** The candidate hierarchy's levels (px), empty when there is none. */
  public double[] levels() {
    return levels.clone();
  }

  @Override
  public SegmentHierarchy hierarchy(FloatImage normalized) {
    return levels.length == 0 ? null : hierarchy(normalized, levels);
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
    return segmentMask(mask(normalized), normalized.width(), normalized.height());
  }

  /** Steps 4–6 of {@link #segment} on a given foreground mask. */
  LabelImage segmentMask(boolean[] mask, int w, int h) {
    float[] dist = height(mask, w, h);
    int[] raw = MaximaWatershed.segment(dist, mask, w, h, cfg.minDynamic(), cfg.maxNeckRatio());
    return sizeFilter(raw, w, h, cfg.minArea(), cfg.maxArea());
  }

  /**
   * The same steps as {@link #segment}, but the watershed is kept as a small hierarchy of candidate
   * segments ({@link HierarchicalWatershed}, {@link SegmentHierarchy#of}): cut at each of {@code
   * levels} (dynamics of the smoothed distance map, px), the groups of {@link
   * SegmentationConfig#minDynamic()} (which must be one of the levels) preferred. The neck rule and
   * {@code maxArea} are not applied; leaves smaller than {@code minArea} join the basin they merge
   * into first.
   *
   * @param normalized the normalised plane
   * @param levels dynamics in px, ascending, containing {@code minDynamic}
   */
  public SegmentHierarchy hierarchy(FloatImage normalized, double[] levels) {
    if (Arrays.stream(levels).noneMatch(l -> l == cfg.minDynamic())) {
      throw new IllegalArgumentException("levels must contain minDynamic " + cfg.minDynamic());
    }
    double[] sorted = levels.clone();
    Arrays.sort(sorted);
    int w = normalized.width();
    int h = normalized.height();
    boolean[] mask = mask(normalized);
    float[] dist = height(mask, w, h);
    HierarchicalWatershed.Result ws = HierarchicalWatershed.segment(dist, mask, w, h, sorted[0]);
    return SegmentHierarchy.of(w, h, ws, sorted, cfg.minDynamic(), cfg.minArea());
  }

  /**
   * Steps 0–3: the cleaned foreground mask of the plane with its illumination field taken out
   * ({@link FlatField}: unchanged on an evenly lit plane); on a confluent plane (cells cover most
   * of it) that of {@link ConfluentForeground} instead.
   */
  private boolean[] mask(FloatImage normalized) {
    FloatImage plane = FlatField.flatten(normalized);
    boolean[] confluent = ConfluentForeground.mask(plane, cfg);
    return confluent != null ? confluent : ordinaryForeground(plane);
  }

  /**
   * Steps 1–3 as written, whatever the plane (the foreground of a plane that is not confluent); for
   * tests that compare it with {@link ConfluentForeground}'s.
   */
  boolean[] ordinaryForeground(FloatImage normalized) {
    int w = normalized.width();
    int h = normalized.height();
    FloatImage input = cfg.flattenRowsCols() ? flattenRowsCols(normalized) : normalized;
    FloatImage smooth = GaussianBlur.blur(input, cfg.sigma());
    boolean[] mask = foreground(smooth);
    BinaryOps.removeSmall(mask, w, h, cfg.minArea());
    BinaryOps.fillHoles(mask, w, h, cfg.fillHolesMaxArea());
    return mask;
  }

  /** Step 4: the smoothed distance map of the mask. */
  private float[] height(boolean[] mask, int w, int h) {
    float[] dist = DistanceTransform.euclidean(mask, w, h);
    for (int i = 0; i < dist.length; i++) {
      if (Float.isInfinite(dist[i])) {
        dist[i] = w + h; // a plane with no background at all
      }
    }
    if (cfg.distanceSigma() > 0) {
      dist = GaussianBlur.blur(new FloatImage(w, h, dist), cfg.distanceSigma()).data();
    }
    return dist;
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
      float global = median(rowMed, h);
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
      float global = median(colMed, w);
      for (int y = 0; y < h; y++) {
        int off = y * w;
        for (int x = 0; x < w; x++) {
          d[off + x] -= colMed[x] - global;
        }
      }
    }
    return new FloatImage(w, h, d);
  }

  /**
   * Median of a[0..n) (mean of the two middle values for even n), by radix selection ({@link
   * OrderStatistics#selectRadix}); a is not modified.
   */
  static float median(float[] a, int n) {
    int k = n / 2;
    float upper = OrderStatistics.selectRadix(a, n, k);
    if ((n & 1) == 1) {
      return upper;
    }
    return 0.5f * (OrderStatistics.selectRadix(a, n, k - 1) + upper);
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
