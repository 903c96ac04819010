package io.cytostream.state.consensus;

/**
 * The one-step-ahead prediction error of a cell's RLS filter for one regression row, before the row
 * updates the filter.
 *
 * @param trackId the cell's track id
 * @param frameIndex the row's frame
 * @param error e_t = z_t − (φ_t k_i + γ_i), in intensity/s
 * @param predictedVariance σ_t² = σ̂² (1 + xᵀPx/ρ) with x = [φ_t, 1]: the parameter uncertainty
 *     plus the running residual variance σ̂², in (intensity/s)²; NaN while σ̂² is unknown (fewer
 *     than 3 effective rows)
 * @param normalised e_t / σ_t (dimensionless; NaN while σ_t is unknown)
 * @param rowsBefore rows the filter had absorbed before this one (for warm-up rules)
 */
public record Innovation(
    long trackId,
    long frameIndex,
    double error,
    double predictedVariance,
    double normalised,
    long rowsBefore) {}
