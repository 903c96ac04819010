package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the image stages found in one frame: topic {@code cells.observed}, key = FOV, JSON.
 *
 * @param schemaVersion {@value #VERSION}
 * @param fov field of view id
 * @param frameIndex frame number within the FOV
 * @param acquisitionTime acquisition time from the frame header (may be null)
 * @param timeSeconds the frame's time in seconds used by the model: epoch seconds of {@code
 *     acquisitionTime} when present, otherwise {@code frameIndex * interval}
 * @param width plane width in px
 * @param height plane height in px
 * @param quality data-quality figures
 * @param cells the cells, one per label of the frame's label image
 * @param neighbours adjacent cell pairs (labels), {@code labelI < labelJ}
 * @param labels the label image, when requested (may be null)
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
    EncodedLabels labels) {
  /** Current version of this message. */
  public static final int VERSION = 1;

  /**
   * One segmented cell.
   *
   * @param label its label in the frame's label image (1..65535)
   * @param centroidX centroid x in px (0 = centre of the left-most pixel column)
   * @param centroidY centroid y in px
   * @param areaPx area in pixels
   * @param minX bounding box, inclusive, px
   * @param minY bounding box, inclusive, px
   * @param maxX bounding box, inclusive, px
   * @param maxY bounding box, inclusive, px
   * @param meanIntensity mean raw intensity (ADU) after hot-pixel removal
   * @param normalizedIntensity mean normalised intensity (dimensionless, ~0..1)
   * @param onBorder whether the cell touches the image edge
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
      boolean onBorder) {}

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
