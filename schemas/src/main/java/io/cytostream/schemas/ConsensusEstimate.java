package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The FOV's streaming CRLSM solution after one frame: topic {@code consensus.fov}, key = FOV, JSON.
 * It equals the offline CRLSM over the same rows (with forgetting 1).
 *
 * @param schemaVersion {@value #VERSION}
 * @param fov field of view id
 * @param frameIndex the frame after which this is the solution
 * @param setup {@code I}, {@code II} or {@code III} (the paper's setups)
 * @param k the coupling k, 1/s (with the dimensionless w_ij = u_ij·l_ij / couplingScalePx2)
 * @param kStandardError its standard error (null when at a bound or too few rows)
 * @param gamma γ_i per track id, signal units per s
 * @param gammaStandardError standard errors of γ_i (null entries omitted)
 * @param lambda Tikhonov weight λ
 * @param kMin lower bound of k
 * @param kMax upper bound of k
 * @param gammaMin lower bound of γ
 * @param gammaMax upper bound of γ
 * @param forgetting forgetting factor ρ per frame (1 = none)
 * @param rowsUsed regression rows in the fit
 * @param framesUsed frames that contributed rows
 * @param meanDtSeconds mean Δt of the rows, s
 * @param residualVariance residual variance of the fit, (signal/s)²
 * @param signal the model's y: {@code normalized} or {@code raw}
 * @param couplingScalePx2 s in the coupling weight w_ij = u_ij·l_ij / s, px²
 * @param normLo normalisation map lower anchor in log(x+1) units (null when raw)
 * @param normHi normalisation map upper anchor in log(x+1) units (null when raw)
 * @param traceMse the paper's fit metric for the FOV: the MSE between measured and re-simulated
 *     traces pooled over every re-simulated point of every cell in the fit, squared signal units
 *     (optional, added within version 1; null when no cell has a trace)
 * @param traceMseByTrack the per-cell MSE of the re-simulated trace, keyed by track id (optional)
 * @param traceWindowSteps steps per cell the re-simulation covers (the last ones; 0: all)
 *     (optional)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsensusEstimate(
    int schemaVersion,
    String fov,
    long frameIndex,
    String setup,
    double k,
    Double kStandardError,
    Map<Long, Double> gamma,
    Map<Long, Double> gammaStandardError,
    double lambda,
    double kMin,
    double kMax,
    double gammaMin,
    double gammaMax,
    double forgetting,
    long rowsUsed,
    long framesUsed,
    Double meanDtSeconds,
    Double residualVariance,
    String signal,
    double couplingScalePx2,
    Double normLo,
    Double normHi,
    Double traceMse,
    Map<Long, Double> traceMseByTrack,
    Integer traceWindowSteps) {
  /** Current version of this message. */
  public static final int VERSION = 1;
}
