package io.cytostream.processors.anomaly;

/**
 * One anomaly found by a detector; the stage wraps it in a CloudEvent with the field of view and
 * the frame.
 *
 * @param type the kind of anomaly
 * @param trackId the cell's track id, or 0 for a frame-level anomaly
 * @param statistic the name of the tested statistic (e.g. {@code normalised_innovation})
 * @param value the statistic's value
 * @param threshold the threshold it crossed (0 for events without a threshold, e.g. a division)
 * @param reason a short human-readable explanation
 */
public record Anomaly(
    AnomalyType type,
    long trackId,
    String statistic,
    double value,
    double threshold,
    String reason) {}
