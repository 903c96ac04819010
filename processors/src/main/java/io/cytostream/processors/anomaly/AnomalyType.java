package io.cytostream.processors.anomaly;

/** Kinds of anomaly events (DESIGN.md section 5). */
public enum AnomalyType {
  /**
   * A normalised innovation |e_t|/σ_t above the threshold: a cell its neighbours do not explain.
   */
  UNEXPLAINED_SPIKE,
  /** A cell's k_i or γ_i far from the culture (robust z-score on median/MAD). */
  ABERRANT_CELL,
  /** A persistent shift of a cell's standardised residuals (two-sided CUSUM). */
  MODEL_DRIFT,
  /** The tracker lost a track inside the field (a track leaving at the image edge is not one). */
  TRACK_LOST,
  /** A cell's area changed by more than the threshold between two sightings. */
  AREA_CHANGE,
  /** The hot-pixel count of a frame is far above its running median. */
  HOT_PIXEL_BURST,
  /** The fraction of saturated pixels is above the threshold. */
  SATURATION,
  /** One or more frame indices are missing. */
  DROPPED_FRAME,
  /** A frame arrived with an index not above the last one (late or duplicate). */
  OUT_OF_ORDER_FRAME,
  /** Frame mean intensity or sharpness dropped far below its running median. */
  INTENSITY_COLLAPSE,
  /**
   * The FOV's CRLSM solution put k on one of its bounds: the box, not the data, decides k (e.g. a
   * culture whose true k lies above the box, or a coupling scale that does not suit the optics).
   * Raised once per FOV.
   */
  K_AT_BOUND
}
