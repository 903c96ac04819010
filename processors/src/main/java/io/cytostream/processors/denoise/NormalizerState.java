package io.cytostream.processors.denoise;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cytostream.processors.segment.ObjectSizeState;
import java.util.Arrays;
import java.util.Objects;

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
 * @param objectSize the FOV's object-size calibration when its segmenter is calibrated by size (the
 *     learned model with rescaling, {@link
 *     io.cytostream.processors.segment.SizeCalibratedSegmenter}), estimated over the same window
 *     and held with the scale; null otherwise, and in states written before it existed (absent from
 *     the JSON, and not written when null, so such records keep their old layout: such a FOV is
 *     segmented at its own scale)
 */
public record NormalizerState(
    int frames,
    long pixels,
    long[] histogram,
    boolean frozen,
    double q1,
    double q3,
    double lo,
    double hi,
    @JsonInclude(JsonInclude.Include.NON_NULL) ObjectSizeState objectSize) {

  /** Without an object-size calibration. */
  public NormalizerState(
      int frames,
      long pixels,
      long[] histogram,
      boolean frozen,
      double q1,
      double q3,
      double lo,
      double hi) {
    this(frames, pixels, histogram, frozen, q1, q3, lo, hi, null);
  }

  /** This state with another object-size calibration. */
  public NormalizerState withObjectSize(ObjectSizeState size) {
    return Objects.equals(size, objectSize)
        ? this
        : new NormalizerState(frames, pixels, histogram, frozen, q1, q3, lo, hi, size);
  }

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
        && Double.compare(s.hi, hi) == 0
        && Objects.equals(s.objectSize, objectSize);
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
        + (objectSize == null ? "" : ", objectSize=" + objectSize)
        + "]";
  }
}
