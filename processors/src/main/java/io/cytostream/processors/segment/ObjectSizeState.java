package io.cytostream.processors.segment;

import java.util.Arrays;

/**
 * A FOV's object-size calibration for a segmenter that works at a training scale (the learned
 * model, {@link SizeCalibratedSegmenter}): immutable, Jackson-friendly, kept with the FOV's
 * intensity normalisation ({@code NormalizerState#objectSize()}) so it is stored, restored and
 * handed to the frame-parallel stage exactly as that is.
 *
 * <p>During the normaliser's calibration window each frame's estimate of the typical object
 * diameter is folded in ({@link #fold}); the FOV's diameter is the median of the frames' estimates
 * so far, and once the window closes it is held: it no longer changes, and later frames are
 * segmented at that scale without being measured again.
 *
 * @param frames calibration frames folded in (with or without an estimate)
 * @param estimates the frames' finite estimates, px, in the order folded in
 * @param diameter the FOV's object diameter, px: the median of {@code estimates}; 0 = none yet
 * @param held true once the calibration window is complete ({@code diameter} is final)
 */
public record ObjectSizeState(int frames, double[] estimates, double diameter, boolean held) {
  /** No frame folded in yet. */
  public static final ObjectSizeState EMPTY = new ObjectSizeState(0, new double[0], 0, false);

  /** Validates and copies. */
  public ObjectSizeState {
    estimates = estimates == null ? new double[0] : estimates.clone();
    if (frames < 0 || !(diameter >= 0) || !Double.isFinite(diameter)) {
      throw new IllegalArgumentException("bad object-size state");
    }
  }

  /** Whether there is a diameter (some frame gave an estimate). */
  public boolean known() {
    return diameter > 0;
  }

  /**
   * Folds in one calibration frame's estimate, unless already held.
   *
   * @param estimate the frame's object diameter, px; NaN or &le; 0 when it gave none
   * @param closeWindow true when this frame completes the calibration window: the result is held
   * @return the new state ({@code this} when held)
   */
  public ObjectSizeState fold(double estimate, boolean closeWindow) {
    if (held) {
      return this;
    }
    double[] e = estimates;
    if (estimate > 0 && Double.isFinite(estimate)) {
      e = Arrays.copyOf(estimates, estimates.length + 1);
      e[estimates.length] = estimate;
    }
    return new ObjectSizeState(frames + 1, e, median(e), closeWindow);
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] d = values.clone();
    Arrays.sort(d);
    int n = d.length;
    return n % 2 == 1 ? d[n / 2] : 0.5 * (d[n / 2 - 1] + d[n / 2]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectSizeState s
        && s.frames == frames
        && Arrays.equals(s.estimates, estimates)
        && Double.compare(s.diameter, diameter) == 0
        && s.held == held;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(estimates) * 31 + Double.hashCode(diameter) + frames;
  }

  @Override
  public String toString() {
    return "ObjectSizeState[frames=" + frames + ", diameter=" + diameter + ", held=" + held + "]";
  }
}
