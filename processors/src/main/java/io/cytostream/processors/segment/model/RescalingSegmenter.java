package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.Segmenter;

/**
 * Segments a plane, measures its objects' size ({@link ObjectScale}) and, when that is outside the
 * range the inner segmenter was trained for, segments the plane again resized to the target scale
 * and resizes the labels back. Two passes only for planes out of range. Stateless per plane; as
 * thread-safe as the inner segmenter.
 */
public final class RescalingSegmenter implements Segmenter {
  private final Segmenter inner;
  private final Segmenter estimator;
  private final ObjectScale scale;

  /**
   * @param inner the segmenter run at both scales (closed with this one)
   * @param scale the size range and target
   */
  public RescalingSegmenter(Segmenter inner, ObjectScale scale) {
    this(inner, inner, scale);
  }

  /**
   * @param inner the segmenter run at the target scale (closed with this one)
   * @param estimator the segmenter whose objects measure the size (e.g. the classical one)
   * @param scale the size range and target
   */
  public RescalingSegmenter(Segmenter inner, Segmenter estimator, ObjectScale scale) {
    this.inner = inner;
    this.estimator = estimator;
    this.scale = scale;
  }

  @Override
  public LabelImage segment(FloatImage normalized) {
    LabelImage first = estimator.segment(normalized);
    double f = scale.factor(first);
    if (f == 1) {
      return estimator == inner ? first : inner.segment(normalized);
    }
    int w = Math.max(16, (int) Math.round(normalized.width() * f));
    int h = Math.max(16, (int) Math.round(normalized.height() * f));
    LabelImage l = inner.segment(ObjectScale.resize(normalized, w, h));
    return ObjectScale.resize(l, normalized.width(), normalized.height());
  }

  @Override
  public void close() {
    inner.close();
  }
}
