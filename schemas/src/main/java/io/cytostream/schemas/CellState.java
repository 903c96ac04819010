package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The model state of one tracked cell after one frame: topic {@code cells.state}, key = {@code fov
 * + "/" + trackId}, JSON. Parameter fields are null until the cell has enough rows.
 *
 * @param schemaVersion {@value #VERSION}
 * @param fov field of view id
 * @param trackId track id
 * @param frameIndex frame the state refers to
 * @param timeSeconds model time of that frame, s
 * @param intensity the cell's signal y (mean normalised intensity)
 * @param onBorder border cells are model inputs only
 * @param rows regression rows this cell has contributed
 * @param kCell the cell's own coupling k_i from its RLS filter (1/s: w_ij = u_ij·l_ij / 1000 px² is
 *     dimensionless)
 * @param gammaCell the cell's own feed γ_i from its RLS filter (signal units per s)
 * @param kCellSe standard error of k_i
 * @param gammaCellSe standard error of γ_i
 * @param innovation last innovation e_t (signal units per s)
 * @param normalizedInnovation |e_t| / σ_t
 * @param kConsensus the FOV's consensus k from the streaming CRLSM
 * @param gammaConsensus this cell's γ_i from the streaming CRLSM
 * @param traceMse the paper's fit metric for this cell: MSE between its measured y and the trace
 *     re-simulated by forward Euler from kConsensus and gammaConsensus with the measured neighbours
 *     as inputs, over its last steps (ConsensusEstimate's traceWindowSteps), squared signal units;
 *     null for cells without rows (optional, added within version 1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellState(
    int schemaVersion,
    String fov,
    long trackId,
    long frameIndex,
    double timeSeconds,
    double intensity,
    boolean onBorder,
    long rows,
    Double kCell,
    Double gammaCell,
    Double kCellSe,
    Double gammaCellSe,
    Double innovation,
    Double normalizedInnovation,
    Double kConsensus,
    Double gammaConsensus,
    Double traceMse) {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /** The Kafka key of a cell's state. */
  public static String key(String fov, long trackId) {
    return fov + "/" + trackId;
  }
}
