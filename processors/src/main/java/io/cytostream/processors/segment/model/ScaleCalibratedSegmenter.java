package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ObjectSizeState;
import io.cytostream.processors.segment.SizeCalibratedSegmenter;

/**
 * The learned segmenter as the service runs it: the FOV's object size is estimated during the
 * normaliser's calibration window and held with it ({@link ObjectSizeState}, stored in the FOV's
 * {@code NormalizerState}), and every frame of a FOV whose objects are outside the model's training
 * scale is resized to it before the network (tiled as usual) and its labels resized back.
 *
 * <ol>
 *   <li><b>Calibration frames</b>: the frame's object diameter is estimated from the network's maps
 *       of the plane ({@link ObjectSizeEstimate#ofMaps}: area-weighted median inscribed diameter of
 *       the interiors fg &gt; 0.5 ∧ boundary &lt; 0.5, NaN with fewer than {@code minObjects});
 *       when it is outside {@code [low, high]} px it is measured once more on the plane resized to
 *       the training scale (the network sees such objects better there) and divided by the factor.
 *       The FOV's diameter {@code d} is the median of the frames' estimates so far, held once the
 *       window closes.
 *   <li><b>Every frame</b>: when {@code d} is outside {@code [low, high]} the plane is resized by
 *       {@code f = target / d} (bilinear, {@code f} clamped to {@code [1/maxFactor, maxFactor]},
 *       sides at least 16 px), segmented with the fixed post-processing the model was validated
 *       with ({@link MapPostProcessor}, in pixels of the training scale), and the labels resized
 *       back (nearest neighbour). Inside the range, or without an estimate, the plane is segmented
 *       as it is: exactly what {@link ModelSegmenter.Worker#segment} gives.
 * </ol>
 *
 * Cost: a calibration frame runs the network once, twice when its objects are out of range; a later
 * frame once (on the resized plane when rescaled). Not thread-safe (the network): one per stream
 * task, like the worker it wraps.
 */
public final class ScaleCalibratedSegmenter implements SizeCalibratedSegmenter {
  /**
   * The training scale of the bundled model (unet-seg v1) in units of {@link
   * ObjectSizeEstimate#ofMaps}: its training FOVs measure SIM+ 01 ≈ 45 px, MSC 01 ≈ 36 px (frames
   * 32–40) and the simulator's cultures 61–74 px (frames 0–9 each, v1's maps), so FOVs measuring
   * 33–75 px are left at their scale and others brought to 60 px (where v1 segments the simulator's
   * confluent cells best), by at most 4× either way; an estimate needs 3 objects. Measured once on
   * a simulated confluent culture (256², 15 cells, seed 11) zoomed by 1.6, 2 and 2.5: SEG 0.948 →
   * 0.982, 0.719 → 0.982, 0.827 → 0.979 with this scale ({@code ScaleCalibratedSegmenterTest}
   * asserts the 2× case). Smaller objects are not brought up: v1 reads the blobs it merges them
   * into as objects of its own scale (a culture resized by 0.5, true diameter 34 px, measures 51
   * px), so such a FOV stays at its scale.
   */
  public static final ScaleAdaptiveSegmenter.Scale BUNDLED_SCALE =
      new ScaleAdaptiveSegmenter.Scale(60, 33, 75, 4, 3);

  private final Tiler.Net net;
  private final Tiler tiler;
  private final MapPostProcessor post;
  private final ScaleAdaptiveSegmenter.Scale scale;
  private final AutoCloseable onClose;

  /**
   * @param net the network (for a DJL model: a {@link ModelSegmenter.Worker}'s {@code run})
   * @param tiler tiling of large planes
   * @param post post-processing at the training scale
   * @param scale the training scale and when to rescale to it
   * @param onClose closed with this segmenter (e.g. the worker), or null
   */
  public ScaleCalibratedSegmenter(
      Tiler.Net net,
      Tiler tiler,
      MapPostProcessor post,
      ScaleAdaptiveSegmenter.Scale scale,
      AutoCloseable onClose) {
    this.net = net;
    this.tiler = tiler;
    this.post = post;
    this.scale = scale;
    this.onClose = onClose;
  }

  /** A stream task's worker of {@code model}, calibrated by size at {@code scale}. */
  public static ScaleCalibratedSegmenter of(
      ModelSegmenter model, ScaleAdaptiveSegmenter.Scale scale) {
    ModelSegmenter.Worker w = model.newWorker();
    return new ScaleCalibratedSegmenter(w::run, model.tiler(), model.post(), scale, w);
  }

  /** The training scale. */
  public ScaleAdaptiveSegmenter.Scale scale() {
    return scale;
  }

  /** The plane at its own scale (no calibration). */
  @Override
  public LabelImage segment(FloatImage normalized) {
    float[][] m = maps(normalized);
    return post.labels(m[0], m[1], normalized.width(), normalized.height());
  }

  @Override
  public Outcome segment(
      FloatImage normalized, ObjectSizeState size, boolean calibrating, boolean closeWindow) {
    if (size == null) {
      return new Outcome(segment(normalized), null);
    }
    float[][] native0 = null;
    ObjectSizeState next = size;
    if (calibrating && !size.held()) {
      native0 = maps(normalized);
      next = size.fold(frameEstimate(normalized, native0), closeWindow);
    }
    double f = scale.factor(next.diameter());
    int w = normalized.width();
    int h = normalized.height();
    if (f == 1) {
      float[][] m = native0 != null ? native0 : maps(normalized);
      return new Outcome(post.labels(m[0], m[1], w, h), next);
    }
    FloatImage r = ObjectScale.scaled(normalized, f);
    float[][] m = maps(r);
    LabelImage l = post.labels(m[0], m[1], r.width(), r.height());
    return new Outcome(ObjectScale.resize(l, w, h), next);
  }

  /**
   * One frame's object diameter, px (NaN if too few objects): from the maps at its own scale, and
   * when that is out of range, measured again at the training scale.
   */
  double frameEstimate(FloatImage normalized, float[][] nativeMaps) {
    int w = normalized.width();
    int h = normalized.height();
    double d = ObjectSizeEstimate.ofMaps(nativeMaps[0], nativeMaps[1], w, h, scale.minObjects());
    double f = scale.factor(d);
    if (f != 1) {
      FloatImage r = ObjectScale.scaled(normalized, f);
      float[][] m = maps(r);
      double dr = ObjectSizeEstimate.ofMaps(m[0], m[1], r.width(), r.height(), scale.minObjects());
      if (dr > 0 && Double.isFinite(dr)) {
        d = dr * w / r.width();
      }
    }
    return d;
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
