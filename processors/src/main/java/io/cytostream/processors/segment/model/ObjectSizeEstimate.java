package io.cytostream.processors.segment.model;

import io.cytostream.processors.segment.BinaryOps;
import io.cytostream.processors.segment.DistanceTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Object size of one FOV, estimated from the network's maps and held once calibrated.
 *
 * <p><b>One frame</b> ({@link #ofMaps}): the cell interiors are the pixels with foreground
 * probability &gt; 0.5 and boundary probability &lt; 0.5 (the boundary map separates touching
 * cells, so a confluent sheet still falls apart into cells); each 4-connected interior component of
 * at least {@value #MIN_COMPONENT} px measures {@code 2 · (max distance to the nearest non-interior
 * pixel) + 1} px (the inscribed diameter, ≈ the equivalent diameter of a round cell: the one-pixel
 * boundary ring is added back). The frame's estimate is the area-weighted median over components,
 * so the fragments of a textured cell weigh less than whole cells; NaN with fewer than {@code
 * minObjects} components.
 *
 * <p><b>Per FOV</b>: frames' estimates are collected over the same calibration window as the
 * intensity normaliser (the first {@code calibrationFrames} frames); the FOV's diameter is their
 * median, and it is held (frozen) once the window is complete. Not thread-safe: one instance per
 * FOV.
 */
public final class ObjectSizeEstimate {
  /** Interior components smaller than this (px) are ignored. */
  static final int MIN_COMPONENT = 4;

  private final int calibrationFrames;
  private final int minObjects;
  private final List<Double> frames = new ArrayList<>();
  private int seen;
  private double held = Double.NaN;

  /**
   * @param calibrationFrames frames folded in before the estimate is held (&ge; 1; the normaliser's
   *     window, 10 by default)
   * @param minObjects fewer interior components than this give no estimate for a frame (&ge; 1)
   */
  public ObjectSizeEstimate(int calibrationFrames, int minObjects) {
    if (calibrationFrames < 1 || minObjects < 1) {
      throw new IllegalArgumentException("calibrationFrames and minObjects must be >= 1");
    }
    this.calibrationFrames = calibrationFrames;
    this.minObjects = minObjects;
  }

  /** True once the calibration window is complete (the diameter no longer changes). */
  public boolean frozen() {
    return seen >= calibrationFrames;
  }

  /**
   * Folds in one frame's estimate (px, NaN = none), unless frozen.
   *
   * @param diameter the frame's estimate, px, in the frame's own pixel scale
   */
  public void add(double diameter) {
    if (frozen()) {
      return;
    }
    seen++;
    if (diameter > 0 && Double.isFinite(diameter)) {
      frames.add(diameter);
    }
    if (frozen()) {
      held = median();
    }
  }

  /** The FOV's object diameter, px: held once frozen, else the median so far; NaN if none yet. */
  public double diameter() {
    return frozen() ? held : median();
  }

  private double median() {
    if (frames.isEmpty()) {
      return Double.NaN;
    }
    double[] d = frames.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = d.length;
    return n % 2 == 1 ? d[n / 2] : 0.5 * (d[n / 2 - 1] + d[n / 2]);
  }

  /**
   * One frame's estimate from its maps (see the class description).
   *
   * @param fg foreground probability per pixel, row-major
   * @param boundary boundary probability per pixel
   * @param minObjects fewer components than this give NaN
   * @return the area-weighted median inscribed diameter, px, or NaN
   */
  public static double ofMaps(float[] fg, float[] boundary, int w, int h, int minObjects) {
    int n = w * h;
    boolean[] interior = new boolean[n];
    for (int i = 0; i < n; i++) {
      interior[i] = fg[i] > 0.5f && boundary[i] < 0.5f;
    }
    int[] lab = new int[n];
    int count = BinaryOps.label(interior, w, h, false, lab);
    if (count < minObjects) {
      return Double.NaN;
    }
    float[] dist = DistanceTransform.euclidean(interior, w, h);
    float[] max = new float[count + 1];
    int[] area = BinaryOps.areas(lab, count);
    for (int i = 0; i < n; i++) {
      int l = lab[i];
      if (l != 0 && dist[i] > max[l] && Float.isFinite(dist[i])) {
        max[l] = dist[i];
      }
    }
    double[][] da = new double[count][];
    int m = 0;
    long total = 0;
    for (int l = 1; l <= count; l++) {
      if (area[l] >= MIN_COMPONENT) {
        da[m++] = new double[] {2 * max[l] + 1, area[l]};
        total += area[l];
      }
    }
    if (m < minObjects) {
      return Double.NaN;
    }
    double[][] s = Arrays.copyOf(da, m);
    Arrays.sort(s, (a, b) -> Double.compare(a[0], b[0]));
    double acc = 0;
    for (double[] c : s) {
      acc += c[1];
      if (acc >= total / 2.0) {
        return c[0];
      }
    }
    return s[m - 1][0];
  }
}
