package io.cytostream.state.consensus;

/**
 * One forward-Euler regression row of the consensus model for one interior cell: {@code z = φ·k +
 * γ_i + noise}, i.e. Δy = Δt·(φ·k + γ_i) + noise.
 *
 * @param trackId the cell's track id
 * @param frameIndex the index of frame t (the later of the two frames the row is built from)
 * @param phi φ_t = (1/|N_i|) Σ_j w_ij (x_{j,t−1} − y_{i,t−1}) with w_ij = u_ij l_ij / s ({@link
 *     NeighbourLink#weight()}), in intensity units (w_ij dimensionless)
 * @param z z_t = (y_t − y_{t−1}) / Δt, in intensity units per second
 * @param dtSeconds Δt in seconds
 * @param instrument the same cell's φ one frame earlier (built from frame t−2), the instrument of
 *     the {@link CrlsmConfig.Estimator#IV} estimator; NaN when the cell had no row at frame t−1
 */
public record RegressionRow(
    long trackId, long frameIndex, double phi, double z, double dtSeconds, double instrument) {

  /** A row without an instrument. */
  public RegressionRow(long trackId, long frameIndex, double phi, double z, double dtSeconds) {
    this(trackId, frameIndex, phi, z, dtSeconds, Double.NaN);
  }

  /** Whether the row carries an instrument. */
  public boolean hasInstrument() {
    return Double.isFinite(instrument);
  }
}
