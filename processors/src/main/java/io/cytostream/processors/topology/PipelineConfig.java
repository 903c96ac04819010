package io.cytostream.processors.topology;

import io.cytostream.processors.track.TrackerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the topology needs besides the {@code StreamsBuilder}: stage settings and metrics.
 * Immutable; {@code with*} return modified copies.
 *
 * @param metrics where the pipeline's meters go
 * @param emitLabels whether label images travel with cells.observed and tracks (CTC masks)
 * @param segmenter segmenter name: {@code classical}
 * @param defaultIntervalSeconds frame interval in s used when frames carry neither acquisition time
 *     nor interval
 * @param reorderTimeout how long (wall clock) the tracker waits for a missing frame before
 *     declaring a gap, and how long without arrivals before it finalises the frames it holds
 * @param maxReorderFrames how many frames may wait for a missing one before it is declared a gap
 * @param tracker the linker's settings
 */
public record PipelineConfig(
    PipelineMetrics metrics,
    boolean emitLabels,
    String segmenter,
    double defaultIntervalSeconds,
    Duration reorderTimeout,
    int maxReorderFrames,
    TrackerConfig tracker) {

  public PipelineConfig {
    Objects.requireNonNull(metrics, "metrics");
    segmenter = segmenter == null ? "classical" : segmenter.toLowerCase(Locale.ROOT);
    if (!(defaultIntervalSeconds > 0)) {
      throw new IllegalArgumentException(
          "frame interval must be > 0 s, got " + defaultIntervalSeconds);
    }
    if (maxReorderFrames < 0) {
      throw new IllegalArgumentException("maxReorderFrames must be >= 0");
    }
  }

  /** Defaults: no-op metrics, no label images on the wire, classical segmentation, 1 s frames. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(
        PipelineMetrics.noop(),
        false,
        "classical",
        1.0,
        Duration.ofSeconds(30),
        8,
        TrackerConfig.defaults());
  }

  public PipelineConfig withMetrics(PipelineMetrics m) {
    return new PipelineConfig(
        m,
        emitLabels,
        segmenter,
        defaultIntervalSeconds,
        reorderTimeout,
        maxReorderFrames,
        tracker);
  }

  public PipelineConfig withEmitLabels(boolean e) {
    return new PipelineConfig(
        metrics, e, segmenter, defaultIntervalSeconds, reorderTimeout, maxReorderFrames, tracker);
  }

  public PipelineConfig withSegmenter(String s) {
    return new PipelineConfig(
        metrics, emitLabels, s, defaultIntervalSeconds, reorderTimeout, maxReorderFrames, tracker);
  }

  public PipelineConfig withDefaultIntervalSeconds(double seconds) {
    return new PipelineConfig(
        metrics, emitLabels, segmenter, seconds, reorderTimeout, maxReorderFrames, tracker);
  }

  public PipelineConfig withReorder(Duration timeout, int maxFrames) {
    return new PipelineConfig(
        metrics, emitLabels, segmenter, defaultIntervalSeconds, timeout, maxFrames, tracker);
  }

  public PipelineConfig withTracker(TrackerConfig t) {
    return new PipelineConfig(
        metrics,
        emitLabels,
        segmenter,
        defaultIntervalSeconds,
        reorderTimeout,
        maxReorderFrames,
        t);
  }
}
