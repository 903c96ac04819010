package io.cytostream.processors.topology;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the topology needs besides the {@code StreamsBuilder}: stage settings, metrics, and
 * for {@code process} the optional label source. Immutable; {@code with*} return modified copies.
 */
public final class PipelineConfig {
  private final PipelineMetrics metrics;
  private final boolean emitLabels;
  private final String segmenter;
  private final double defaultIntervalSeconds;
  private final Duration reorderTimeout;

  private PipelineConfig(
      PipelineMetrics metrics,
      boolean emitLabels,
      String segmenter,
      double defaultIntervalSeconds,
      Duration reorderTimeout) {
    this.metrics = Objects.requireNonNull(metrics);
    this.emitLabels = emitLabels;
    this.segmenter = segmenter;
    this.defaultIntervalSeconds = defaultIntervalSeconds;
    this.reorderTimeout = reorderTimeout;
  }

  /** Defaults: no-op metrics, no label images on the wire, classical segmentation, 1 s frames. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(
        PipelineMetrics.noop(), false, "classical", 1.0, Duration.ofSeconds(30));
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  /** Whether label images travel with cells.observed and tracks (for CTC masks). */
  public boolean emitLabels() {
    return emitLabels;
  }

  /** Segmenter name: {@code classical}. */
  public String segmenter() {
    return segmenter;
  }

  /** Frame interval in seconds used when frames carry neither acquisition time nor interval. */
  public double defaultIntervalSeconds() {
    return defaultIntervalSeconds;
  }

  /** How long the tracker waits for a missing frame before declaring it a gap (wall clock). */
  public Duration reorderTimeout() {
    return reorderTimeout;
  }

  public PipelineConfig withMetrics(PipelineMetrics m) {
    return new PipelineConfig(m, emitLabels, segmenter, defaultIntervalSeconds, reorderTimeout);
  }

  public PipelineConfig withEmitLabels(boolean e) {
    return new PipelineConfig(metrics, e, segmenter, defaultIntervalSeconds, reorderTimeout);
  }

  public PipelineConfig withSegmenter(String s) {
    String name = s == null ? "classical" : s.toLowerCase(Locale.ROOT);
    return new PipelineConfig(metrics, emitLabels, name, defaultIntervalSeconds, reorderTimeout);
  }

  public PipelineConfig withDefaultIntervalSeconds(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("frame interval must be > 0 s, got " + seconds);
    }
    return new PipelineConfig(metrics, emitLabels, segmenter, seconds, reorderTimeout);
  }

  public PipelineConfig withReorderTimeout(Duration d) {
    return new PipelineConfig(metrics, emitLabels, segmenter, defaultIntervalSeconds, d);
  }
}
