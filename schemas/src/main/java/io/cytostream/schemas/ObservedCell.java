package io.cytostream.schemas;

/**
 * What every per-frame message says about one segmented cell: {@link FrameObservations.Cell} and
 * {@link TrackedFrame.Cell}. Each is a record whose components of these names are JSON fields of
 * these names; the documentation here is theirs.
 */
public interface ObservedCell {
  /** Its label in the frame's label image (1..65535). */
  int label();

  /** Centroid x in px (0 = centre of the left-most pixel column). */
  double centroidX();

  /** Centroid y in px. */
  double centroidY();

  /** Area in pixels. */
  int areaPx();

  /** Mean raw intensity (ADU) after hot-pixel removal. */
  double meanIntensity();

  /** Mean normalised intensity (dimensionless, ~0..1). */
  double normalizedIntensity();

  /** Whether the cell touches the image edge. */
  boolean onBorder();
}
