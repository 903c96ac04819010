package io.cytostream.ingest.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the configured {@link AnomalySpec}s (DESIGN.md section 5). Model anomalies ({@link
 * AnomalyType#SPIKE}, {@link AnomalyType#ABERRANT_CELL}, {@link AnomalyType#MODEL_DRIFT}, {@link
 * AnomalyType#AREA_CHANGE}, {@link AnomalyType#TRACK_LOST}) act on the step into their frame,
 * before the dynamics ({@link #applyToStep}); frame anomalies ({@link AnomalyType#DROPPED_FRAME},
 * {@link AnomalyType#INTENSITY_COLLAPSE}, {@link AnomalyType#HOT_PIXEL_BURST}, {@link
 * AnomalyType#SATURATION}) act on the rendered image ({@link #applyToFrame}, {@link #finishImage}).
 * A cell-level anomaly without a track label targets an interior cell drawn from the anomaly's own
 * random stream (stream {@value #STREAM_ANOMALY}, index = the spec's position), so injecting one
 * anomaly changes nothing else. Default magnitudes: {@link #magnitude}.
 */
final class AnomalyInjector {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyInjector.class);

  static final long STREAM_ANOMALY = 5;
  static final int COLLAPSE_BLUR_RADIUS = 3;

  /** An anomaly being injected in this frame; details may be completed after rendering. */
  record Pending(
      AnomalyType type,
      int trackLabel,
      double magnitude,
      boolean applied,
      Map<String, Double> details,
      Cell target) {}

  /** What the frame anomalies of one frame do to its image. */
  static final class FrameEffects {
    boolean dropped;
    double collapse = Double.NaN; // intensity factor, NaN when none
    final List<Pending> saturations = new ArrayList<>();
    final List<Integer> bursts = new ArrayList<>(); // spec indices
  }

  private final SimulationConfig cfg;

  AnomalyInjector(SimulationConfig config) {
    this.cfg = config;
  }

  /** Applies the model anomalies of frame {@code t} to the cells and the dynamics. */
  void applyToStep(int t, List<Cell> cells, CalciumDynamics calcium, List<Pending> injected) {
    for (int a = 0; a < cfg.anomalies().size(); a++) {
      AnomalySpec spec = cfg.anomalies().get(a);
      if (spec.frame() == t) {
        applyToStep(a, spec, cells, calcium, injected);
      }
    }
  }

  private void applyToStep(
      int specIndex,
      AnomalySpec spec,
      List<Cell> cells,
      CalciumDynamics calcium,
      List<Pending> injected) {
    Map<String, Double> details = new LinkedHashMap<>();
    double m = spec.magnitude();
    switch (spec.type()) {
      case MODEL_DRIFT -> {
        double kNew = Double.isNaN(m) ? 2 * cfg.k() : m;
        details.put("kBefore", calcium.k());
        calcium.setK(kNew);
        injected.add(new Pending(spec.type(), 0, kNew, true, details, null));
      }
      case SPIKE, ABERRANT_CELL, AREA_CHANGE, TRACK_LOST -> {
        Cell c = pick(spec, specIndex, cells);
        double mag = magnitude(spec.type(), m);
        if (c == null) {
          LOG.warn(
              "{} at frame {}: no interior cell {}",
              spec.type().wireName(),
              spec.frame(),
              spec.trackLabel() == 0 ? "" : "with track " + spec.trackLabel());
          injected.add(new Pending(spec.type(), spec.trackLabel(), mag, false, details, null));
          return;
        }
        c.noDivision = true;
        switch (spec.type()) {
          case SPIKE -> c.excess += mag;
          case ABERRANT_CELL -> {
            details.put("gammaBefore", c.gamma);
            c.gamma = mag;
          }
          case AREA_CHANGE -> {
            double r = StrictMath.sqrt(c.area / Math.PI);
            double grow = StrictMath.sqrt(1 + mag);
            // A power weight shifts the border with a neighbour at distance D by Δω/(2D); with
            // D ≈ 2r, moving it by r·(grow − 1) needs Δω = 4r²(grow − 1).
            c.omega += 4 * r * r * (grow - 1);
            c.rmaxFactor *= grow;
            details.put("areaBefore", (double) c.area);
          }
          case TRACK_LOST -> {
            c.ghost = true;
            details.put("lastFrame", (double) (spec.frame() - 1));
          }
          default -> throw new IllegalStateException();
        }
        injected.add(new Pending(spec.type(), c.track, mag, true, details, c));
      }
      default -> {
        // frame anomalies act in applyToFrame()
      }
    }
  }

  /**
   * Collects the frame anomalies of frame {@code t} (after its label image was measured: a
   * saturation picks among this frame's interior cells).
   */
  FrameEffects applyToFrame(int t, List<Cell> cells, List<Pending> injected) {
    FrameEffects fx = new FrameEffects();
    for (int a = 0; a < cfg.anomalies().size(); a++) {
      AnomalySpec spec = cfg.anomalies().get(a);
      if (spec.frame() != t) {
        continue;
      }
      double m = magnitude(spec.type(), spec.magnitude());
      Map<String, Double> details = new LinkedHashMap<>();
      switch (spec.type()) {
        case DROPPED_FRAME -> {
          fx.dropped = true;
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case INTENSITY_COLLAPSE -> {
          fx.collapse = m;
          details.put("blurRadius", (double) COLLAPSE_BLUR_RADIUS);
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case HOT_PIXEL_BURST -> {
          fx.bursts.add(a);
          details.put("hotPixels", m);
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case SATURATION -> {
          Cell c = pick(spec, a, cells);
          if (c == null) {
            injected.add(new Pending(spec.type(), spec.trackLabel(), m, false, details, null));
            continue;
          }
          double radius =
              Double.isNaN(spec.magnitude()) ? StrictMath.sqrt(c.area / Math.PI) : spec.magnitude();
          details.put("centerX", c.cx);
          details.put("centerY", c.cy);
          details.put("radius", radius);
          Pending p = new Pending(spec.type(), c.track, radius, true, details, c);
          fx.saturations.add(p);
          injected.add(p);
        }
        default -> {
          // model anomalies were applied in applyToStep()
        }
      }
    }
    return fx;
  }

  /** Draws the hot-pixel bursts and saturated disks into the noisy frame. */
  void finishImage(byte[] raw, FrameEffects fx, CameraNoise camera) {
    for (int a : fx.bursts) {
      Rng r = Rng.of(cfg.seed(), STREAM_ANOMALY, a);
      long count =
          (long) magnitude(AnomalyType.HOT_PIXEL_BURST, cfg.anomalies().get(a).magnitude());
      camera.hotPixels(r, raw, count);
    }
    for (Pending p : fx.saturations) {
      p.details()
          .put(
              "pixels",
              (double) camera.saturateDisk(raw, p.target().cx, p.target().cy, p.magnitude()));
    }
  }

  /** The records of this frame's anomalies, completing area changes with the area after. */
  static List<InjectedAnomaly> records(int t, List<Pending> injected) {
    List<InjectedAnomaly> records = new ArrayList<>();
    for (Pending p : injected) {
      if (p.type() == AnomalyType.AREA_CHANGE && p.applied()) {
        p.details().put("areaAfter", (double) p.target().area);
      }
      records.add(
          new InjectedAnomaly(
              p.type(), t, p.trackLabel(), p.magnitude(), p.applied(), p.details()));
    }
    return records;
  }

  /** Interior cells of the last rendered frame: visible, not in the border zone, not lost. */
  private Cell pick(AnomalySpec spec, int specIndex, List<Cell> cells) {
    List<Cell> candidates = new ArrayList<>();
    for (Cell c : cells) {
      if (c.interior()) {
        candidates.add(c);
      }
    }
    if (spec.trackLabel() != 0) {
      for (Cell c : candidates) {
        if (c.track == spec.trackLabel()) {
          return c;
        }
      }
      return null;
    }
    if (candidates.isEmpty()) {
      return null;
    }
    Rng r = Rng.of(cfg.seed(), STREAM_ANOMALY, specIndex);
    return candidates.get(r.nextInt(candidates.size()));
  }

  /**
   * The magnitude {@code m}, or the type's default when NaN: spike 0.5 signal units, aberrant γ
   * 0.02 /s, model drift 2k, area change +60 %, hot-pixel burst max(200, 0.2 % of the pixels),
   * intensity collapse × 0.3, saturation NaN (the target's equivalent radius), else 0.
   */
  double magnitude(AnomalyType type, double m) {
    if (!Double.isNaN(m)) {
      return m;
    }
    return switch (type) {
      case SPIKE -> 0.5;
      case ABERRANT_CELL -> 0.02;
      case MODEL_DRIFT -> 2 * cfg.k();
      case AREA_CHANGE -> 0.6;
      case HOT_PIXEL_BURST -> Math.max(200, Math.round(0.002 * cfg.width() * cfg.height()));
      case INTENSITY_COLLAPSE -> 0.3;
      case TRACK_LOST, DROPPED_FRAME -> 0;
      case SATURATION -> Double.NaN; // the target cell's equivalent radius
    };
  }
}
