package io.cytostream.processors.track;

/**
 * The track of one detection.
 *
 * @param label the detection's label in its frame's label image
 * @param trackId stable track id ({@code >= 1}, never reused, unchanged once emitted)
 * @param parentTrackId the mother's track id on the first frame of a daughter track, else 0
 */
public record TrackAssignment(int label, long trackId, long parentTrackId) {}
