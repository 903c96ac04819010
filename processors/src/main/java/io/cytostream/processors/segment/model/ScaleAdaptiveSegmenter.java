package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.Segmenter;

/**
 * The learned segmenter with a per-FOV object-size estimate: one instance per FOV.
 *
 * <ol>
 *   <li>During the calibration window (the normaliser's first frames) each frame's object diameter
 *       is estimated from the network's maps ({@link ObjectSizeEstimate#ofMaps}); when that is out
 *       of the training range it is measured once more on the plane rescaled to the training scale
 *       (the network sees such objects better there) and divided by the factor. The FOV's diameter
 *       {@code d} is the median of the frames' estimates, held once the window is complete.
 *   <li>Every frame is resized by {@code f = target / d} (bilinear) when {@code d} is outside
 *       {@code [low, high]} px ({@code f} clamped to {@code [1/maxFactor, maxFactor]}), run through
 *       the network (tiled), post-processed with {@link SizeRules#forDiameter} at the diameter
 *       {@code d·f} the objects have in the resized plane, and its labels resized back (nearest
 *       neighbour).
 * </ol>
 *
 * Without an estimate (no objects yet) the plane is segmented as it is with the rules for {@code
 * target}. Not thread-safe (the estimate, and the network if it is not).
 */
public final class ScaleAdaptiveSegmenter implements Segmenter {
  private final Tiler.Net net;
  private final Tiler tiler;
  private final SizeRules rules;
  private final Scale scale;
  private final ObjectSizeEstimate estimate;
  private final AutoCloseable onClose;

  /**
   * The training scale and when to rescale to it.
   *
   * @param target diameter objects are brought to, px (&gt; 0)
   * @param low smallest diameter segmented at its own scale, px
   * @param high largest diameter segmented at its own scale, px (&ge; low)
   * @param maxFactor largest resize factor either way (&ge; 1)
   * @param minObjects fewer interior components than this give no frame estimate (&ge; 1)
   */
  public record Scale(double target, double low, double high, double maxFactor, int minObjects) {
    /** Validates. */
    public Scale {
      if (!(target > 0) || !(high >= low) || !(maxFactor >= 1) || minObjects < 1) {
        throw new IllegalArgumentException("bad scale parameters");
      }
    }

    /**
     * The defaults: objects outside 20–40 px are brought to 28 px (the bulk of the training
     * objects: BBBC039 median 28 px, DSB 16 px, larger ones zoomed into 8–80 px), by at most 4×; an
     * estimate needs 3 objects.
     */
    public static Scale defaults() {
      return new Scale(28, 20, 40, 4, 3);
    }

    /** The resize factor for a FOV of object diameter {@code d} px: 1 in range or unknown. */
    public double factor(double d) {
      if (!(d > 0) || !Double.isFinite(d) || (d >= low && d <= high)) {
        return 1;
      }
      return Math.max(1 / maxFactor, Math.min(maxFactor, target / d));
    }
  }

  /**
   * Post-processing parameters as fractions of an object of diameter {@code d} (area {@code A = π
   * d² / 4}).
   *
   * @param fgThreshold foreground probability threshold
   * @param boundaryThreshold boundary probability below which a pixel seeds
   * @param minSeedFraction smallest seed, fraction of A
   * @param minAreaFraction smallest object, fraction of A
   * @param fillHolesFraction largest hole filled, fraction of A
   * @param mergeFraction seeds with centroids closer than this fraction of d are merged (0 = off)
   * @param peakFraction when &gt; 0, seeds are the interior's distance-transform peaks at least
   *     this fraction of d apart ({@link PeakSeeds}) instead of its boundary-free components
   */
  public record SizeRules(
      double fgThreshold,
      double boundaryThreshold,
      double minSeedFraction,
      double minAreaFraction,
      double fillHolesFraction,
      double mergeFraction,
      double peakFraction) {

    /** Without peak seeds. */
    public SizeRules(
        double fgThreshold,
        double boundaryThreshold,
        double minSeedFraction,
        double minAreaFraction,
        double fillHolesFraction,
        double mergeFraction) {
      this(
          fgThreshold,
          boundaryThreshold,
          minSeedFraction,
          minAreaFraction,
          fillHolesFraction,
          mergeFraction,
          0);
    }

    /** Labels from the maps of a plane whose objects measure {@code d} px. */
    public LabelImage labels(float[] fg, float[] boundary, int w, int h, double d) {
      MapPostProcessor post = forDiameter(d);
      return peakFraction > 0
          ? PeakSeeds.labels(fg, boundary, w, h, post, d, Math.max(1, peakFraction * d))
          : post.labels(fg, boundary, w, h);
    }

    /**
     * The defaults: thresholds 0.5; seeds are distance-transform peaks at least 0.35 d apart
     * ({@link PeakSeeds}); seeds of at least 3 % and objects of at least 10 % of a typical object's
     * area, holes up to 60 % of it filled (at 28 px: 18, 62 and 369 px, about the fixed {@link
     * MapPostProcessor#defaults()}). Chosen on the held-out simulator, BBBC039 and DSB images with
     * the all-data model (peaks 0.35 d vs boundary-free components: sim SEG 0.597 → 0.844, BBBC039
     * 0.796 → 0.824, DSB 0.652 → 0.705), never on the CTC sequences.
     */
    public static SizeRules defaults() {
      return new SizeRules(0.5, 0.5, 0.03, 0.1, 0.6, 0, 0.35);
    }

    /** The post-processing for objects of diameter {@code d} px. */
    public MapPostProcessor forDiameter(double d) {
      double a = Math.PI * d * d / 4;
      return new MapPostProcessor(
          fgThreshold,
          boundaryThreshold,
          Math.max(4, (int) Math.round(minSeedFraction * a)),
          Math.max(8, (int) Math.round(minAreaFraction * a)),
          (int) Math.round(fillHolesFraction * a),
          mergeFraction * d);
    }
  }

  /**
   * @param net the network (for a DJL model: a {@link ModelSegmenter.Worker}'s {@code run})
   * @param tiler tiling of large planes
   * @param rules post-processing relative to the object size
   * @param scale training scale
   * @param estimate this FOV's size estimate (fresh for a new FOV)
   * @param onClose closed with this segmenter (e.g. the worker), or null
   */
  public ScaleAdaptiveSegmenter(
      Tiler.Net net,
      Tiler tiler,
      SizeRules rules,
      Scale scale,
      ObjectSizeEstimate estimate,
      AutoCloseable onClose) {
    this.net = net;
    this.tiler = tiler;
    this.rules = rules;
    this.scale = scale;
    this.estimate = estimate;
    this.onClose = onClose;
  }

  /** This FOV's estimate. */
  public ObjectSizeEstimate estimate() {
    return estimate;
  }

  @Override
  public LabelImage segment(FloatImage normalized) {
    float[][] native0 = null;
    if (!estimate.frozen()) {
      native0 = maps(normalized);
      double d =
          ObjectSizeEstimate.ofMaps(
              native0[0], native0[1], normalized.width(), normalized.height(), scale.minObjects());
      double f = scale.factor(d);
      if (f != 1) {
        FloatImage r = ObjectScale.scaled(normalized, f);
        float[][] m = maps(r);
        double dr =
            ObjectSizeEstimate.ofMaps(m[0], m[1], r.width(), r.height(), scale.minObjects());
        if (dr > 0 && Double.isFinite(dr)) {
          d = dr * normalized.width() / r.width();
        }
      }
      estimate.add(d);
    }
    double d = estimate.diameter();
    double f = scale.factor(d);
    double dp = Double.isFinite(d) ? d * f : scale.target();
    if (f == 1) {
      float[][] m = native0 != null ? native0 : maps(normalized);
      return rules.labels(m[0], m[1], normalized.width(), normalized.height(), dp);
    }
    FloatImage r = ObjectScale.scaled(normalized, f);
    float[][] m = maps(r);
    LabelImage l = rules.labels(m[0], m[1], r.width(), r.height(), dp);
    return ObjectScale.resize(l, normalized.width(), normalized.height());
  }

  private float[][] maps(FloatImage img) {
    return tiler.maps(net, img.data(), img.width(), img.height());
  }

  @Override
  public void close() {
    if (onClose != null) {
      try {
        onClose.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the segmenter failed: " + e.getMessage(), e);
      }
    }
  }
}
