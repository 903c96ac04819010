package io.cytostream.processors.anomaly;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an anomaly event rests on, beyond its statistic and threshold. Every field is optional (null
 * when it does not apply); the wire form is {@code data.evidence} of {@code events.anomaly}
 * (schemas/README.md).
 *
 * @param windowFrames frames the statistic looks back over (e.g. the running-median window of a
 *     data-quality test, the sightings an area change held), or null
 * @param frames the frames the statistic was computed from (e.g. the reference and current sighting
 *     of an area change, a lost track's first and last sighting), or null
 * @param relatedTracks other tracks involved (the cell's neighbours at its last sighting), or null
 * @param values the numbers behind the statistic by name (e.g. {@code areaBeforePx}, {@code
 *     areaAfterPx}, {@code median}, {@code mad}, {@code sigma}, {@code distanceToEdgePx}), or null
 * @param context segmentation and tracking context of the cell at the event, as short tags (e.g.
 *     {@code gap_closed}: the track was seen again after missed frames; {@code near_border}), or
 *     null
 */
public record Evidence(
    Integer windowFrames,
    List<Long> frames,
    List<Long> relatedTracks,
    Map<String, Double> values,
    List<String> context) {

  /** Copies the collections (keeping nulls), values in name order. */
  public Evidence {
    frames = frames == null ? null : List.copyOf(frames);
    relatedTracks = relatedTracks == null ? null : List.copyOf(relatedTracks);
    values = values == null ? null : Collections.unmodifiableMap(new TreeMap<>(values));
    context = context == null ? null : List.copyOf(context);
  }

  /** Evidence of named values only. */
  public static Evidence ofValues(Map<String, Double> values) {
    return new Evidence(null, null, null, values, null);
  }
}
