package io.cytostream.ingest.sim;

/**
 * Optional looks of the simulated images, for evaluating and training segmenters on harder or
 * different data. {@link #DEFAULT} reproduces the simulator's standard output bit for bit; every
 * other value changes only the images, labels and what follows from them (a bigger cell has more
 * neighbours, a drifting stage moves cells out of view). Presets: {@link #sparseNuclei()}, {@link
 * #dim()}, {@link #drifting(double, double)}, {@link #unevenIllumination(double, double)}; noise is
 * set on the config ({@link SimulationConfigBuilder#noise}, preset {@link
 * SimulationConfigBuilder#noisy()}).
 *
 * @param cellRadius largest distance from a cell's seed to its pixels, × the cell spacing (default
 *     {@value #DEFAULT_CELL_RADIUS}: a confluent culture of touching polygons; 0.3 gives small
 *     round nuclei separated by background); in (0, 1.5]
 * @param cellScale cell spacing (and so cell size, px) × this (default 1); the culture's footprint
 *     stays, so about {@code cells / cellScale²} cells are in view; in [0.25, 4]
 * @param brightness relative exposure: every expected pixel value, cells and background, × this
 *     before the camera's noise (default 1; 0.2 gives a dim, low signal-to-noise image); in (0, 10]
 * @param illuminationGradient uneven illumination along x: the expected image × (1 + g·(2x/(W−1) −
 *     1)), i.e. from 1 − g at the left edge to 1 + g at the right (default 0); in [0, 1)
 * @param vignetting uneven illumination around the centre: the expected image × (1 − v·ρ²), ρ =
 *     distance from the image centre / half the diagonal (default 0); in [0, 1)
 * @param stageDriftX stage drift along x, px/frame: at frame t every cell is drawn t·vx px further
 *     right (default 0; the culture's own zero-mean drift is {@code driftSpeed}); |vx| ≤ 10
 * @param stageDriftY stage drift along y, px/frame (default 0); |vy| ≤ 10
 * @param bitDepth bits of the camera's digitiser: pixel values are clipped to [0, 2^bitDepth − 1]
 *     ADU, hot and saturated pixels are 2^bitDepth − 1, and 8-bit frames are UINT8 planes (default
 *     16); 8, 12 or 16. The ADU scale is not changed: pair 8 bits with a low brightness (e.g. 0.2)
 *     so that cells do not saturate
 */
public record RenderStyle(
    double cellRadius,
    double cellScale,
    double brightness,
    double illuminationGradient,
    double vignetting,
    double stageDriftX,
    double stageDriftY,
    int bitDepth) {

  /** The standard cell radius, × spacing. */
  public static final double DEFAULT_CELL_RADIUS = 0.75;

  /** The standard look. */
  public static final RenderStyle DEFAULT =
      new RenderStyle(DEFAULT_CELL_RADIUS, 1, 1, 0, 0, 0, 0, 16);

  /** Validates the fields (ranges above). */
  public RenderStyle {
    check(cellRadius > 0 && cellRadius <= 1.5, "cellRadius in (0, 1.5]");
    check(cellScale >= 0.25 && cellScale <= 4, "cellScale in [0.25, 4]");
    check(brightness > 0 && brightness <= 10, "brightness in (0, 10]");
    check(illuminationGradient >= 0 && illuminationGradient < 1, "illuminationGradient in [0, 1)");
    check(vignetting >= 0 && vignetting < 1, "vignetting in [0, 1)");
    check(Math.abs(stageDriftX) <= 10 && Math.abs(stageDriftY) <= 10, "|stage drift| <= 10");
    check(bitDepth == 8 || bitDepth == 12 || bitDepth == 16, "bitDepth 8, 12 or 16");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Small round nuclei separated by background: cell radius 0.3 × spacing. */
  public static RenderStyle sparseNuclei() {
    return DEFAULT.withCellRadius(0.3);
  }

  /** A dim image: exposure × 0.2 (background 20 ADU, resting cells about 150 ADU by default). */
  public static RenderStyle dim() {
    return DEFAULT.withBrightness(0.2);
  }

  /** A stage drifting by (vx, vy) px/frame. */
  public static RenderStyle drifting(double vx, double vy) {
    return DEFAULT.withStageDrift(vx, vy);
  }

  /** Uneven illumination: a gradient along x and a vignetting (see the fields). */
  public static RenderStyle unevenIllumination(double gradient, double vignetting) {
    return DEFAULT.withIllumination(gradient, vignetting);
  }

  /** This style with another cell radius (× spacing). */
  public RenderStyle withCellRadius(double r) {
    return new RenderStyle(
        r,
        cellScale,
        brightness,
        illuminationGradient,
        vignetting,
        stageDriftX,
        stageDriftY,
        bitDepth);
  }

  /** This style with another cell scale. */
  public RenderStyle withCellScale(double s) {
    return new RenderStyle(
        cellRadius,
        s,
        brightness,
        illuminationGradient,
        vignetting,
        stageDriftX,
        stageDriftY,
        bitDepth);
  }

  /** This style with another brightness (relative exposure). */
  public RenderStyle withBrightness(double b) {
    return new RenderStyle(
        cellRadius,
        cellScale,
        b,
        illuminationGradient,
        vignetting,
        stageDriftX,
        stageDriftY,
        bitDepth);
  }

  /** This style with another illumination field. */
  public RenderStyle withIllumination(double gradient, double vignetting) {
    return new RenderStyle(
        cellRadius,
        cellScale,
        brightness,
        gradient,
        vignetting,
        stageDriftX,
        stageDriftY,
        bitDepth);
  }

  /** This style with another stage drift, px/frame. */
  public RenderStyle withStageDrift(double vx, double vy) {
    return new RenderStyle(
        cellRadius, cellScale, brightness, illuminationGradient, vignetting, vx, vy, bitDepth);
  }

  /** This style with another digitiser depth (8, 12 or 16 bits). */
  public RenderStyle withBitDepth(int bits) {
    return new RenderStyle(
        cellRadius,
        cellScale,
        brightness,
        illuminationGradient,
        vignetting,
        stageDriftX,
        stageDriftY,
        bits);
  }

  /** Whether the expected image is not uniform per cell (needs the per-pixel noise path). */
  boolean unevenField() {
    return illuminationGradient != 0 || vignetting != 0;
  }

  /** Largest pixel value, ADU. */
  int maxValue() {
    return (1 << bitDepth) - 1;
  }

  /**
   * Jackson filter leaving the default style out of truth.json (so that the default output stays
   * byte for byte what it was): {@code equals} answers whether a value is to be left out.
   */
  static final class OmitDefault {
    @Override
    public boolean equals(Object other) {
      return other == null || DEFAULT.equals(other);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
