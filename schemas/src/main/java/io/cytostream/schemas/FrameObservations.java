package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the image stages found in one frame: topic {@code cells.observed}, key = FOV, JSON. The
 * frame's fields ({@code schemaVersion} = {@value #VERSION}, {@code fov}, {@code frameIndex},
 * times, size, {@code quality}, {@code labels}) are documented on {@link ObservedFrame}.
 *
 * @param cells the cells, one per label of the frame's label image
 * @param neighbours adjacent cell pairs (labels), {@code labelI < labelJ}
 * @param pixelSizeUm the frame header's pixel size in µm (null when the producer did not give it;
 *     added within version 1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameObservations(
    int schemaVersion,
    String fov,
    long frameIndex,
    Instant acquisitionTime,
    double timeSeconds,
    int width,
    int height,
    FrameQuality quality,
    List<Cell> cells,
    List<Neighbours> neighbours,
    EncodedLabels labels,
    Double pixelSizeUm)
    implements ObservedFrame {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /** A frame without a pixel size. */
  public FrameObservations(
      int schemaVersion,
      String fov,
      long frameIndex,
      Instant acquisitionTime,
      double timeSeconds,
      int width,
      int height,
      FrameQuality quality,
      List<Cell> cells,
      List<Neighbours> neighbours,
      EncodedLabels labels) {
    this(
        schemaVersion,
        fov,
        frameIndex,
        acquisitionTime,
        timeSeconds,
        width,
        height,
        quality,
        cells,
        neighbours,
        labels,
        null);
  }

  /**
   * One segmented cell; the fields it shares with {@link TrackedFrame.Cell} are documented on
   * {@link ObservedCell}.
   *
   * @param minX bounding box, inclusive, px
   * @param minY bounding box, inclusive, px
   * @param maxX bounding box, inclusive, px
   * @param maxY bounding box, inclusive, px
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cell(
      int label,
      double centroidX,
      double centroidY,
      int areaPx,
      int minX,
      int minY,
      int maxX,
      int maxY,
      double meanIntensity,
      double normalizedIntensity,
      boolean onBorder)
      implements ObservedCell {}

  /**
   * Two adjacent cells.
   *
   * @param labelI smaller label
   * @param labelJ larger label
   * @param sharedBorderPx shared border length l_ij in px
   * @param centroidDistancePx centroid distance u_ij in px
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Neighbours(int labelI, int labelJ, int sharedBorderPx, double centroidDistancePx) {}
}
