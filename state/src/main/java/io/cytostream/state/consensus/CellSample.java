package io.cytostream.state.consensus;

/**
 * One tracked cell in one frame.
 *
 * @param trackId stable track id (&gt; 0)
 * @param intensity mean normalised intensity y of the cell in this frame (dimensionless, the
 *     denoise stage's normalised units)
 * @param onBorder whether the cell touches the image border; border cells are inputs only (their
 *     intensity enters their neighbours' regressors, they get no regression row)
 * @param parentTrackId the parent's track id on the first frame of a daughter, else 0
 */
public record CellSample(long trackId, double intensity, boolean onBorder, long parentTrackId) {}
