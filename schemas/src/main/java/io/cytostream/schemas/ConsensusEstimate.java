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
 * @param setup no longer written (since 1.1): records written before carry {@code I}, {@code II} or
 *     {@code III}, which were the parameterisations and are read by {@link #parameterisationName()}
 *     as {@code eq1}, {@code eq2}, {@code eq3}
 * @param k the coupling k, 1/s (with the dimensionless w_ij = u_ij·l_ij / couplingScale)
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
 * @param couplingScalePx2 s in the coupling weight w_ij = u_ij·l_ij / s, px², when u and l are in
 *     px; null when they are in µm (then {@code couplingScale} holds s in µm²)
 * @param normLo normalisation map lower anchor in log(x+1) units (null when raw)
 * @param normHi normalisation map upper anchor in log(x+1) units (null when raw)
 * @param parameterisation {@code eq1}, {@code eq2} or {@code eq3}: the paper's eqs. 1–3 (since 1.1)
 * @param objective {@code delta-y} (λ against the paper's rows Δy = Δt(φk + γ)) or {@code rate}
 *     (against z = Δy/Δt)
 * @param estimator {@code ls} (least squares) or {@code iv} (instrumental variables)
 * @param modelledCell the one cell fitted under eq. 1 (null otherwise)
 * @param border which cells were border cells (inputs only): {@code edge}, {@code ring:W} (W px) or
 *     {@code list:N} (N explicit track ids)
 * @param kAtBound whether k sits on one of its bounds (then {@code kStandardError} is null)
 * @param kStandardErrorAbsent why {@code kStandardError} is null: {@code k_at_lower_bound}, {@code
 *     k_at_upper_bound} or {@code too_few_rows} (null when it is given)
 * @param lengthUnit the unit of u and l: {@code um} when the frames carry a pixel size, else {@code
 *     px}
 * @param couplingScale s in w_ij = u_ij·l_ij / s, in lengthUnit²
 * @param pixelSizeUm the frames' pixel size in µm (null when not given)
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
    Double couplingScalePx2,
    Double normLo,
    Double normHi,
    String parameterisation,
    String objective,
    String estimator,
    Long modelledCell,
    String border,
    Boolean kAtBound,
    String kStandardErrorAbsent,
    String lengthUnit,
    Double couplingScale,
    Double pixelSizeUm,
    Double traceMse,
    Map<Long, Double> traceMseByTrack,
    Integer traceWindowSteps) {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /**
   * The parameterisation ({@code eq1}, {@code eq2}, {@code eq3}), also for records written before
   * 1.1, whose {@code setup} {@code I}, {@code II}, {@code III} named it.
   */
  public String parameterisationName() {
    if (parameterisation != null) {
      return parameterisation;
    }
    if (setup == null) {
      return null;
    }
    return switch (setup) {
      case "I" -> "eq1";
      case "II" -> "eq2";
      case "III" -> "eq3";
      default -> setup;
    };
  }
}
