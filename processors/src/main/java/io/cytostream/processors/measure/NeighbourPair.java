package io.cytostream.processors.measure;

/**
 * Two neighbouring cells (labels of the relabelled image, {@code labelI < labelJ}).
 *
 * @param labelI smaller label
 * @param labelJ larger label
 * @param sharedBorderPx shared border length l_ij in pixel pairs (see {@link CellMeasurer})
 * @param centroidDistancePx Euclidean distance of the centroids u_ij, in pixels
 */
public record NeighbourPair(int labelI, int labelJ, int sharedBorderPx, double centroidDistancePx) {
  /** Checks the label order. */
  public NeighbourPair {
    if (labelI >= labelJ || labelI < 1) {
      throw new IllegalArgumentException("need 1 <= labelI < labelJ");
    }
  }
}
