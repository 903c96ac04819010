package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;

/**
 * Turns one normalised plane (see {@code IntensityNormalizer}: background near 0.3–0.5, cells
 * brighter, roughly within [0, 1]) into a label image with contiguous labels. Implementations are
 * stateless with respect to frames. The classical one is safe to call from several threads; a
 * learned one may hold per-thread native resources (a DJL predictor), which {@link #close()}
 * releases.
 */
public interface Segmenter extends AutoCloseable {
  /**
   * @param normalized the normalised plane
   * @return labels, 0 = background, 1..count cells
   */
  LabelImage segment(FloatImage normalized);

  /**
   * The same plane as a small hierarchy of candidate segments whose preferred cut is what {@link
   * #segment} would report (up to pixels at saddles), for a tracker that chooses among them; null
   * when this segmenter has none (the default).
   *
   * @param normalized the normalised plane
   * @return the hierarchy, or null
   */
  default SegmentHierarchy hierarchy(FloatImage normalized) {
    return null;
  }

  /** Releases what the segmenter holds; nothing for the classical one. */
  @Override
  default void close() {}
}
