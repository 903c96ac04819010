package io.cytostream.ingest.sim;

/**
 * The true state of one visible cell in one frame.
 *
 * @param label its track label in this frame's label image (1..65535)
 * @param y calcium signal, signal units, at this frame
 * @param role how {@code y} was produced
 * @param gamma the cell's feed term γ_i in force for this frame's step, signal units/s
 * @param excess what was added to y after the model step (an injected {@link AnomalyType#SPIKE}),
 *     else 0
 * @param area pixels with this label
 * @param centroidX mean x (column index) of those pixels
 * @param centroidY mean y (row index) of those pixels
 * @param neighbours |N_i|: labels sharing a border of at least {@code minSharedBorder} px with it
 * @param touchesBorder whether it has a pixel within {@code borderMargin} px of the image edge,
 *     which makes it an input cell for the next frame's step
 */
public record CellTruth(
    int label,
    double y,
    Role role,
    double gamma,
    double excess,
    int area,
    double centroidX,
    double centroidY,
    int neighbours,
    boolean touchesBorder) {

  /** How a cell's y at frame t was produced. */
  public enum Role {
    /** Frame 0: the starting value (the cell's prescribed signal at t = 0). */
    INITIAL,
    /**
     * The Euler step of the consensus model from frame t − 1 (for a daughter's first frame, from
     * its parent at t − 1): the cell, or its parent, was visible at t − 1 and did not touch the
     * border. The regression row {@code (y(t) − y(t−1))/Δt = k·φ(t−1) + γ} holds exactly (plus
     * {@code excess}).
     */
    INTERIOR,
    /**
     * The prescribed input signal (baseline, slow sinusoids, spikes): the cell touched the border
     * at t − 1 or was outside the field of view.
     */
    INPUT
  }
}
