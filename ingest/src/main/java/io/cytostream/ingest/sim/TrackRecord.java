package io.cytostream.ingest.sim;

/**
 * One track as in a Cell Tracking Challenge {@code man_track.txt} line {@code L B E P}, plus the
 * simulator's facts about it.
 *
 * @param label track label L, the value in the label images (1..65535)
 * @param begin first frame B in which the label appears
 * @param end last frame E in which it appears (so far, for a running simulation)
 * @param parent parent track P, 0 when none: a daughter's parent ends at {@code begin − 1}
 * @param cellId the simulator's id of the physical cell; a cell that leaves the field of view and
 *     comes back gets a new track (parent 0) with the same id
 * @param gamma the cell's feed term γ at the track's first frame, signal units/s
 */
public record TrackRecord(int label, int begin, int end, int parent, long cellId, double gamma) {}
