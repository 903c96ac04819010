package io.cytostream.processors.image;

import java.util.Arrays;

/**
 * Row-major label image, index = {@code y * width + x}: 0 is background, {@code 1..count} are
 * cells, and every label in {@code 1..count} is used at least once (contiguous labels). The record
 * does not copy {@code labels}; treat it as immutable.
 *
 * @param width pixels per row, at least 1
 * @param height rows, at least 1
 * @param labels {@code width * height} labels in {@code 0..count}
 * @param count number of cells
 */
public record LabelImage(int width, int height, int[] labels, int count) {

  /** Checks the shape and the label range (contiguity is checked by {@link #validate()}). */
  public LabelImage {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
    }
    if (labels == null || labels.length != width * height) {
      throw new IllegalArgumentException("labels length != width*height");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count < 0");
    }
  }

  /** Label at (x, y). */
  public int get(int x, int y) {
    return labels[y * width + x];
  }

  /**
   * Checks that labels lie in {@code 0..count} and that each of {@code 1..count} occurs.
   *
   * @return this
   * @throws IllegalStateException when the image breaks the contract
   */
  public LabelImage validate() {
    boolean[] seen = new boolean[count + 1];
    for (int l : labels) {
      if (l < 0 || l > count) {
        throw new IllegalStateException("label " + l + " outside 0.." + count);
      }
      seen[l] = true;
    }
    for (int l = 1; l <= count; l++) {
      if (!seen[l]) {
        throw new IllegalStateException("label " + l + " unused: labels are not contiguous");
      }
    }
    return this;
  }

  /**
   * Relabels any non-negative label array so that labels become contiguous {@code 1..n} in order of
   * first appearance (row-major scan); 0 stays background.
   *
   * @param width image width
   * @param height image height
   * @param raw labels, 0 = background; not modified
   * @return a contiguous label image
   */
  public static LabelImage relabel(int width, int height, int[] raw) {
    int max = 0;
    for (int l : raw) {
      if (l < 0) {
        throw new IllegalArgumentException("negative label " + l);
      }
      max = Math.max(max, l);
    }
    int[] map = new int[max + 1];
    int next = 0;
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      int l = raw[i];
      if (l != 0) {
        if (map[l] == 0) {
          map[l] = ++next;
        }
        out[i] = map[l];
      }
    }
    return new LabelImage(width, height, out, next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelImage f
        && f.width == width
        && f.height == height
        && f.count == count
        && Arrays.equals(f.labels, labels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + count) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "LabelImage[" + width + "x" + height + ", count=" + count + "]";
  }
}
