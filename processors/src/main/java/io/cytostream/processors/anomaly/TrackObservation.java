package io.cytostream.processors.anomaly;

/**
 * A tracked cell in one frame, as the tracking test needs it.
 *
 * @param trackId the track
 * @param areaPx the cell's area in pixels
 * @param parentTrackId the parent's track id on a daughter's first frame, else 0
 * @param centroidX the cell's centroid x in pixels (NaN when unknown: no proximity or edge
 *     explanations are then tried for it)
 * @param centroidY the centroid's y in pixels (NaN when unknown)
 */
public record TrackObservation(
    long trackId, double areaPx, long parentTrackId, double centroidX, double centroidY) {

  /** A cell without a known position. */
  public TrackObservation(long trackId, double areaPx, long parentTrackId) {
    this(trackId, areaPx, parentTrackId, Double.NaN, Double.NaN);
  }

  /** The radius of a disc of the cell's area, px. */
  double radius() {
    return Math.sqrt(Math.max(0, areaPx) / Math.PI);
  }

  /** Whether the position is known. */
  boolean located() {
    return Double.isFinite(centroidX) && Double.isFinite(centroidY);
  }
}
