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
   * The training scale of the bundled model (unet-seg v2) in units of {@link
   * ObjectSizeEstimate#ofMaps}: FOVs measuring 8–60 px are left at their scale, larger ones are
   * brought to 40 px, by at most 4×; an estimate needs 3 objects. v2 trained on crops zoomed to
   * objects of 8–80 px (CC0 nuclei, median 16–28 px, and the simulator's large textured nuclei and
   * confluent cells), so small objects are not brought up: upscaling held-out DSB 2018 images to
   * 28–60 px raised SEG a little but split their nuclei (DET 0.84 → 0.36–0.68). Chosen on held-out
   * CC0 and simulator data only ({@code segmenter-training} {@code ScaleSweep}, SEG / DET, against
   * the model at its own scale): Kromp test split 0.580 / 0.852 (0.561 / 0.838), held-out simulated
   * cultures 0.604 / 0.809 (0.572 / 0.791), held-out textured nuclei 0.769 / 0.898 (0.766 / 0.896),
   * DSB 0.655 / 0.845 (0.652 / 0.844), BBBC039 unchanged (all in range); the ranges 33–75 (v1's,
   * target 60), 20–40 (target 28) and 8–48 (target 32) did worse on at least one of them.
   */
  public static final ScaleAdaptiveSegmenter.Scale BUNDLED_SCALE =
      new ScaleAdaptiveSegmenter.Scale(40, 8, 60, 4, 3);

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
