package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events an SSE subscriber wants.
 *
 * <ul>
 *   <li>{@code fov}: the event's {@code data.fov} is one of these ids (exact match);
 *   <li>{@code type}: one of these matches the event's stream ({@code anomaly}, {@code lifecycle}),
 *       its CloudEvents {@code type} (e.g. {@code io.cytostream.anomaly.spike}) or its {@code
 *       data.kind} (e.g. {@code spike}, {@code division}, {@code track_end});
 *   <li>{@code minScore}: the event has a {@linkplain #score score} of at least this. Events
 *       without a score (life events, and anomalies whose threshold is 0, e.g. {@code
 *       dropped_frame} and {@code track_lost}) are left out when {@code minScore} is given, and
 *       pass when it is not.
 * </ul>
 *
 * An empty set or a null minimum does not filter. Values may also be given comma-separated.
 *
 * @param fovs wanted FOV ids
 * @param types wanted types
 * @param minScore the least score, or null
 */
public record EventFilter(Set<String> fovs, Set<String> types, Double minScore) {
  public EventFilter {
    fovs = split(fovs);
    types = split(types).stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** Lets everything through. */
  public static EventFilter all() {
    return new EventFilter(Set.of(), Set.of(), null);
  }

  private static Set<String> split(Set<String> values) {
    if (values == null) {
      return Set.of();
    }
    return values.stream()
        .flatMap(v -> List.of(v.split(",")).stream())
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the event (CloudEvents JSON) from {@code source} passes. */
  public boolean accepts(EventCursor.Source source, JsonNode event) {
    JsonNode data = event.path("data");
    if (!fovs.isEmpty() && !fovs.contains(data.path("fov").asText(""))) {
      return false;
    }
    if (!types.isEmpty()
        && !types.contains(source.eventName())
        && !types.contains(event.path("type").asText("").toLowerCase(Locale.ROOT))
        && !types.contains(data.path("kind").asText("").toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (minScore != null) {
      Double s = score(source, event);
      return s != null && s >= minScore;
    }
    return true;
  }

  /**
   * How far an anomaly went past its threshold: the event's own {@code data.score}, set by the
   * anomaly test ({@code Anomaly.score()}: {@code |value| / |threshold|}, ≥ 1 once crossed, or
   * {@code threshold / value} for {@code intensity_collapse}, whose test fires below its
   * threshold). Events written before the score was a field get it computed by the same rule. Null
   * for life events and for anomalies whose threshold is 0 (they have none).
   */
  public static Double score(EventCursor.Source source, JsonNode event) {
    if (source != EventCursor.Source.ANOMALY) {
      return null;
    }
    JsonNode data = event.path("data");
    JsonNode given = data.path("score");
    if (given.isNumber()) {
      return given.asDouble();
    }
    double value = data.path("value").asDouble(Double.NaN);
    double threshold = data.path("threshold").asDouble(Double.NaN);
    if (!Double.isFinite(value) || !Double.isFinite(threshold) || threshold == 0) {
      return null;
    }
    if ("intensity_collapse".equals(data.path("kind").asText())) {
      return value > 0 ? threshold / value : null;
    }
    return Math.abs(value) / Math.abs(threshold);
  }
}
