package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;

/**
 * A segmenter that works at a training scale and is calibrated per FOV by the size of its objects
 * (the learned model, {@code segment.model.ScaleCalibratedSegmenter}). The image stage keeps the
 * FOV's {@link ObjectSizeState} with its intensity normalisation and passes it in: during the
 * normaliser's calibration window every frame is measured and folded in, afterwards the held size
 * is used as it is, so a settled frame's labels depend only on the frame and the FOV's stored
 * calibration (which is what lets the frame-parallel stage process it anywhere). Stateless with
 * respect to frames and FOVs; not thread-safe when the network is not.
 */
public interface SizeCalibratedSegmenter extends Segmenter {
  /**
   * One frame's labels and the FOV's size calibration after it.
   *
   * @param labels the label image
   * @param size the FOV's size calibration after this frame (null when it came in null)
   */
  record Outcome(LabelImage labels, ObjectSizeState size) {}

  /**
   * Segments one normalised plane of a FOV.
   *
   * @param normalized the normalised plane
   * @param size the FOV's size calibration before this frame; null when the FOV has none (its
   *     calibration window closed before sizes were estimated, e.g. state written by an older
   *     build): the plane is segmented at its own scale, as {@link #segment(FloatImage)} does
   * @param calibrating true when the frame is inside the calibration window: it is measured and
   *     folded in (unless {@code size} is held or null)
   * @param closeWindow true when this frame completes the window (the size is then held)
   * @return labels and the calibration after the frame
   */
  Outcome segment(
      FloatImage normalized, ObjectSizeState size, boolean calibrating, boolean closeWindow);
}
