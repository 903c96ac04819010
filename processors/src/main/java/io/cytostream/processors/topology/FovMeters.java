package io.cytostream.processors.topology;

import io.cytostream.schemas.LifecycleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one FOV in {@link PipelineMetrics}: its counters, registered at 0 when the FOV is
 * first seen, and the values of its gauges (the registry holds gauges weakly: this object keeps
 * them alive). Labels {@code fov} and {@code kind} only, as the catalogue's contract says.
 */
final class FovMeters {
  final AtomicLong cells = new AtomicLong();
  final AtomicLong trackedCells = new AtomicLong();
  final AtomicLong reorder = new AtomicLong();
  volatile double k = Double.NaN;
  volatile double kSe = Double.NaN;
  volatile double rows;
  volatile double traceMse = Double.NaN;

  private FovMeters() {}

  /** Registers the FOV's counters at 0 and its gauges in {@code registry}. */
  static FovMeters register(MeterRegistry registry, String fov) {
    FovMeters g = new FovMeters();
    counter(registry, PipelineMetrics.FRAMES_RECEIVED, "frames decoded from frames.raw", fov);
    counter(
        registry,
        PipelineMetrics.FRAMES_PROCESSED,
        "frames through the image stages (denoise, segment, measure) and accepted by the tracker"
            + " (dead-lettered frames are not counted)",
        fov);
    counter(
        registry,
        PipelineMetrics.FRAMES_TRACKED,
        "frames emitted by the tracker (linked, in order)",
        fov);
    counter(
        registry,
        PipelineMetrics.FRAMES_GAPS,
        "frames that never arrived (gaps declared by the reorder buffer)",
        fov);
    for (String kind : PipelineMetrics.anomalyKinds()) {
      anomalyCounter(registry, fov, kind);
    }
    for (LifecycleEvent.Kind kind : LifecycleEvent.Kind.values()) {
      lifecycleCounter(registry, fov, kind.wireName());
    }
    for (List<String> kr : PipelineMetrics.SUPPRESSION_REASONS) {
      suppressedCounter(registry, fov, kr.get(0), kr.get(1));
    }
    Gauge.builder(PipelineMetrics.CELLS, g.cells, AtomicLong::get)
        .description("cells segmented in the FOV's last frame")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.TRACKED_CELLS, g.trackedCells, AtomicLong::get)
        .description("tracked cells in the FOV's last finalised frame")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.REORDER_BUFFER, g.reorder, AtomicLong::get)
        .description("frames waiting in the tracker's reorder buffer for a missing predecessor")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.CONSENSUS_K, g, x -> x.k)
        .description(
            "the culture's coupling k of the streaming CRLSM fit, 1/s (NaN before"
                + " the first fit)")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.CONSENSUS_K_SE, g, x -> x.kSe)
        .description("standard error of k, 1/s (NaN at a bound or with too few rows)")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.CONSENSUS_ROWS, g, x -> x.rows)
        .description("regression rows in the FOV's consensus fit")
        .tag("fov", fov)
        .register(registry);
    Gauge.builder(PipelineMetrics.CONSENSUS_TRACE_MSE, g, x -> x.traceMse)
        .description(
            "MSE between measured and re-simulated cell traces (k, gamma_i of the fit, measured"
                + " neighbours), pooled over the FOV's cells, squared signal units (NaN before"
                + " the first fit)")
        .tag("fov", fov)
        .register(registry);
    return g;
  }

  private static Counter counter(MeterRegistry registry, String name, String help, String fov) {
    return Counter.builder(name).description(help).tag("fov", fov).register(registry);
  }

  static Counter anomalyCounter(MeterRegistry registry, String fov, String kind) {
    return Counter.builder(PipelineMetrics.ANOMALIES)
        .description("anomaly events raised on events.anomaly, by FOV and kind")
        .tag("fov", fov)
        .tag("kind", kind)
        .register(registry);
  }

  static Counter lifecycleCounter(MeterRegistry registry, String fov, String kind) {
    return Counter.builder(PipelineMetrics.LIFECYCLE_EVENTS)
        .description("cell life events published on cells.lifecycle, by FOV and kind")
        .tag("fov", fov)
        .tag("kind", kind)
        .register(registry);
  }

  static Counter suppressedCounter(MeterRegistry registry, String fov, String kind, String reason) {
    return Counter.builder(PipelineMetrics.ANOMALIES_SUPPRESSED)
        .description(
            "anomalies found and not published because a segmentation, tracking or image event"
                + " explains them, by FOV, kind and reason")
        .tag("fov", fov)
        .tag("kind", kind)
        .tag("reason", reason)
        .register(registry);
  }
}
