package io.cytostream.state.consensus;

/**
 * The sufficient statistics of one cell's regression rows, weighted by the forgetting factor and by
 * the objective's row weight: every sum is Σ_r w_r v_r (·) with w_r = ρ^(f − f_r) for a row of
 * frame f_r, where f is {@code frame}, and v_r the row weight of the objective ({@link
 * CrlsmConfig.Objective#rowWeight}: Δt² for the paper's Δy rows, since Δt·(φk + γ) − Δy = Δt·(φk +
 * γ − z); 1 for rate rows). {@code count} is Σ w_r alone (the effective number of rows). Immutable;
 * {@link #plus} and {@link #decayedTo} return new records.
 *
 * <p>Decay is lazy: the sums are stored as of {@code frame} (the frame of the cell's last row) and
 * brought forward with {@link #decayedTo} when needed, so a cell without rows in a frame costs
 * nothing.
 *
 * <p>The instrument sums (ζ = {@link RegressionRow#instrument()}) are over the rows that carry an
 * instrument; the {@link CrlsmConfig.Estimator#IV} fit only ever adds such rows, so then all sums
 * are over the same rows.
 *
 * @param trackId the cell's track id
 * @param sumPhiPhi Σ wv φ²
 * @param sumPhi Σ wv φ
 * @param weight Σ wv (the γ diagonal of the normal matrix; the effective row count with v = 1)
 * @param sumPhiZ Σ wv φ z
 * @param sumZ Σ wv z
 * @param sumZZ Σ wv z²
 * @param rows number of rows ever added (not decayed)
 * @param frame the frame the sums are referred to (the frame of the last row)
 * @param count Σ w, the effective number of rows (equals {@code rows} when ρ = 1)
 * @param sumZeta Σ wv ζ
 * @param sumZetaZeta Σ wv ζ²
 * @param sumZetaPhi Σ wv ζ φ
 * @param sumZetaZ Σ wv ζ z
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
    long frame,
    double count,
    double sumZeta,
    double sumZetaZeta,
    double sumZetaPhi,
    double sumZetaZ) {

  /**
   * Statistics without instrument sums, with count = weight (row weight 1): also how records stored
   * before the count and instrument fields existed are read (they were rate rows, v = 1).
   */
  public CellStatistics(
      long trackId,
      double sumPhiPhi,
      double sumPhi,
      double weight,
      double sumPhiZ,
      double sumZ,
      double sumZZ,
      long rows,
      long frame) {
    this(trackId, sumPhiPhi, sumPhi, weight, sumPhiZ, sumZ, sumZZ, rows, frame, weight, 0, 0, 0, 0);
  }

  /** Reads records stored before {@code count} existed (count 0 with rows: v was 1). */
  public CellStatistics {
    if (count == 0 && rows > 0) {
      count = weight;
    }
  }

  /** No rows yet. */
  public static CellStatistics empty(long trackId, long frame) {
    return new CellStatistics(trackId, 0, 0, 0, 0, 0, 0, 0, frame, 0, 0, 0, 0, 0);
  }

  /** The sums as seen at frame {@code f} ≥ {@link #frame()}: each multiplied by ρ^(f − frame). */
  public CellStatistics decayedTo(long f, double rho) {
    if (f <= frame) {
      return this;
    }
    double s = rho == 1.0 ? 1.0 : Math.pow(rho, f - frame);
    return new CellStatistics(
        trackId,
        s * sumPhiPhi,
        s * sumPhi,
        s * weight,
        s * sumPhiZ,
        s * sumZ,
        s * sumZZ,
        rows,
        f,
        s * count,
        s * sumZeta,
        s * sumZetaZeta,
        s * sumZetaPhi,
        s * sumZetaZ);
  }

  /** Adds one row of row weight 1 (rate rows); see {@link #plus(RegressionRow, double, double)}. */
  public CellStatistics plus(RegressionRow row, double rho) {
    return plus(row, rho, 1.0);
  }

  /**
   * Adds one row (of a frame ≥ {@link #frame()}) with row weight {@code v}, decaying the older rows
   * first.
   */
  public CellStatistics plus(RegressionRow row, double rho, double v) {
    CellStatistics d = decayedTo(row.frameIndex(), rho);
    double phi = row.phi();
    double z = row.z();
    double zeta = row.hasInstrument() ? row.instrument() : 0;
    double vz = row.hasInstrument() ? v : 0;
    return new CellStatistics(
        trackId,
        d.sumPhiPhi + v * phi * phi,
        d.sumPhi + v * phi,
        d.weight + v,
        d.sumPhiZ + v * phi * z,
        d.sumZ + v * z,
        d.sumZZ + v * z * z,
        rows + 1,
        d.frame,
        d.count + 1,
        d.sumZeta + vz * zeta,
        d.sumZetaZeta + vz * zeta * zeta,
        d.sumZetaPhi + vz * zeta * phi,
        d.sumZetaZ + vz * zeta * z);
  }

  /**
   * The weighted residual sum of squares Σ wv (φ k + γ − z)² of this cell's rows at (k, γ): in
   * (intensity/s)² for rate rows, intensity² for Δy rows; may be slightly negative from rounding
   * when the fit is near exact. The one place of this formula: {@link StreamingCrlsm} computes
   * every residual sum with it (for eqs. 1 and 2 on the cells' pooled sums).
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
