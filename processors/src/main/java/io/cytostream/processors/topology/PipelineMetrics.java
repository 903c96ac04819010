package io.cytostream.processors.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * The pipeline's own meters (Prometheus names in brackets). Kafka Streams' client metrics are bound
 * separately by the service.
 *
 * <ul>
 *   <li>{@code cytostream.frames.processed{fov}} [cytostream_frames_processed_total]: frames
 *       through the image stages
 *   <li>{@code cytostream.dead.letters{stage,kind}}: records routed to the dead-letter topic
 *   <li>{@code cytostream.stage.duration{stage}}: time per frame in each stage
 *   <li>{@code cytostream.cells{fov}}: cells found per frame (distribution)
 *   <li>{@code cytostream.frames.tracked{fov}}, {@code cytostream.frames.gaps{fov}}: frames emitted
 *       by the tracker and frames that never arrived (gaps after the reorder timeout)
 *   <li>{@code cytostream.anomalies{fov,kind}}: anomaly events raised
 * </ul>
 */
public final class PipelineMetrics {
  private final MeterRegistry registry;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics into a registry nobody reads (tests, {@code process}). */
  public static PipelineMetrics noop() {
    return new PipelineMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void frameProcessed(String fov, int cells) {
    Counter.builder("cytostream.frames.processed")
        .description("frames through the image stages")
        .tag("fov", fov)
        .register(registry)
        .increment();
    registry.summary("cytostream.cells", "fov", fov).record(cells);
  }

  public void deadLetter(String stage, String kind) {
    Counter.builder("cytostream.dead.letters")
        .description("records routed to the dead-letter topic")
        .tag("stage", stage)
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  public void stageTime(String stage, long nanos) {
    Timer.builder("cytostream.stage.duration")
        .description("time per frame in a stage")
        .tag("stage", stage)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  public void frameTracked(String fov) {
    registry.counter("cytostream.frames.tracked", "fov", fov).increment();
  }

  public void frameGap(String fov, long frames) {
    registry.counter("cytostream.frames.gaps", "fov", fov).increment(frames);
  }

  public void anomaly(String fov, String kind) {
    registry.counter("cytostream.anomalies", "fov", fov, "kind", kind).increment();
  }

  /** A life event (birth, division, gap_closed, track_end) published on cells.lifecycle. */
  public void lifecycle(String fov, String kind) {
    Counter.builder("cytostream.lifecycle.events")
        .description("Cell life events published on cells.lifecycle, by FOV and kind")
        .tag("fov", fov)
        .tag("kind", kind)
        .register(registry)
        .increment();
  }
}
