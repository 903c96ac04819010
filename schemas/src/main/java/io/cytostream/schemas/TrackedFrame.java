package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One frame whose track links are final: topic {@code tracks}, key = FOV, JSON. The tracker emits
 * frames in frame order, after a bounded delay; {@code finalAtFrame} says which arriving frame made
 * this one final. The frame's fields ({@code schemaVersion} = {@value #VERSION}, {@code fov},
 * {@code frameIndex}, times, size, {@code quality}, {@code labels}) are those of the frame's {@link
 * FrameObservations}, documented on {@link ObservedFrame}.
 *
 * @param finalAtFrame index of the frame whose arrival made these links final (&ge; frameIndex), or
 *     -1 when they were finalised by a flush (end of input or reorder timeout)
 * @param cells the cells with their stable track ids (the track links)
 * @param neighbours adjacent pairs by track id, {@code trackI < trackJ}
 * @param events tracking events that became final with this frame
 * @param pixelSizeUm the frame header's pixel size in µm (null when not given; added within version
 *     1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackedFrame(
    int schemaVersion,
    String fov,
    long frameIndex,
    long finalAtFrame,
    Instant acquisitionTime,
    double timeSeconds,
    int width,
    int height,
    FrameQuality quality,
    List<Cell> cells,
    List<Neighbours> neighbours,
    List<TrackEvent> events,
    EncodedLabels labels,
    Double pixelSizeUm)
    implements ObservedFrame {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /** A tracked frame without a pixel size. */
  public TrackedFrame(
      int schemaVersion,
      String fov,
      long frameIndex,
      long finalAtFrame,
      Instant acquisitionTime,
      double timeSeconds,
      int width,
      int height,
      FrameQuality quality,
      List<Cell> cells,
      List<Neighbours> neighbours,
      List<TrackEvent> events,
      EncodedLabels labels) {
    this(
        schemaVersion,
        fov,
        frameIndex,
        finalAtFrame,
        acquisitionTime,
        timeSeconds,
        width,
        height,
        quality,
        cells,
        neighbours,
        events,
        labels,
        null);
  }

  /**
   * The tracked form of {@code obs}: its frame's fields, with the given links and events.
   *
   * @param withLabels whether to carry {@code obs}'s label image along
   */
  public static TrackedFrame of(
      FrameObservations obs,
      long finalAtFrame,
      List<Cell> cells,
      List<Neighbours> neighbours,
      List<TrackEvent> events,
      boolean withLabels) {
    return new TrackedFrame(
        VERSION,
        obs.fov(),
        obs.frameIndex(),
        finalAtFrame,
        obs.acquisitionTime(),
        obs.timeSeconds(),
        obs.width(),
        obs.height(),
        obs.quality(),
        cells,
        neighbours,
        events,
        withLabels ? obs.labels() : null,
        obs.pixelSizeUm());
  }

  /**
   * A cell linked to its track; the fields it shares with {@link FrameObservations.Cell} are
   * documented on {@link ObservedCell}.
   *
   * @param trackId stable track id within the FOV (&ge; 1, never reused)
   * @param parentTrackId parent track id on the first frame of a daughter track, else 0
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cell(
      long trackId,
      long parentTrackId,
      int label,
      double centroidX,
      double centroidY,
      int areaPx,
      double meanIntensity,
      double normalizedIntensity,
      boolean onBorder)
      implements ObservedCell {

    /** Cell {@code c} on track {@code trackId}. */
    public static Cell of(long trackId, long parentTrackId, ObservedCell c) {
      return new Cell(
          trackId,
          parentTrackId,
          c.label(),
          c.centroidX(),
          c.centroidY(),
          c.areaPx(),
          c.meanIntensity(),
          c.normalizedIntensity(),
          c.onBorder());
    }
  }

  /**
   * Two adjacent tracked cells.
   *
   * @param trackI smaller track id
   * @param trackJ larger track id
   * @param sharedBorderPx shared border l_ij, px
   * @param centroidDistancePx centroid distance u_ij, px
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Neighbours(
      long trackI, long trackJ, int sharedBorderPx, double centroidDistancePx) {}

  /**
   * A tracking event.
   *
   * @param type {@code started}, {@code ended}, {@code division}, {@code gap_closed}
   * @param trackId the track concerned (the parent for a division)
   * @param related other tracks involved (the daughters of a division), may be empty
   * @param detail human-readable detail
   * @param frame the frame the event is about (a start's first frame, an end's last frame, the
   *     frame of a division or of a closed gap); may be absent (written by producers before it was
   *     added), then only {@code detail} says it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrackEvent(
      String type, long trackId, List<Long> related, String detail, Long frame) {
    /** An event without its frame (as written before {@code frame} was added). */
    public TrackEvent(String type, long trackId, List<Long> related, String detail) {
      this(type, trackId, related, detail, null);
    }
  }
}
