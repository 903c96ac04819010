package io.cytostream.state.consensus;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CRLSM fit of the consensus model for one field of view.
 *
 * <p>Standard errors: at the optimum, the parameters strictly inside their bounds are the free set
 * F; the fit is locally the unconstrained ridge solution over F with the others fixed, so its
 * covariance is approximated by σ² (AᵀA + λI)_FF⁻¹ with σ² = RSS / (N − |F|) the residual variance
 * (N the effective row count). With λ tiny against AᵀA this is the ordinary least-squares
 * covariance. A parameter at a bound has no standard error (NaN): its distribution is not normal.
 * The errors assume independent residuals, which forward-Euler rows on noisy intensities do not
 * quite give (neighbouring z share noise), so treat them as indicative.
 *
 * @param parameterisation the parameterisation fitted (the paper's eq. 1, 2 or 3)
 * @param k the coupling k in 1/s (the links' w_ij = u_ij·l_ij / 1000 px² is dimensionless, see
 *     {@link NeighbourLink}; with unscaled links it would be 1/(px²·s))
 * @param kStandardError standard error of k (NaN if k is at a bound or too few rows)
 * @param gamma γ per track id in intensity/s (eq. 2: the shared γ under every track id; eq. 1: the
 *     modelled cell's γ), iterated in track id order
 * @param gammaStandardError standard error of each γ (NaN where at a bound or too few rows), in
 *     track id order
 * @param residualVariance σ² = RSS / (N − |F|) in the objective's rows: intensity² for Δy rows,
 *     (intensity/s)² for rate rows (NaN if N ≤ |F|)
 * @param rowsUsed number of rows in the fit (not decayed)
 * @param framesUsed number of frames that contributed at least one row
 * @param effectiveRows N = Σ w (equals rowsUsed when ρ = 1)
 * @param objective ½ RSS + (λ/2) ‖θ‖² at the optimum (RSS of the rows themselves, also for IV)
 * @param meanDtSeconds mean Δt of the rows used, in seconds (NaN without rows)
 * @param config the configuration fitted (λ, bounds, forgetting)
 */
public record ConsensusSolution(
    CrlsmConfig.Parameterisation parameterisation,
    double k,
    double kStandardError,
    Map<Long, Double> gamma,
    Map<Long, Double> gammaStandardError,
    double residualVariance,
    long rowsUsed,
    long framesUsed,
    double effectiveRows,
    double objective,
    double meanDtSeconds,
    CrlsmConfig config) {

  /**
   * Copies the maps so that the record is immutable, in track id order: the published records list
   * them in this order, so it must not depend on the JVM ({@code Map.copyOf} iterates in an order
   * salted per JVM start, so a restarted service wrote the same γ in another order).
   */
  public ConsensusSolution {
    gamma = Collections.unmodifiableMap(new TreeMap<>(gamma));
    gammaStandardError = Collections.unmodifiableMap(new TreeMap<>(gammaStandardError));
  }

  /** γ of a track, or NaN if the track is not in the fit. */
  public double gammaOf(long trackId) {
    Double g = gamma.get(trackId);
    return g == null ? Double.NaN : g;
  }

  /** Whether k sits on one of its bounds. */
  public boolean kAtBound() {
    return k <= config.kMin() || k >= config.kMax();
  }

  /**
   * Why k has no standard error, or null when it has one: {@code k_at_lower_bound}, {@code
   * k_at_upper_bound} (a bounded parameter's distribution is not normal) or {@code too_few_rows}.
   */
  public String kStandardErrorAbsentReason() {
    if (Double.isFinite(kStandardError)) {
      return null;
    }
    if (k <= config.kMin()) {
      return "k_at_lower_bound";
    }
    if (k >= config.kMax()) {
      return "k_at_upper_bound";
    }
    return "too_few_rows";
  }
}
