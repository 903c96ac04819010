package io.cytostream.state.consensus;

import java.util.Locale;

/**
 * Configuration of the constrained, regularised least-squares fit (CRLSM) of the consensus model.
 *
 * <p>With the default {@link Objective#DELTA_Y} (the paper's eqs. 16, 18: rows Δy = Δt(φk + γ)):
 *
 * <pre>
 *   minimise ½ Σ_rows w_r (Δt_r φ_r k + Δt_r γ_{i(r)} − Δy_r)² + (λ/2) ‖θ‖²
 *            subject to  kMin ≤ k ≤ kMax,  gammaMin ≤ γ ≤ gammaMax
 * </pre>
 *
 * and with {@link Objective#RATE} the same on rate rows z = Δy/Δt (each row divided by its Δt): ½ Σ
 * w_r (φ_r k + γ_{i(r)} − z_r)² + (λ/2) ‖θ‖². The two coincide when λ_DELTA_Y = λ_RATE·Δt² (Δt
 * constant), and only at Δt = 1 s for the same λ. Row weight w_r = ρ^(F − f_r) for a row of frame
 * f_r seen at frame F (ρ = {@code forgetting}, 1 = plain CRLSM). Units as in {@link RegressionRow}:
 * k in 1/s (the link weights dimensionless), γ in intensity/s, Δt in s.
 *
 * @param parameterisation which parameters are fitted (the paper's eqs. 1, 2, 3)
 * @param objective the rows λ is weighed against: Δy (paper) or z = Δy/Δt
 * @param estimator plain least squares, or the instrumental-variables remedy for the noise bias
 * @param modelledCell the one cell fitted under {@link Parameterisation#EQ1} (track id &gt; 0; 0
 *     for the other parameterisations)
 * @param lambda Tikhonov weight λ &gt; 0 (paper: 0.001, on Δy rows)
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
    Parameterisation parameterisation,
    Objective objective,
    Estimator estimator,
    long modelledCell,
    double lambda,
    double kMin,
    double kMax,
    double gammaMin,
    double gammaMax,
    double forgetting,
    long maxIdleFrames) {

  /** The parameterisations of the paper (section 2.1, eqs. 1–3; matrices eqs. 12, 16). */
  public enum Parameterisation {
    /** Eq. 1 (matrix form eq. 12): one modelled cell, θ = [k, γ]. */
    EQ1,
    /** Eq. 2: a group of cells, θ = [k, γ], one γ shared by all cells. */
    EQ2,
    /** Eq. 3 (matrix form eq. 16): a group of cells, θ = [k, γ_1 … γ_G] (the default). */
    EQ3;

    /** The wire name: {@code eq1}, {@code eq2}, {@code eq3}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; also reads the names records carried before version 1.1 ({@code I},
     * {@code II}, {@code III}, when this enum was called "setup": {@code II} and {@code III} are
     * eqs. 2 and 3; the old {@code I} fitted k alone with γ = 0 over all cells and is read as eq.
     * 1, its nearest paper equivalent).
     */
    public static Parameterisation fromWireName(String s) {
      return switch (s.trim().toUpperCase(Locale.ROOT)) {
        case "EQ1", "I" -> EQ1;
        case "EQ2", "II" -> EQ2;
        case "EQ3", "III" -> EQ3;
        default -> throw new IllegalArgumentException("unknown parameterisation " + s);
      };
    }
  }

  /** Which rows the Tikhonov term is weighed against. */
  public enum Objective {
    /** The paper's rows Δy = Δt(φk + γ) (eqs. 16, 18); the default. */
    DELTA_Y("delta-y"),
    /** Rate rows z = Δy/Δt = φk + γ: the service's objective before version 1.1. */
    RATE("rate");

    private final String wire;

    Objective(String wire) {
      this.wire = wire;
    }

    /** The wire name: {@code delta-y} or {@code rate}. */
    public String wireName() {
      return wire;
    }

    /** The weight of a row of step Δt in the rate form: Δt² for Δy rows, 1 for rate rows. */
    public double rowWeight(double dtSeconds) {
      return this == DELTA_Y ? dtSeconds * dtSeconds : 1.0;
    }

    /** Parses {@code delta-y} (also {@code paper}) or {@code rate}. */
    public static Objective fromWireName(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "delta-y", "paper", "dy" -> DELTA_Y;
        case "rate", "z" -> RATE;
        default -> throw new IllegalArgumentException("unknown objective " + s);
      };
    }
  }

  /** The estimator. */
  public enum Estimator {
    /** Least squares on the rows (the paper's). */
    LS("ls"),
    /**
     * Instrumental variables (two-stage least squares): φ_t is instrumented by the same cell's
     * regressor one frame earlier, built from frame t−2, whose measurement noise is independent of
     * the row's (frames t−1 and t); removes the errors-in-variables bias of forward-Euler rows.
     * Rows without an instrument (a track's first row) are left out.
     */
    IV("iv");

    private final String wire;

    Estimator(String wire) {
      this.wire = wire;
    }

    /** The wire name: {@code ls} or {@code iv}. */
    public String wireName() {
      return wire;
    }

    /** Parses {@code ls} or {@code iv}. */
    public static Estimator fromWireName(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "ls" -> LS;
        case "iv" -> IV;
        default -> throw new IllegalArgumentException("unknown estimator " + s + " (ls or iv)");
      };
    }
  }

  /** Validates the parameters. */
  public CrlsmConfig {
    if (parameterisation == null || objective == null || estimator == null) {
      throw new IllegalArgumentException("parameterisation, objective and estimator are required");
    }
    if (parameterisation == Parameterisation.EQ1 && modelledCell <= 0) {
      throw new IllegalArgumentException("eq1 needs the modelled cell's track id (> 0)");
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

  /**
   * The paper's fit of eq. 3: Δy rows, least squares, λ = 0.001, k ∈ [0.001, 0.1], γ_i ∈ [−3e−5,
   * 0.1], no forgetting.
   */
  public static CrlsmConfig paper() {
    return new CrlsmConfig(
        Parameterisation.EQ3,
        Objective.DELTA_Y,
        Estimator.LS,
        0,
        0.001,
        0.001,
        0.1,
        -3e-5,
        0.1,
        1.0,
        0);
  }

  /** This configuration with another parameterisation (eqs. 2, 3). */
  public CrlsmConfig withParameterisation(Parameterisation p) {
    return new CrlsmConfig(
        p,
        objective,
        estimator,
        p == Parameterisation.EQ1 ? modelledCell : 0,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration fitting eq. 1 to the one cell {@code trackId}. */
  public CrlsmConfig withSingleCell(long trackId) {
    return new CrlsmConfig(
        Parameterisation.EQ1,
        objective,
        estimator,
        trackId,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration with another objective. */
  public CrlsmConfig withObjective(Objective o) {
    return new CrlsmConfig(
        parameterisation,
        o,
        estimator,
        modelledCell,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration with another estimator. */
  public CrlsmConfig withEstimator(Estimator e) {
    return new CrlsmConfig(
        parameterisation,
        objective,
        e,
        modelledCell,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration with another forgetting factor. */
  public CrlsmConfig withForgetting(double rho) {
    return new CrlsmConfig(
        parameterisation,
        objective,
        estimator,
        modelledCell,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        rho,
        maxIdleFrames);
  }

  /** This configuration with other bounds. */
  public CrlsmConfig withBounds(double kLo, double kHi, double gLo, double gHi) {
    return new CrlsmConfig(
        parameterisation,
        objective,
        estimator,
        modelledCell,
        lambda,
        kLo,
        kHi,
        gLo,
        gHi,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration with another λ. */
  public CrlsmConfig withLambda(double l) {
    return new CrlsmConfig(
        parameterisation,
        objective,
        estimator,
        modelledCell,
        l,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        maxIdleFrames);
  }

  /** This configuration with another retention policy. */
  public CrlsmConfig withMaxIdleFrames(long frames) {
    return new CrlsmConfig(
        parameterisation,
        objective,
        estimator,
        modelledCell,
        lambda,
        kMin,
        kMax,
        gammaMin,
        gammaMax,
        forgetting,
        frames);
  }

  /** Whether a row of this track takes part in the fit (eq. 1: only the modelled cell's). */
  public boolean fits(long trackId) {
    return parameterisation != Parameterisation.EQ1 || trackId == modelledCell;
  }
}
