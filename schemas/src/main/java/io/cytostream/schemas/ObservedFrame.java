package io.cytostream.schemas;

import java.time.Instant;

/**
 * What every per-frame message about segmented cells says about its frame: {@link
 * FrameObservations} (topic {@code cells.observed}) and {@link TrackedFrame} (topic {@code
 * tracks}). Each is a record whose components of these names are JSON fields of these names; the
 * documentation here is theirs.
 */
public interface ObservedFrame {
  /** The message's schema version. */
  int schemaVersion();

  /** Field of view id. */
  String fov();

  /** Frame number within the FOV. */
  long frameIndex();

  /** Acquisition time from the frame header (may be null). */
  Instant acquisitionTime();

  /**
   * The frame's time in seconds used by the model: epoch seconds of {@link #acquisitionTime()} when
   * present, otherwise {@code frameIndex * interval}.
   */
  double timeSeconds();

  /** Plane width in px. */
  int width();

  /** Plane height in px. */
  int height();

  /** Data-quality figures of the frame. */
  FrameQuality quality();

  /** The frame's label image, when requested (may be null). */
  EncodedLabels labels();
}
