package io.cytostream.processors.segment;

/**
 * Parameters of {@link ClassicalSegmenter}; lengths in pixels, areas in pixels². The defaults
 * ({@link #defaults()}) are tuned once for both shared sequences (CTC Fluo-N2DH-SIM+ 01: small
 * nuclei, touching pairs; Fluo-C2DL-MSC 01: large irregular cells, low contrast) with no
 * per-data-set switch.
 *
 * @param sigma Gaussian σ of the smoothing before thresholding
 * @param threshold how the global threshold is chosen
 * @param skewForTriangle for {@link ThresholdMethod#AUTO}: use the triangle threshold when the
 *     histogram skewness of the smoothed plane is at least this, else Otsu
 * @param thresholdFactor the chosen threshold is moved to {@code bg + factor * (t - bg)}, where bg
 *     is the histogram mode (1 = unchanged; below 1 lowers it towards the background)
 * @param minContrast the threshold is at least the background mode plus this (normalised units), so
 *     a plane with no cells yields no objects
 * @param fillHolesMaxArea holes (background enclosed by one object) up to this area are filled
 * @param distanceSigma Gaussian σ applied to the distance transform before seeding
 * @param minDynamic a seed (distance maximum) must rise at least this far above the saddle to its
 *     higher neighbour to keep its own cell (h of the h-maxima)
 * @param maxNeckRatio a seed is merged into its neighbour when the saddle distance exceeds this
 *     fraction of its peak distance (1 disables the rule)
 * @param minArea objects below this area are removed (before and after the watershed)
 * @param maxArea objects above this area are removed
 * @param flattenRowsCols subtract each row's and then each column's background offset (its median
 *     minus the plane's median) before smoothing: removes camera row/column offsets and edge bands
 *     that a global threshold would take for cells; assumes cells cover under half of every row and
 *     column
 */
public record SegmentationConfig(
    double sigma,
    ThresholdMethod threshold,
    double skewForTriangle,
    double thresholdFactor,
    double minContrast,
    int fillHolesMaxArea,
    double distanceSigma,
    double minDynamic,
    double maxNeckRatio,
    int minArea,
    int maxArea,
    boolean flattenRowsCols) {

  /** Threshold selection rule. */
  public enum ThresholdMethod {
    /** Otsu's between-class variance maximum. */
    OTSU,
    /** Zack's triangle method. */
    TRIANGLE,
    /** Triangle for strongly right-skewed histograms (mostly background), else Otsu. */
    AUTO
  }

  /** Validates ranges. */
  public SegmentationConfig {
    if (sigma < 0 || distanceSigma < 0 || minDynamic < 0) {
      throw new IllegalArgumentException("negative sigma or dynamic");
    }
    if (!(maxNeckRatio > 0 && maxNeckRatio <= 1)) {
      throw new IllegalArgumentException("maxNeckRatio must be in (0, 1]");
    }
    if (minArea < 0 || maxArea < minArea || fillHolesMaxArea < 0) {
      throw new IllegalArgumentException("bad area bounds");
    }
    if (!(thresholdFactor > 0) || threshold == null) {
      throw new IllegalArgumentException("bad threshold settings");
    }
  }

  /** The documented defaults. */
  public static SegmentationConfig defaults() {
    return new SegmentationConfig(
        1.5,
        ThresholdMethod.AUTO,
        1.0,
        0.9,
        0.05,
        2000,
        1.0,
        9.0,
        1.0,
        150,
        Integer.MAX_VALUE,
        true);
  }

  /** A copy with another smoothing σ. */
  public SegmentationConfig withSigma(double s) {
    return new SegmentationConfig(
        s,
        threshold,
        skewForTriangle,
        thresholdFactor,
        minContrast,
        fillHolesMaxArea,
        distanceSigma,
        minDynamic,
        maxNeckRatio,
        minArea,
        maxArea,
        flattenRowsCols);
  }

  /** A copy with another threshold rule and factor. */
  public SegmentationConfig withThreshold(ThresholdMethod m, double factor) {
    return new SegmentationConfig(
        sigma,
        m,
        skewForTriangle,
        factor,
        minContrast,
        fillHolesMaxArea,
        distanceSigma,
        minDynamic,
        maxNeckRatio,
        minArea,
        maxArea,
        flattenRowsCols);
  }

  /** A copy with other seed rules. */
  public SegmentationConfig withSeeds(double distSigma, double dynamic, double neckRatio) {
    return new SegmentationConfig(
        sigma,
        threshold,
        skewForTriangle,
        thresholdFactor,
        minContrast,
        fillHolesMaxArea,
        distSigma,
        dynamic,
        neckRatio,
        minArea,
        maxArea,
        flattenRowsCols);
  }

  /** A copy with the row/column flattening switched. */
  public SegmentationConfig withFlatten(boolean on) {
    return new SegmentationConfig(
        sigma,
        threshold,
        skewForTriangle,
        thresholdFactor,
        minContrast,
        fillHolesMaxArea,
        distanceSigma,
        minDynamic,
        maxNeckRatio,
        minArea,
        maxArea,
        on);
  }

  /** A copy with other area bounds. */
  public SegmentationConfig withAreas(int min, int max) {
    return new SegmentationConfig(
        sigma,
        threshold,
        skewForTriangle,
        thresholdFactor,
        minContrast,
        fillHolesMaxArea,
        distanceSigma,
        minDynamic,
        maxNeckRatio,
        min,
        max,
        flattenRowsCols);
  }
}
