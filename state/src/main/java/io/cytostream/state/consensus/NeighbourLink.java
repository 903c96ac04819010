package io.cytostream.state.consensus;

/**
 * Two neighbouring cells in one frame (undirected; by convention {@code trackI < trackJ}, but the
 * row builder accepts either order).
 *
 * @param trackI track id of one cell
 * @param trackJ track id of the other cell
 * @param sharedBorderPx shared border length l_ij in pixels
 * @param centroidDistancePx centroid distance u_ij in pixels
 */
public record NeighbourLink(
    long trackI, long trackJ, double sharedBorderPx, double centroidDistancePx) {

  /** The coupling weight u_ij · l_ij in px². */
  public double weight() {
    return sharedBorderPx * centroidDistancePx;
  }
}
