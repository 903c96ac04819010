package io.cytostream.ingest.sim;

import java.util.Objects;

/**
 * An anomaly to inject (see {@link AnomalyType} for what each does and what {@code magnitude}
 * means).
 *
 * @param type what to inject
 * @param frame the frame index at which it takes effect; ≥ 1 for cell-level types and model drift
 *     (they act on the model step from frame − 1), ≥ 0 otherwise
 * @param trackLabel for cell-level types, the track to hit, or 0 to let the simulator pick an
 *     interior cell (seeded; the choice is recorded in truth.json); 0 for frame-level types
 * @param magnitude the type's amount, or NaN for its default
 */
public record AnomalySpec(AnomalyType type, int frame, int trackLabel, double magnitude) {

  /** Validates the fields. */
  public AnomalySpec {
    Objects.requireNonNull(type, "type");
    // types acting on the model step from frame - 1 need a previous frame; saturation acts on
    // the rendered frame itself
    boolean modelStep =
        (type.cellLevel() && type != AnomalyType.SATURATION) || type == AnomalyType.MODEL_DRIFT;
    int minFrame = modelStep ? 1 : 0;
    if (frame < minFrame) {
      throw new IllegalArgumentException(type.wireName() + " needs frame >= " + minFrame);
    }
    if (trackLabel < 0 || trackLabel > 65535 || !type.cellLevel() && trackLabel != 0) {
      throw new IllegalArgumentException(
          type.wireName() + ": invalid trackLabel " + trackLabel + " (frame-level types take 0)");
    }
    if (Double.isInfinite(magnitude)) {
      throw new IllegalArgumentException(type.wireName() + ": infinite magnitude");
    }
    if (type == AnomalyType.AREA_CHANGE
        && !Double.isNaN(magnitude)
        && (magnitude <= -0.8 || magnitude > 3)) {
      throw new IllegalArgumentException("area_change magnitude must be in (-0.8, 3]");
    }
  }

  /** The anomaly at {@code frame} with a simulator-picked cell and the default magnitude. */
  public static AnomalySpec of(AnomalyType type, int frame) {
    return new AnomalySpec(type, frame, 0, Double.NaN);
  }

  /** The anomaly at {@code frame} with a simulator-picked cell and the given magnitude. */
  public static AnomalySpec of(AnomalyType type, int frame, double magnitude) {
    return new AnomalySpec(type, frame, 0, magnitude);
  }
}
