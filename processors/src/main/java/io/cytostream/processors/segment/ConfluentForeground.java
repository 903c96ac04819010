package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;

/**
 * The foreground of a <em>confluent</em> plane: one in which cells cover most of the field, so that
 * the most frequent intensity is that of cells, not of background. {@link ClassicalSegmenter}'s
 * threshold takes the histogram's mode for the background level and its row/column flattening
 * assumes cells cover under half of every row and column; on a confluent plane both fail (the
 * threshold lands inside the cells' own distribution and keeps only the brightest ones). Touching
 * cells are then separated only by thin dark junctions, which the smoothing and the hole filling of
 * the ordinary foreground erase.
 *
 * <p>Rule, on the normalised plane (no flattening): Otsu's threshold {@code t} of its 256-bin
 * histogram splits it into a dark and a bright class; the plane is confluent when the bright class
 * dominates: it holds more than half of the pixels, or its mode {@code m} is the histogram's mode.
 * (The mode alone decided at first; on a field that cells cover just over half of, the two peaks
 * are almost equally high and the mode changed side from frame to frame while the bright class's
 * share did not: {@code ConfluentTriggerTest}.) Then the background level {@code bg} is the mode of
 * the dark class (bins up to {@code t}), and the threshold is midway between the two modes, {@code
 * max((bg + m) / 2, bg + minContrast)} (Otsu's own threshold may sit anywhere in an empty gap
 * between the classes, e.g. just above the background, where it would keep the junctions), applied
 * to the plane smoothed with σ = {@link #SIGMA} px (just enough to bridge single noisy pixels, not
 * the junctions), and holes are <em>not</em> filled (a dark junction enclosed by cells is what
 * separates them); components below {@code minArea} px are removed. The distance-transform
 * watershed that follows then splits cells at the junctions. On a plane whose mode is background
 * (sparse nuclei, the CTC sequences the defaults were tuned on) the rule does not apply and the
 * ordinary foreground is used unchanged.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfluentForeground {
  /** Smoothing σ (px) of the confluent foreground. */
  public static final double SIGMA = 0.5;

  private ConfluentForeground() {}

  /**
   * The threshold (plane units) of a confluent plane, or NaN when the plane is not confluent.
   *
   * @param normalized the normalised plane
   * @param minContrast the threshold is at least the dark class's mode plus this
   */
  public static double threshold(FloatImage normalized, double minContrast) {
    Thresholds.Histogram hist = Thresholds.Histogram.of(normalized.data(), 256);
    long[] c = hist.counts();
    if (!(hist.max() > hist.min())) {
      return Double.NaN;
    }
    int t = Thresholds.otsu(c);
    if (t >= c.length - 1) {
      return Double.NaN; // no bright class
    }
    long total = 0;
    long bright = 0;
    int darkMode = 0;
    int brightMode = t + 1;
    for (int i = 0; i < c.length; i++) {
      total += c[i];
      if (i <= t) {
        darkMode = c[i] > c[darkMode] ? i : darkMode;
      } else {
        bright += c[i];
        brightMode = c[i] > c[brightMode] ? i : brightMode;
      }
    }
    boolean modeIsCells = c[brightMode] > c[darkMode];
    if (!modeIsCells && 2 * bright <= total) {
      return Double.NaN;
    }
    double binWidth = (hist.max() - hist.min()) / c.length;
    double bg = hist.min() + (darkMode + 0.5) * binWidth;
    double cells = hist.min() + (brightMode + 0.5) * binWidth;
    return Math.max(0.5 * (bg + cells), bg + minContrast);
  }

  /**
   * The cleaned foreground of a confluent plane, or null when the plane is not confluent (see the
   * class comment).
   *
   * @param normalized the normalised plane
   * @param cfg the segmenter's parameters (minContrast and minArea are used)
   */
  public static boolean[] mask(FloatImage normalized, SegmentationConfig cfg) {
    double t = threshold(normalized, cfg.minContrast());
    if (Double.isNaN(t)) {
      return null;
    }
    int w = normalized.width();
    int h = normalized.height();
    float[] s = GaussianBlur.blur(normalized, SIGMA).data();
    boolean[] mask = new boolean[s.length];
    for (int i = 0; i < s.length; i++) {
      mask[i] = s[i] > t;
    }
    BinaryOps.removeSmall(mask, w, h, cfg.minArea());
    return mask;
  }
}
