package io.cytostream.processors.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.schemas.ConsensusEstimate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the query API knows about one field of view: its latest tracked frame, its latest consensus
 * estimate, its recent events and the tracks the {@value QueryViewProcessor#CELL_STORE} store holds
 * for it. One entry of the {@value QueryViewProcessor#FOV_STORE} store, key = FOV; written by
 * {@link QueryViewProcessor}.
 *
 * @param fov field of view id
 * @param firstFrame first tracked frame the view saw
 * @param lastFrame latest tracked frame
 * @param framesSeen tracked frames seen
 * @param timeSeconds model time of {@code lastFrame}, s
 * @param acquisitionTime acquisition time of {@code lastFrame} (null when unknown)
 * @param width image width, px
 * @param height image height, px
 * @param cells cells in {@code lastFrame}
 * @param consensus the latest consensus estimate (null before the first)
 * @param tracks track id to the last frame it was seen in, for every track whose view is kept
 * @param events recent events of the FOV (CloudEvents JSON as on their topics), oldest first, at
 *     most {@link QueryViewProcessor#FOV_EVENTS}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FovView(
    String fov,
    long firstFrame,
    long lastFrame,
    long framesSeen,
    double timeSeconds,
    Instant acquisitionTime,
    int width,
    int height,
    int cells,
    ConsensusEstimate consensus,
    Map<Long, Long> tracks,
    List<JsonNode> events) {

  public FovView {
    tracks = tracks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tracks));
    events = events == null ? List.of() : List.copyOf(events);
  }
}
