package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An anomaly as a CloudEvents 1.0 event in structured JSON mode: topic {@code events.anomaly}, key
 * = FOV. Any CloudEvents SDK reads it.
 *
 * @param specversion always {@code "1.0"}
 * @param id unique per event (deterministic for a given FOV, frame, track and type, so a replay
 *     produces the same ids and subscribers can de-duplicate)
 * @param source {@code /cytostream/fov/<fov>}
 * @param type {@code io.cytostream.anomaly.<kind>}, e.g. {@code io.cytostream.anomaly.spike}
 * @param time when the anomalous frame was acquired (or processed, when unknown)
 * @param subject {@code track/<id>} or {@code frame/<index>}
 * @param datacontenttype {@code application/json}
 * @param dataschema {@code urn:cytostream:anomaly:1}
 * @param data the anomaly
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnomalyEvent(
    String specversion,
    String id,
    String source,
    String type,
    Instant time,
    String subject,
    String datacontenttype,
    String dataschema,
    Data data) {

  /** The CloudEvents type prefix. */
  public static final String TYPE_PREFIX = "io.cytostream.anomaly.";

  /**
   * The event payload.
   *
   * @param fov field of view id
   * @param frame frame index at which the anomaly was detected
   * @param trackId track concerned, 0 for frame-level anomalies
   * @param kind anomaly kind, e.g. {@code spike}, {@code aberrant_cell}, {@code model_drift},
   *     {@code track_lost}, {@code division}, {@code area_change}, {@code hot_pixel_burst}, {@code
   *     saturation}, {@code dropped_frame}, {@code out_of_order_frame}, {@code intensity_collapse},
   *     {@code k_at_bound}
   * @param statistic name of the test statistic
   * @param value its value
   * @param threshold the threshold it crossed
   * @param reason a short human-readable reason
   * @param score how far past its threshold the statistic went, comparable across kinds (1 at the
   *     threshold; {@code |value| / |threshold|}, {@code threshold / value} for {@code
   *     intensity_collapse}); absent for events without a threshold (added within version 1)
   * @param evidence what the event rests on; absent when nothing beyond the statistic (added within
   *     version 1)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Data(
      String fov,
      long frame,
      long trackId,
      String kind,
      String statistic,
      double value,
      double threshold,
      String reason,
      Double score,
      Evidence evidence) {

    /** A payload without score and evidence (as written before they were added). */
    public Data(
        String fov,
        long frame,
        long trackId,
        String kind,
        String statistic,
        double value,
        double threshold,
        String reason) {
      this(fov, frame, trackId, kind, statistic, value, threshold, reason, null, null);
    }
  }

  /**
   * What an anomaly rests on beyond its statistic; every field optional.
   *
   * @param windowFrames frames the statistic looks back over (a running-median window, the
   *     sightings an area change held)
   * @param frames the frames it was computed from (an area change's reference and current sighting,
   *     a lost track's first and last sighting, a spike's frame)
   * @param relatedTracks other tracks involved (e.g. the neighbour a lost track merged into)
   * @param values the numbers behind the statistic by name (e.g. {@code referenceAreaPx}, {@code
   *     areaPx}, {@code cultureMedian}, {@code mad}, {@code error}, {@code distanceToEdgePx})
   * @param context segmentation and tracking context as short tags (e.g. {@code merge}, {@code
   *     split}, {@code near_border}, {@code after_gap}, {@code daughter_of_12})
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Evidence(
      Integer windowFrames,
      List<Long> frames,
      List<Long> relatedTracks,
      Map<String, Double> values,
      List<String> context) {}

  /** Builds an event with a deterministic id. */
  public static AnomalyEvent of(Instant time, Data data) {
    String kind = data.kind().toLowerCase(Locale.ROOT);
    String subject = data.trackId() > 0 ? "track/" + data.trackId() : "frame/" + data.frame();
    String id =
        UUID.nameUUIDFromBytes(
                (data.fov() + "|" + data.frame() + "|" + data.trackId() + "|" + kind)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString();
    return new AnomalyEvent(
        "1.0",
        id,
        "/cytostream/fov/" + data.fov(),
        TYPE_PREFIX + kind.replace('_', '-'),
        time,
        subject,
        "application/json",
        "urn:cytostream:anomaly:1",
        data);
  }
}
