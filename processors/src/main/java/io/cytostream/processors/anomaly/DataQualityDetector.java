package io.cytostream.processors.anomaly;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Data-quality tests on the frame sequence of one field of view:
 *
 * <ul>
 *   <li>{@link AnomalyType#OUT_OF_ORDER_FRAME}: index not above the last accepted one (late or
 *       duplicate); such a frame changes no state and is not tested further;
 *   <li>{@link AnomalyType#DROPPED_FRAME}: index gap, statistic the number of missing frames;
 *   <li>{@link AnomalyType#HOT_PIXEL_BURST}: hot-pixel count &gt; factor × running median + min
 *       excess (every frame it holds; all counts enter the median, so a lasting rise stops firing
 *       after half a window);
 *   <li>{@link AnomalyType#SATURATION}: saturated fraction over the threshold, reported on entry;
 *   <li>{@link AnomalyType#INTENSITY_COLLAPSE}: frame mean or sharpness below (1 − collapse
 *       fraction) × its running median, reported on entry; collapsed values do not enter their
 *       median, so the baseline stays the healthy level until recovery.
 * </ul>
 *
 * Running medians cover the last {@link AnomalyConfig#qualityWindow()} frames and start after
 * {@link AnomalyConfig#qualityWarmupFrames()}. State: {@link #snapshot()}, {@link #restore}.
 */
public final class DataQualityDetector {

  /**
   * The detector's state.
   *
   * @param lastFrameIndex last accepted frame index (Long.MIN_VALUE before any)
   * @param hotPixels recent hot-pixel counts, oldest first
   * @param means recent healthy frame means, oldest first
   * @param sharpness recent healthy sharpness values, oldest first
   * @param saturated whether the last frame was saturated
   * @param meanCollapsed whether the frame mean is in collapse
   * @param sharpnessCollapsed whether sharpness is in collapse
   */
  public record State(
      long lastFrameIndex,
      List<Double> hotPixels,
      List<Double> means,
      List<Double> sharpness,
      boolean saturated,
      boolean meanCollapsed,
      boolean sharpnessCollapsed) {

    /** Copies the lists. */
    public State {
      hotPixels = List.copyOf(hotPixels);
      means = List.copyOf(means);
      sharpness = List.copyOf(sharpness);
    }
  }

  private final AnomalyConfig config;
  private long last = Long.MIN_VALUE;
  private final Deque<Double> hot = new ArrayDeque<>();
  private final Deque<Double> means = new ArrayDeque<>();
  private final Deque<Double> sharp = new ArrayDeque<>();
  private boolean saturated;
  private boolean meanCollapsed;
  private boolean sharpCollapsed;

  public DataQualityDetector(AnomalyConfig config) {
    this.config = config;
  }

  /** Restores a detector. */
  public static DataQualityDetector restore(AnomalyConfig config, State s) {
    DataQualityDetector d = new DataQualityDetector(config);
    d.last = s.lastFrameIndex();
    d.hot.addAll(s.hotPixels());
    d.means.addAll(s.means());
    d.sharp.addAll(s.sharpness());
    d.saturated = s.saturated();
    d.meanCollapsed = s.meanCollapsed();
    d.sharpCollapsed = s.sharpnessCollapsed();
    return d;
  }

  /** The state as an immutable record. */
  public State snapshot() {
    return new State(
        last,
        new ArrayList<>(hot),
        new ArrayList<>(means),
        new ArrayList<>(sharp),
        saturated,
        meanCollapsed,
        sharpCollapsed);
  }

  /** Tests one frame. */
  public List<Anomaly> test(QualityObservation q) {
    List<Anomaly> out = new ArrayList<>();
    long f = q.frameIndex();
    if (last != Long.MIN_VALUE && f <= last) {
      out.add(
          new Anomaly(
              AnomalyType.OUT_OF_ORDER_FRAME,
              0,
              "frame_index",
              f,
              last + 1,
              String.format(Locale.ROOT, "frame %d after frame %d (late or duplicate)", f, last)));
      return out;
    }
    if (last != Long.MIN_VALUE && f > last + 1) {
      long missing = f - last - 1;
      out.add(
          new Anomaly(
              AnomalyType.DROPPED_FRAME,
              0,
              "missing_frames",
              missing,
              0,
              String.format(Locale.ROOT, "frames %d..%d missing", last + 1, f - 1),
              new Evidence(null, List.of(last, f), null, null, null)));
    }
    last = f;

    int warm = config.qualityWarmupFrames();
    if (hot.size() >= warm) {
      double median = median(hot);
      double threshold = config.hotPixelFactor() * median + config.hotPixelMinExcess();
      if (q.hotPixelCount() > threshold) {
        out.add(
            new Anomaly(
                AnomalyType.HOT_PIXEL_BURST,
                0,
                "hot_pixel_count",
                q.hotPixelCount(),
                threshold,
                String.format(
                    Locale.ROOT, "%d hot pixels vs running median %.0f", q.hotPixelCount(), median),
                new Evidence(
                    hot.size(),
                    List.of(f),
                    null,
                    Map.of(
                        "runningMedian",
                        median,
                        "factor",
                        config.hotPixelFactor(),
                        "minExcess",
                        config.hotPixelMinExcess()),
                    null)));
      }
    }
    push(hot, q.hotPixelCount());

    boolean sat = q.saturatedFraction() > config.saturationFraction();
    if (sat && !saturated) {
      out.add(
          new Anomaly(
              AnomalyType.SATURATION,
              0,
              "saturated_fraction",
              q.saturatedFraction(),
              config.saturationFraction(),
              String.format(
                  Locale.ROOT, "%.2f %% of pixels saturated", 100 * q.saturatedFraction()),
              new Evidence(null, List.of(f), null, null, null)));
    }
    saturated = sat;

    meanCollapsed = collapse(q.meanIntensity(), means, meanCollapsed, "frame_mean", out);
    sharpCollapsed = collapse(q.sharpness(), sharp, sharpCollapsed, "sharpness", out);
    return out;
  }

  private boolean collapse(
      double value, Deque<Double> window, boolean active, String name, List<Anomaly> out) {
    if (!Double.isFinite(value)) {
      return active;
    }
    boolean collapsed = false;
    if (window.size() >= config.qualityWarmupFrames()) {
      double median = median(window);
      double threshold = (1 - config.collapseFraction()) * median;
      collapsed = value < threshold;
      if (collapsed && !active) {
        out.add(
            new Anomaly(
                AnomalyType.INTENSITY_COLLAPSE,
                0,
                name,
                value,
                threshold,
                String.format(
                    Locale.ROOT,
                    "%s %.4g dropped below %.0f %% of its running median %.4g",
                    name,
                    value,
                    100 * (1 - config.collapseFraction()),
                    median),
                new Evidence(
                    window.size(),
                    null,
                    null,
                    Map.of("runningMedian", median, "collapseFraction", config.collapseFraction()),
                    null)));
      }
    }
    if (!collapsed) {
      push(window, value);
    }
    return collapsed;
  }

  private void push(Deque<Double> window, double v) {
    window.addLast(v);
    while (window.size() > config.qualityWindow()) {
      window.removeFirst();
    }
  }

  private static double median(Deque<Double> window) {
    double[] v = new double[window.size()];
    int i = 0;
    for (double x : window) {
      v[i++] = x;
    }
    return RobustStats.median(v);
  }
}
