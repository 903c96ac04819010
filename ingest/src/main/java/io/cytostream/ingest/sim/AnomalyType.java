package io.cytostream.ingest.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Anomalies the simulator can inject (DESIGN.md section 5). The {@link #wireName() wire names} are
 * the {@code kind}s of the pipeline's anomaly events, so a detector's output can be scored against
 * truth.json by name. What {@link AnomalySpec#magnitude()} means depends on the type; the default
 * is used when it is NaN.
 */
public enum AnomalyType {
  /**
   * Unexplained spike: an interior cell's y(t) gets {@code magnitude} signal units (default 0.5)
   * added after the model step, as {@link CellTruth#excess()}; neighbours do not explain it.
   */
  SPIKE("spike", true),
  /**
   * Aberrant cell: an interior cell's γ becomes {@code magnitude} (signal units per s; default
   * 0.02, ten times the default γ range, inside the paper's bound 0.1) from this frame on; its
   * daughters inherit it.
   */
  ABERRANT_CELL("aberrant_cell", true),
  /**
   * Model drift: the culture's coupling k becomes {@code magnitude} (default 2 × k) from this frame
   * on. Frame-level: trackLabel 0.
   */
  MODEL_DRIFT("model_drift", false),
  /**
   * Sudden area change: an interior cell's area changes by the relative amount {@code magnitude}
   * (default +0.6, i.e. 60 % larger; between −0.8 and 3) from this frame on, through its power
   * weight in the tessellation. Neighbours give or take the area.
   */
  AREA_CHANGE("area_change", true),
  /**
   * Track lost: an interior cell vanishes (its region becomes background, a hole that moves with
   * the culture); its track ends the frame before. {@code magnitude} is unused.
   */
  TRACK_LOST("track_lost", true),
  /**
   * Hot-pixel burst: {@code magnitude} extra hot pixels (default max(200, 0.2 % of the pixels)) in
   * this frame, at the maximum value 65535.
   */
  HOT_PIXEL_BURST("hot_pixel_burst", false),
  /**
   * Saturation: a disk of radius {@code magnitude} px (default: the equivalent radius of the cell
   * it is centred on) clipped to 65535 in this frame, centred on an interior cell's centroid.
   */
  SATURATION("saturation", true),
  /**
   * Dropped frame: this frame index is not delivered ({@link CultureSimulator#delivered()}) and its
   * raw TIFF is not written; the culture and its ground truth go on. {@code magnitude} is unused.
   */
  DROPPED_FRAME("dropped_frame", false),
  /**
   * Intensity collapse (focus or illumination loss): the expected image of this frame is blurred
   * (box filter of radius 3 px, three passes) and multiplied by {@code magnitude} (default 0.3)
   * before noise.
   */
  INTENSITY_COLLAPSE("intensity_collapse", false);

  private final String wireName;
  private final boolean cellLevel;

  AnomalyType(String wireName, boolean cellLevel) {
    this.wireName = wireName;
    this.cellLevel = cellLevel;
  }

  /** The name in truth.json and in anomaly events, e.g. {@code "track_lost"}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Whether the anomaly concerns one cell (and has a track label in truth.json). */
  public boolean cellLevel() {
    return cellLevel;
  }

  /** Parses a wire name (or the constant's name), case-insensitively. */
  @JsonCreator
  public static AnomalyType fromWireName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (AnomalyType t : values()) {
      if (t.wireName.equals(n) || t.name().toLowerCase(Locale.ROOT).equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown anomaly type: " + name);
  }
}
