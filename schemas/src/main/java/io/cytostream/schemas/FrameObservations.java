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
 * @param candidates optional (absent when the segmenter has no hierarchy): alternative segments,
 *     each the union of several cells; then {@code cells} are the finest segments, and the
 *     segmenter's single-level answer is its preferred candidates plus the cells no preferred
 *     candidate contains. Added within version 1: a reader that ignores it sees the finest cells.
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
    Double pixelSizeUm,
    List<Candidate> candidates)
    implements ObservedFrame {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /** A frame without a pixel size nor candidate segments (the single-level segmentation). */
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
        null,
        null);
  }

  /** A frame with a pixel size (or null) and no candidate segments. */
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
      EncodedLabels labels,
      Double pixelSizeUm) {
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
        pixelSizeUm,
        null);
  }

  /**
   * An alternative segment: the union of several cells of the frame (a node of the segmenter's
   * candidate hierarchy). The candidates of a frame are laminar: two are disjoint or one contains
   * the other.
   *
   * @param label its label, distinct from every cell's label and every other candidate's (not a
   *     value of the label image, which holds the cells)
   * @param members the labels of the cells it is made of, ascending, at least two
   * @param preferred whether the segmenter on its own reports it as one cell
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Candidate(int label, List<Integer> members, boolean preferred) {}

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
