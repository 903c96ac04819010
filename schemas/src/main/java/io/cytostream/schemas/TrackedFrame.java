package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One frame whose track links are final: topic {@code tracks}, key = FOV, JSON. The tracker emits
 * frames in frame order, after a bounded delay; {@code finalAtFrame} says which arriving frame made
 * this one final.
 *
 * @param schemaVersion {@value #VERSION}
 * @param fov field of view id
 * @param frameIndex frame number within the FOV
 * @param finalAtFrame index of the frame whose arrival made these links final (&ge; frameIndex), or
 *     -1 when they were finalised by a flush (end of input or reorder timeout)
 * @param acquisitionTime acquisition time (may be null)
 * @param timeSeconds model time in seconds, as in {@link FrameObservations#timeSeconds()}
 * @param width plane width in px
 * @param height plane height in px
 * @param quality data-quality figures of the frame
 * @param cells the cells with their stable track ids (the track links)
 * @param neighbours adjacent pairs by track id, {@code trackI < trackJ}
 * @param events tracking events that became final with this frame
 * @param labels the frame's label image (labels as in {@link Cell#label()}), when requested
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
    EncodedLabels labels) {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /**
   * A cell linked to its track.
   *
   * @param trackId stable track id within the FOV (&ge; 1, never reused)
   * @param parentTrackId parent track id on the first frame of a daughter track, else 0
   * @param label label of the cell in this frame's label image
   * @param centroidX centroid x, px
   * @param centroidY centroid y, px
   * @param areaPx area, px
   * @param meanIntensity mean raw intensity, ADU
   * @param normalizedIntensity mean normalised intensity
   * @param onBorder touches the image edge
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
      boolean onBorder) {}

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
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TrackEvent(String type, long trackId, List<Long> related, String detail) {}
}
