package io.cytostream.processors.anomaly;

/**
 * A cell's own parameter estimate (from its RLS filter) for the culture comparison.
 *
 * @param trackId the track
 * @param k k_i in 1/s (the coupling weight u_ij·l_ij / 1000 px² is dimensionless)
 * @param gamma γ_i in intensity/s
 * @param rows rows the estimate rests on
 */
public record CellEstimate(long trackId, double k, double gamma, long rows) {}
