package io.cytostream.processors.anomaly;

/**
 * A tracked cell in one frame, as the tracking test needs it.
 *
 * @param trackId the track
 * @param areaPx the cell's area in pixels
 * @param parentTrackId the parent's track id on a daughter's first frame, else 0
 */
public record TrackObservation(long trackId, double areaPx, long parentTrackId) {}
