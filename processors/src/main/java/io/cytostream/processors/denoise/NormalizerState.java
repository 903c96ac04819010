package io.cytostream.processors.denoise;

import java.util.Arrays;

/**
 * Per-FOV state of {@link IntensityNormalizer}: immutable, Jackson-friendly (a record of primitives
 * and a {@code long[]}), meant to live in a Kafka state store keyed by FOV.
 *
 * @param frames frames folded in so far
 * @param pixels pixels counted into {@code histogram} so far
 * @param histogram counts of {@code v = log(x+1)} in the normaliser's fixed bins (empty once the
 *     state only moves by the exponential rule, see {@link IntensityNormalizer})
 * @param frozen true once the calibration window is complete (the scale is settled)
 * @param q1 lower quartile of v
 * @param q3 upper quartile of v
 * @param lo {@code q1 - 2 IQR}, maps to 0
 * @param hi {@code q3 + 2 IQR}, maps to 1
 */
public record NormalizerState(
    int frames,
    long pixels,
    long[] histogram,
    boolean frozen,
    double q1,
    double q3,
    double lo,
    double hi) {

  /** True when at least one frame has been seen, so {@code lo} and {@code hi} are defined. */
  public boolean hasScale() {
    return frames > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NormalizerState s
        && s.frames == frames
        && s.pixels == pixels
        && Arrays.equals(s.histogram, histogram)
        && s.frozen == frozen
        && Double.compare(s.q1, q1) == 0
        && Double.compare(s.q3, q3) == 0
        && Double.compare(s.lo, lo) == 0
        && Double.compare(s.hi, hi) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(histogram) * 31 + Integer.hashCode(frames) + Long.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "NormalizerState[frames="
        + frames
        + ", frozen="
        + frozen
        + ", q1="
        + q1
        + ", q3="
        + q3
        + ", lo="
        + lo
        + ", hi="
        + hi
        + "]";
  }
}
