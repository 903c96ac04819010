package io.cytostream.ingest.sim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An anomaly as it was injected, recorded in {@link SimulatedFrame#anomalies()} and truth.json.
 *
 * @param type what was injected
 * @param frame frame index at which it took effect
 * @param trackLabel the track it hit, 0 for frame-level anomalies
 * @param magnitude the amount used (defaults resolved), in the type's unit
 * @param applied false when the requested track was not an interior cell alive at that frame (then
 *     nothing was injected)
 * @param details type-specific measured facts, e.g. {@code areaBefore}/{@code areaAfter}, {@code
 *     centerX}/{@code centerY}/{@code radius}/{@code pixels} of a saturated disk, {@code kBefore},
 *     {@code gammaBefore}, {@code hotPixels}
 */
public record InjectedAnomaly(
    AnomalyType type,
    int frame,
    int trackLabel,
    double magnitude,
    boolean applied,
    Map<String, Double> details) {

  /** Copies {@code details}, sorted by key. */
  public InjectedAnomaly {
    details = Collections.unmodifiableMap(new TreeMap<>(details));
  }
}
