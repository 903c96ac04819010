package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A cell's life event as a CloudEvents 1.0 event in structured JSON mode: topic {@code
 * cells.lifecycle}, key = FOV. Births, divisions and track ends are the culture's life, not
 * anomalies; they are published here, once each, when the tracker makes them final. A track that
 * ends inside the field without explanation is also raised as a {@code track_lost} anomaly.
 *
 * @param specversion always {@code "1.0"}
 * @param id deterministic for a given FOV, frame, track and kind (a replay gives the same ids)
 * @param source {@code /cytostream/fov/<fov>}
 * @param type {@code io.cytostream.lifecycle.<kind>} with {@code -} for {@code _}, e.g. {@code
 *     io.cytostream.lifecycle.division}
 * @param time acquisition time of the frame that made the event final (its model time after the
 *     epoch when the acquisition time is unknown)
 * @param subject {@code track/<id>}
 * @param datacontenttype {@code application/json}
 * @param dataschema {@code urn:cytostream:lifecycle:1}
 * @param data the event
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(
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
  public static final String TYPE_PREFIX = "io.cytostream.lifecycle.";

  /** Kinds of life events. */
  public enum Kind {
    /** A new track: a cell seen for the first time (entering the field, or the first frame). */
    BIRTH,
    /** A track divided: {@code trackId} is the mother, {@code related} the two daughters. */
    DIVISION,
    /** A track seen again after missed frames; the gap is closed, the id kept. */
    GAP_CLOSED,
    /** A track's last sighting (it left the field, divided, or was lost). */
    TRACK_END;

    /** The wire name, e.g. {@code track_end}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The event payload.
   *
   * @param fov field of view id
   * @param frame the frame of the event: a birth's first frame, a division's frame (the daughters'
   *     first), a track end's last frame, the frame a gap closed at
   * @param trackId the track (the mother for a division)
   * @param kind {@code birth}, {@code division}, {@code gap_closed} or {@code track_end}
   * @param related other tracks involved (a division's daughters), may be empty
   * @param centroidX the cell's centroid x at {@code frame}, px (absent when not known: a track's
   *     end; for a division, the first daughter's)
   * @param centroidY the cell's centroid y at {@code frame}, px (absent when not known)
   * @param onBorder whether the cell touches the image edge at {@code frame} (a birth at the edge
   *     is a cell entering the field; absent when not known)
   * @param detail a short human-readable description
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Data(
      String fov,
      long frame,
      long trackId,
      String kind,
      List<Long> related,
      Double centroidX,
      Double centroidY,
      Boolean onBorder,
      String detail) {}

  /** Builds an event with a deterministic id. */
  public static LifecycleEvent of(Instant time, Data data) {
    String kind = data.kind().toLowerCase(Locale.ROOT);
    String id =
        UUID.nameUUIDFromBytes(
                ("lifecycle|" + data.fov() + "|" + data.frame() + "|" + data.trackId() + "|" + kind)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return new LifecycleEvent(
        "1.0",
        id,
        "/cytostream/fov/" + data.fov(),
        TYPE_PREFIX + kind.replace('_', '-'),
        time,
        "track/" + data.trackId(),
        "application/json",
        "urn:cytostream:lifecycle:1",
        data);
  }
}
