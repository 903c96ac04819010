package io.cytostream.processors.topology;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.schemas.TrackedFrame;

/**
 * Where the topology hands what it has already computed to an in-process reader (the service's live
 * view): each frame's normalised plane and label image right after the image stage, and each frame
 * once its track links are final. Both calls run on the stream threads, for every frame of the
 * instance's tasks: an implementation must only keep references (never copy or render there) and
 * must not throw. Planes and labels are not modified by the pipeline after the call.
 */
public interface FrameTap {
  /** Keeps nothing. */
  FrameTap NONE =
      new FrameTap() {
        @Override
        public void imaged(String fov, long frameIndex, FloatImage normalized, LabelImage labels) {}

        @Override
        public void tracked(String fov, TrackedFrame frame) {}
      };

  /**
   * A frame left the image stage.
   *
   * @param normalized the normalised plane (dimensionless: about 0 at the background, 1 at bright
   *     cells)
   * @param labels its cells, labels {@code 1..count} as in the frame's {@code cells.observed}
   */
  void imaged(String fov, long frameIndex, FloatImage normalized, LabelImage labels);

  /** A frame's track links became final ({@code frame.cells()} map labels to track ids). */
  void tracked(String fov, TrackedFrame frame);
}
