package io.cytostream.processors.anomaly;

import java.util.Locale;

/**
 * One anomaly found by a detector; the stage wraps it in a CloudEvent with the field of view and
 * the frame.
 *
 * @param type the kind of anomaly
 * @param trackId the cell's track id, or 0 for a frame-level anomaly
 * @param statistic the name of the tested statistic (e.g. {@code normalised_innovation})
 * @param value the statistic's value
 * @param threshold the threshold it crossed (0 for events without a threshold, e.g. a dropped
 *     frame)
 * @param reason a short human-readable explanation
 * @param evidence what the event rests on (window, frames, related tracks, the values behind the
 *     statistic, segmentation/tracking context), or null
 */
public record Anomaly(
    AnomalyType type,
    long trackId,
    String statistic,
    double value,
    double threshold,
    String reason,
    Evidence evidence) {

  /** An anomaly without evidence beyond its statistic. */
  public Anomaly(
      AnomalyType type,
      long trackId,
      String statistic,
      double value,
      double threshold,
      String reason) {
    this(type, trackId, statistic, value, threshold, reason, null);
  }

  /** This anomaly with the given evidence. */
  public Anomaly withEvidence(Evidence e) {
    return new Anomaly(type, trackId, statistic, value, threshold, reason, e);
  }

  /**
   * How far the statistic went past its threshold, comparable across kinds: 1 at the threshold,
   * larger the further past it. {@code |value| / |threshold|} for tests that fire above their
   * threshold; {@code threshold / value} for {@link AnomalyType#INTENSITY_COLLAPSE}, whose
   * statistic (the frame's mean or sharpness relative to its running median) fires below it. Since
   * each threshold is set for the same false-alarm rate on clean cultures ({@code
   * calibrated-thresholds.properties}), equal scores of two kinds are about equally surprising.
   * Null when the test has no threshold (0, e.g. a dropped frame) or the value is not finite.
   */
  public Double score() {
    return score(type, value, threshold);
  }

  /** {@link #score()} of a statistic of a kind. */
  public static Double score(AnomalyType type, double value, double threshold) {
    if (!Double.isFinite(value) || !Double.isFinite(threshold) || threshold == 0) {
      return null;
    }
    if (type == AnomalyType.INTENSITY_COLLAPSE) {
      return value > 0 ? Math.abs(threshold) / value : null;
    }
    return Math.abs(value) / Math.abs(threshold);
  }

  /** The kind's wire name, as in schemas/README.md (e.g. {@code spike}, {@code area_change}). */
  public String kind() {
    return kind(type);
  }

  /** The wire name of an anomaly type. */
  public static String kind(AnomalyType t) {
    return t == AnomalyType.UNEXPLAINED_SPIKE ? "spike" : t.name().toLowerCase(Locale.ROOT);
  }
}
