package io.cytostream.state.consensus;

/**
 * Two neighbouring cells in one frame (undirected; by convention {@code trackI < trackJ}, but the
 * row builder accepts either order), carrying the coupling weight w_ij = u_ij · l_ij / s of the
 * consensus model.
 *
 * <p>Units: the consensus stage passes the shared border already divided by the coupling scale s =
 * 1000 px² ({@code ConsensusSettings.couplingScalePx2}), so {@code sharedBorderPx} holds l_ij / s
 * in 1/px (the name is kept for the stored state's JSON) and {@link #weight()} is dimensionless. A
 * caller that passes l_ij unscaled (s = 1) gets w_ij in px², and k in 1/(px²·s) instead of 1/s.
 *
 * @param trackI track id of one cell
 * @param trackJ track id of the other cell
 * @param sharedBorderPx the shared border length divided by the coupling scale, l_ij / s (l_ij in
 *     px; 1/px with the stage's s = 1000 px²)
 * @param centroidDistancePx centroid distance u_ij in pixels
 */
public record NeighbourLink(
    long trackI, long trackJ, double sharedBorderPx, double centroidDistancePx) {

  /**
   * The coupling weight w_ij = u_ij · l_ij / s: dimensionless with the stage's s = 1000 px² (px² if
   * the border was passed unscaled).
   */
  public double weight() {
    return sharedBorderPx * centroidDistancePx;
  }
}
