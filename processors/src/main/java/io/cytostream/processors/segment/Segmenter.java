package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;

/**
 * Turns one normalised plane (see {@code IntensityNormalizer}: background near 0.3–0.5, cells
 * brighter, roughly within [0, 1]) into a label image with contiguous labels. Implementations are
 * stateless with respect to frames and safe to call from several threads.
 */
public interface Segmenter {
  /**
   * @param normalized the normalised plane
   * @return labels, 0 = background, 1..count cells
   */
  LabelImage segment(FloatImage normalized);
}
