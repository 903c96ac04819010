package io.cytostream.state.consensus;

/**
 * Configuration of the constrained, regularised least-squares fit (CRLSM) of the consensus model:
 *
 * <pre>
 *   minimise ½ Σ_rows w_r (φ_r k + γ_{i(r)} − z_r)² + (λ/2) ‖θ‖²   subject to  kMin ≤ k ≤ kMax,
 *            gammaMin ≤ γ ≤ gammaMax
 * </pre>
 *
 * with row weight w_r = ρ^(F − f_r) for a row of frame f_r seen at frame F (ρ = {@code forgetting},
 * 1 = plain CRLSM). Units as in {@link RegressionRow}: k in 1/s (w_ij = u_ij·l_ij / 1000 px²
 * dimensionless), γ in intensity/s.
 *
 * @param setup which parameters are fitted (the paper's setups I, II, III)
 * @param lambda Tikhonov weight λ &gt; 0 (paper: 0.001)
 * @param kMin lower bound of k (paper: 0.001)
 * @param kMax upper bound of k (paper: 0.1)
 * @param gammaMin lower bound of every γ (paper: −3e−5)
 * @param gammaMax upper bound of every γ (paper: 0.1)
 * @param forgetting forgetting factor ρ ∈ (0, 1] applied per frame (1: no forgetting, the streaming
 *     fit equals the offline CRLSM)
 * @param maxIdleFrames retention: a cell whose last row is more than this many frames old is
 *     dropped from the fit (0: cells are kept for ever, as the offline CRLSM does)
 */
public record CrlsmConfig(
    Setup setup,
    double lambda,
    double kMin,
    double kMax,
    double gammaMin,
    double gammaMax,
    double forgetting,
    long maxIdleFrames) {

  /** The parameterisations of the paper (section 2.2). */
  public enum Setup {
    /** Setup I: θ = [k]; γ is fixed to 0 (feed the rows of the one modelled cell). */
    SINGLE_CELL,
    /** Setup II: θ = [k, γ], one γ shared by all cells. */
    SHARED_FEED,
    /** Setup III: θ = [k, γ_1 … γ_G], one γ per cell (the default). */
    PER_CELL_FEED
  }

  /** Validates the parameters. */
  public CrlsmConfig {
    if (setup == null) {
      throw new IllegalArgumentException("setup is required");
    }
    if (!(lambda > 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException("lambda must be > 0: " + lambda);
    }
    if (!(kMin <= kMax) || !(gammaMin <= gammaMax)) {
      throw new IllegalArgumentException("empty bounds");
    }
    if (!(forgetting > 0 && forgetting <= 1)) {
      throw new IllegalArgumentException("forgetting must be in (0, 1]: " + forgetting);
    }
    if (maxIdleFrames < 0) {
      throw new IllegalArgumentException("maxIdleFrames must be >= 0");
    }
  }

  /** The paper's setup III: λ = 0.001, k ∈ [0.001, 0.1], γ_i ∈ [−3e−5, 0.1], no forgetting. */
  public static CrlsmConfig paper() {
    return new CrlsmConfig(Setup.PER_CELL_FEED, 0.001, 0.001, 0.1, -3e-5, 0.1, 1.0, 0);
  }

  /** This configuration with another setup. */
  public CrlsmConfig withSetup(Setup s) {
    return new CrlsmConfig(s, lambda, kMin, kMax, gammaMin, gammaMax, forgetting, maxIdleFrames);
  }

  /** This configuration with another forgetting factor. */
  public CrlsmConfig withForgetting(double rho) {
    return new CrlsmConfig(setup, lambda, kMin, kMax, gammaMin, gammaMax, rho, maxIdleFrames);
  }

  /** This configuration with other bounds. */
  public CrlsmConfig withBounds(double kLo, double kHi, double gLo, double gHi) {
    return new CrlsmConfig(setup, lambda, kLo, kHi, gLo, gHi, forgetting, maxIdleFrames);
  }

  /** This configuration with another λ. */
  public CrlsmConfig withLambda(double l) {
    return new CrlsmConfig(setup, l, kMin, kMax, gammaMin, gammaMax, forgetting, maxIdleFrames);
  }

  /** This configuration with another retention policy. */
  public CrlsmConfig withMaxIdleFrames(long frames) {
    return new CrlsmConfig(setup, lambda, kMin, kMax, gammaMin, gammaMax, forgetting, frames);
  }
}
