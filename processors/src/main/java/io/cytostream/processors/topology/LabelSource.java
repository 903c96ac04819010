package io.cytostream.processors.topology;

/**
 * Label images supplied from outside instead of segmentation (e.g. ground-truth masks in {@code
 * process --labels}), so that tracking and modelling can be judged apart from segmentation.
 */
@FunctionalInterface
public interface LabelSource {
  /**
   * The label image of a frame: row-major, 0 = background, {@code width*height} entries.
   *
   * @throws IllegalArgumentException when there is none for that frame, or it does not match
   */
  int[] labels(String fov, long frameIndex, int width, int height);
}
