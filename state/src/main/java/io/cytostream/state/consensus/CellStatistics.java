package io.cytostream.state.consensus;

/**
 * The sufficient statistics of one cell's regression rows, weighted by the forgetting factor: every
 * sum is Σ_r w_r (·) with w_r = ρ^(f − f_r) for a row of frame f_r, where f is {@code frame}.
 * Immutable; {@link #plus} and {@link #decayedTo} return new records.
 *
 * <p>Decay is lazy: the sums are stored as of {@code frame} (the frame of the cell's last row) and
 * brought forward with {@link #decayedTo} when needed, so a cell without rows in a frame costs
 * nothing.
 *
 * @param trackId the cell's track id
 * @param sumPhiPhi Σ w φ²
 * @param sumPhi Σ w φ
 * @param weight Σ w (the effective row count; equals {@code rows} when ρ = 1)
 * @param sumPhiZ Σ w φ z
 * @param sumZ Σ w z
 * @param sumZZ Σ w z²
 * @param rows number of rows ever added (not decayed)
 * @param frame the frame the sums are referred to (the frame of the last row)
 */
public record CellStatistics(
    long trackId,
    double sumPhiPhi,
    double sumPhi,
    double weight,
    double sumPhiZ,
    double sumZ,
    double sumZZ,
    long rows,
    long frame) {

  /** No rows yet. */
  public static CellStatistics empty(long trackId, long frame) {
    return new CellStatistics(trackId, 0, 0, 0, 0, 0, 0, 0, frame);
  }

  /** The sums as seen at frame {@code f} ≥ {@link #frame()}: each multiplied by ρ^(f − frame). */
  public CellStatistics decayedTo(long f, double rho) {
    if (f <= frame) {
      return this;
    }
    if (rho == 1.0) {
      return new CellStatistics(trackId, sumPhiPhi, sumPhi, weight, sumPhiZ, sumZ, sumZZ, rows, f);
    }
    double s = Math.pow(rho, f - frame);
    return new CellStatistics(
        trackId, s * sumPhiPhi, s * sumPhi, s * weight, s * sumPhiZ, s * sumZ, s * sumZZ, rows, f);
  }

  /** Adds one row (of a frame ≥ {@link #frame()}), decaying the older rows first. */
  public CellStatistics plus(RegressionRow row, double rho) {
    CellStatistics d = decayedTo(row.frameIndex(), rho);
    double phi = row.phi();
    double z = row.z();
    return new CellStatistics(
        trackId,
        d.sumPhiPhi + phi * phi,
        d.sumPhi + phi,
        d.weight + 1,
        d.sumPhiZ + phi * z,
        d.sumZ + z,
        d.sumZZ + z * z,
        rows + 1,
        d.frame);
  }

  /**
   * The weighted residual sum of squares Σ w (φ k + γ − z)² of this cell's rows at (k, γ), in
   * (intensity/s)²; may be slightly negative from rounding when the fit is near exact. The one
   * place of this formula: {@link StreamingCrlsm} computes every residual sum with it (for setups I
   * and II on the cells' pooled sums).
   */
  public double residualSumOfSquares(double k, double gamma) {
    return sumPhiPhi * k * k
        + 2 * sumPhi * k * gamma
        + weight * gamma * gamma
        - 2 * sumPhiZ * k
        - 2 * sumZ * gamma
        + sumZZ;
  }
}
