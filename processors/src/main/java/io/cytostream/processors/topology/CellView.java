package io.cytostream.processors.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the query API knows about one tracked cell: its last sighting (from {@code tracks}), its
 * model state (from the consensus stage's {@code CellState}), a bounded recent series and its
 * recent events. One entry of the {@value QueryViewProcessor#CELL_STORE} store, key {@code
 * fov/%019d(track)}; written by {@link QueryViewProcessor}.
 *
 * @param fov field of view id
 * @param track track id
 * @param parentTrack parent track id (0 when none)
 * @param firstFrame first frame the view saw the cell in
 * @param lastFrame last frame the cell was seen in
 * @param timeSeconds model time of {@code lastFrame}, s
 * @param centroidX centroid x at {@code lastFrame}, px (null when only known from an event)
 * @param centroidY centroid y at {@code lastFrame}, px
 * @param areaPx area at {@code lastFrame}, px
 * @param meanIntensity mean raw intensity at {@code lastFrame}, ADU
 * @param intensity the model's y at the last modelled frame (normalised, or raw with signal raw)
 * @param onBorder whether the cell touched the image edge at {@code lastFrame}
 * @param rows regression rows the cell's RLS filter absorbed
 * @param k the cell's own coupling k_i, 1/s (null until estimable)
 * @param kStandardError standard error of k_i, 1/s
 * @param gamma the cell's own feed γ_i, signal units per s
 * @param gammaStandardError standard error of γ_i
 * @param innovation the last innovation e_t, signal units per s (null before the first row)
 * @param normalizedInnovation e_t / σ_t of that innovation
 * @param innovationFrame the frame of that innovation
 * @param kConsensus the FOV's consensus k at the last modelled frame, 1/s
 * @param gammaConsensus this cell's γ_i in the FOV's consensus, signal units per s
 * @param series the recent modelled frames, oldest first, at most {@link
 *     QueryViewProcessor#SERIES_POINTS}
 * @param events the recent anomaly and life events about this cell (CloudEvents JSON as on their
 *     topics), oldest first, at most {@link QueryViewProcessor#CELL_EVENTS}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellView(
    String fov,
    long track,
    long parentTrack,
    long firstFrame,
    long lastFrame,
    double timeSeconds,
    Double centroidX,
    Double centroidY,
    Integer areaPx,
    Double meanIntensity,
    Double intensity,
    Boolean onBorder,
    long rows,
    Double k,
    Double kStandardError,
    Double gamma,
    Double gammaStandardError,
    Double innovation,
    Double normalizedInnovation,
    Long innovationFrame,
    Double kConsensus,
    Double gammaConsensus,
    List<Point> series,
    List<JsonNode> events) {

  public CellView {
    series = series == null ? List.of() : List.copyOf(series);
    events = events == null ? List.of() : List.copyOf(events);
  }

  /**
   * One modelled frame of a cell.
   *
   * @param frame frame index
   * @param t model time, s
   * @param y the model's y (the cell's signal)
   * @param yPredicted the model's one-step-ahead prediction of y from the previous frame, {@code
   *     y_{t-1} + Δt·(φ_t·k_i + γ_i)} = {@code y − Δt·e_t} with the filter's parameters before this
   *     frame; null when the filter made no prediction (the cell's first frame, a gap, warm-up)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Point(long frame, double t, double y, Double yPredicted) {}

  /** An empty view of a cell first met at {@code frame}. */
  static CellView empty(String fov, long track, long frame) {
    return new CellView(
        fov, track, 0, frame, frame, 0, null, null, null, null, null, null, 0, null, null, null,
        null, null, null, null, null, null, List.of(), List.of());
  }
}
