package io.cytostream.processors.image;

import java.util.Arrays;

/**
 * Row-major float image, index = {@code y * width + x}. Units are whatever the producing stage says
 * (raw counts, log counts, normalised intensity). The record does not copy {@code data}: stages
 * treat images as immutable by convention and always write into fresh arrays.
 *
 * @param width pixels per row, at least 1
 * @param height rows, at least 1
 * @param data {@code width * height} samples
 */
public record FloatImage(int width, int height, float[] data) {

  /** Checks the shape. */
  public FloatImage {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
    }
    if (data == null || data.length != width * height) {
      throw new IllegalArgumentException(
          "data length "
              + (data == null ? "null" : data.length)
              + " != width*height "
              + (long) width * height);
    }
  }

  /** A zero image of the given size. */
  public static FloatImage zeros(int width, int height) {
    return new FloatImage(width, height, new float[width * height]);
  }

  /** Sample at (x, y). */
  public float get(int x, int y) {
    return data[y * width + x];
  }

  /** Number of pixels. */
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatImage f
        && f.width == width
        && f.height == height
        && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatImage[" + width + "x" + height + "]";
  }
}
