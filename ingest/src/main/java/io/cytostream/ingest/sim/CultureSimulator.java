package io.cytostream.ingest.sim;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.schemas.PixelType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic cell culture whose calcium obeys the consensus model of DESIGN.md section 4 with
 * known k and γ_i: frame by frame, a camera image with its ground truth (labels, tracks, y).
 *
 * <p><b>Geometry.</b> Cells are the regions of a power diagram (weighted Voronoi) of one seed per
 * cell, truncated at 0.75 × the cell spacing from the seed (so the culture's edge is made of round
 * cells and background lies outside), with a dark junction band ({@code gapWidth}) along every
 * border between two cells. Seeds are placed by dart throwing inside a smooth random footprint
 * around the image centre and relaxed. A seed sits at its anchor + the culture's drift (slow
 * sinusoids, RMS speed {@code driftSpeed}) + its own jitter (Ornstein–Uhlenbeck, RMS {@code
 * cellJitter}, 30-frame correlation); anchors closer than 0.85 × spacing push each other apart. The
 * culture extends beyond the image, so cells leave and enter the field of view at its border. A
 * cell divides with probability {@code divisionProbability} per frame (when ≥ 20 frames old and not
 * crowded): its seed becomes two seeds 0.44 × spacing apart along a random axis, the daughters take
 * new track labels with the parent recorded, and inherit the parent's y, γ and input signal.
 *
 * <p><b>Calcium.</b> For frame t ≥ 1 every cell's y(t) is computed from frame t − 1 (see {@link
 * CellTruth.Role}): a cell whose label at t − 1 does not reach the border zone takes the Euler step
 *
 * <pre>
 *   y_i(t) = y_i(t−1) + Δt·( k(t)·φ_i + γ_i ) + excess_i(t)
 *   φ_i    = (1/|N_i|) · Σ_{j∈Ad(i)} w_ij·(y_j(t−1) − y_i(t−1)),   φ_i = 0 when |N_i| = 0
 *   w_ij   = u_ij·l_ij / couplingScale
 * </pre>
 *
 * with l_ij, u_ij, Ad(i) and |N_i| = |Ad(i)| measured on the label image of frame t − 1 exactly as
 * written (see {@link SimulationTruth.Model}); other cells (touching the border, or outside the
 * image) follow a prescribed input signal {@code y(t) = y(t−1) + β·(s(t) − y(t−1))}, β = 1 −
 * exp(−Δt / 2 s), {@code s(t) = baseline + A1·sin(ω1·t + φ1) + A2·sin(ω2·t + φ2) + z(t)} with
 * amplitudes 0.02–0.06, periods 60–300 s, and spikes z that jump by [0.5, 1.5] × {@code
 * inputSpikeAmplitude} at rate {@code inputSpikeRate} and decay with a time constant of 8 s. There
 * is no process noise: the recursion holds to rounding.
 *
 * <p><b>Rendering.</b> An ordinary pixel of a cell has expected value λ = exp(a + b·y) − 1 ADU (so
 * log(raw + 1) is affine in y), background and junction pixels {@code background}; the pixel is
 * {@code round(gain·Poisson(λ/gain) + N(0, readNoise²))} clipped to [0, 65535]; hot pixels (rate
 * {@code hotPixelRate}) are 65535. Labels are the track labels, junction pixels included.
 *
 * <p><b>Determinism.</b> Every random draw comes from a named SplitMix64 stream ({@link Rng}) and
 * all maths that feeds the output uses {@link StrictMath}, so a config gives the same frames, bit
 * for bit, on any JVM and thread count. Each cell lineage, noise strip, frame's hot pixels and
 * anomaly has its own stream: injecting an anomaly changes only what it touches.
 *
 * <p><b>Use.</b> As an {@link Iterator} over all {@code frames} time steps (dropped frames
 * included, flagged); {@link #delivered()} is the camera's view for a live publisher (dropped
 * frames skipped); {@link CtcWriter} writes a Cell Tracking Challenge directory. Cost is O(pixels +
 * cells) per frame (seeds are bucketed; rendering and noise run in parallel). Not thread-safe.
 */
public final class CultureSimulator implements Iterator<SimulatedFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(CultureSimulator.class);

  private static final long STREAM_INIT = 1;
  private static final long STREAM_CELL = 2;
  private static final long STREAM_NOISE = 3;
  private static final long STREAM_HOT = 4;
  private static final long STREAM_ANOMALY = 5;

  static final double TRUNCATION = 0.75; // × spacing: largest seed-to-pixel distance
  static final double REPULSION_RANGE = 0.85; // × spacing
  static final double REPULSION_RATE = 0.1; // fraction of the overlap closed per frame
  static final double CROWDED = 0.6; // × spacing: no division with a seed this close
  static final double DAUGHTER_OFFSET = 0.22; // × spacing, each side of the parent's anchor
  static final int MIN_DIVISION_AGE = 20; // frames
  static final double JITTER_CORRELATION_FRAMES = 30;
  static final double INPUT_TRACKING_SECONDS = 2;
  static final double SPIKE_DECAY_SECONDS = 8;
  static final double BASELINE_SPREAD = 0.05;
  static final int COLLAPSE_BLUR_RADIUS = 3;
  private static final int NOISE_STRIP_ROWS = 16;
  private static final int MAX_LABEL = 65535;

  private final SimulationConfig cfg;
  private final int width;
  private final int height;
  private final double spacing;
  private final List<Cell> cells = new ArrayList<>();
  private final double[] driftAmp = new double[4]; // x: 0, 1; y: 2, 3
  private final double[] driftFreq = new double[4];
  private final double[] driftPhase = new double[4];
  private final TreeMap<Integer, TrackRecord> tracks = new TreeMap<>();
  private final int[] owner;
  private long nextCellId;
  private int nextLabel = 1;
  private int index;
  private double k;
  private double maxEulerGain;
  private boolean warnedGain;

  /** A simulator at frame 0 of {@code config}; the culture is laid out here (cheap). */
  public CultureSimulator(SimulationConfig config) {
    this.cfg = config;
    this.width = config.width();
    this.height = config.height();
    this.k = config.k();
    this.owner = new int[width * height];
    Rng init = Rng.of(config.seed(), STREAM_INIT, 0);
    double cx0 = width / 2.0 + init.uniform(-0.05, 0.05) * width;
    double cy0 = height / 2.0 + init.uniform(-0.05, 0.05) * height;
    double r0 = config.cultureRadius() * (width + height) / 2.0;
    double h1 = init.uniform(0.05, 0.12);
    double p1 = init.uniform(0, 2 * Math.PI);
    double h2 = init.uniform(0.03, 0.08);
    double p2 = init.uniform(0, 2 * Math.PI);
    Footprint fp = new Footprint(cx0, cy0, r0, h1, p1, h2, p2);
    int inside = 0;
    int samples = 128;
    for (int i = 0; i < samples; i++) {
      for (int j = 0; j < samples; j++) {
        if (fp.contains((i + 0.5) * width / samples, (j + 0.5) * height / samples)) {
          inside++;
        }
      }
    }
    double coverage = Math.max(0.05, inside / (double) (samples * samples));
    this.spacing = StrictMath.sqrt(coverage * width * height / config.cells());
    int target = (int) Math.max(1, Math.round(fp.area() / (spacing * spacing)));
    List<double[]> seeds = placeSeeds(fp, target, init);
    relax(seeds);
    for (int a = 0; a < 4; a++) {
      double period = init.uniform(150, 500);
      driftFreq[a] = 2 * Math.PI / period;
      driftAmp[a] = config.driftSpeed() / (Math.sqrt(2) * driftFreq[a]);
      driftPhase[a] = init.uniform(0, 2 * Math.PI);
    }
    for (int i = 0; i < seeds.size(); i++) {
      Cell c = new Cell(nextCellId++, Rng.of(config.seed(), STREAM_CELL, i));
      c.ax = seeds.get(i)[0];
      c.ay = seeds.get(i)[1];
      c.initialiseSignal(config);
      c.born = -MIN_DIVISION_AGE;
      cells.add(c);
    }
    placeSeeds(0);
  }

  /** The config this simulator runs. */
  public SimulationConfig config() {
    return cfg;
  }

  /** Typical distance between neighbouring cell seeds, px (√(culture area in view / cells)). */
  public double cellSpacing() {
    return spacing;
  }

  /** Index of the next frame {@link #next()} returns. */
  public int nextIndex() {
    return index;
  }

  /** Largest per-cell Euler gain Δt·k·Σ_j w_ij/|N_i| seen so far (stable when below 1). */
  public double maxEulerGain() {
    return maxEulerGain;
  }

  /**
   * The tracks so far, by label ({@code end} is the last frame produced so far for tracks still
   * running).
   */
  public List<TrackRecord> tracks() {
    return List.copyOf(tracks.values());
  }

  @Override
  public boolean hasNext() {
    return index < cfg.frames();
  }

  /**
   * Simulates and renders the next frame (dropped frames included, with {@link
   * SimulatedFrame#dropped()} set).
   *
   * @throws NoSuchElementException after {@code frames} frames
   * @throws IllegalStateException when more than 65535 tracks would be needed
   */
  @Override
  public SimulatedFrame next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + cfg.frames() + " frames produced");
    }
    int t = index++;
    List<Pending> injected = new ArrayList<>();
    if (t > 0) {
      step(t, injected);
    }
    return render(t, injected);
  }

  /** The remaining frames, dropped ones included (flagged), as a sequential stream. */
  public Stream<SimulatedFrame> stream() {
    return StreamSupport.stream(
        Spliterators.spliterator(
            this,
            cfg.frames() - index,
            Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED),
        false);
  }

  /**
   * The remaining frames as a camera delivers them: {@link AnomalyType#DROPPED_FRAME dropped}
   * frames are skipped (the next frame keeps its own index and time). This is what a live publisher
   * emits, one frame per {@code frameIntervalSeconds}.
   */
  public Stream<SimulatedFrame> delivered() {
    return stream().filter(f -> !f.dropped());
  }

  // ---------------------------------------------------------------------------------------------
  // Dynamics

  private void step(int t, List<Pending> injected) {
    double dt = cfg.frameIntervalSeconds();
    for (Cell c : cells) {
      c.excess = 0;
      c.noDivision = false;
    }
    for (int a = 0; a < cfg.anomalies().size(); a++) {
      AnomalySpec spec = cfg.anomalies().get(a);
      if (spec.frame() == t) {
        applyModelAnomaly(a, spec, injected);
      }
    }
    double beta = 1 - StrictMath.exp(-dt / INPUT_TRACKING_SECONDS);
    double decay = StrictMath.exp(-dt / SPIKE_DECAY_SECONDS);
    double pSpike = Math.min(1, cfg.inputSpikeRate() * dt);
    double rho = StrictMath.exp(-1 / JITTER_CORRELATION_FRAMES);
    double jitterStep = cfg.cellJitter() * StrictMath.sqrt(1 - rho * rho);
    double seconds = t * dt;
    int n = cells.size();
    double[] next = new double[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      // Fixed draws per cell and frame keep each lineage's stream aligned whatever happens.
      double g1 = c.rng.gaussian();
      double g2 = c.rng.gaussian();
      double uSpike = c.rng.nextDouble();
      double uAmp = c.rng.nextDouble();
      c.divisionDraw = c.rng.nextDouble();
      c.jx = rho * c.jx + jitterStep * g1;
      c.jy = rho * c.jy + jitterStep * g2;
      c.spike = c.spike * decay + (uSpike < pSpike ? cfg.inputSpikeAmplitude() * (0.5 + uAmp) : 0);
      if (c.ghost) {
        next[i] = c.y;
        continue;
      }
      if (c.track != 0 && !c.touches) {
        double phi = 0;
        if (c.nbr.length > 0) {
          double sum = 0;
          double weights = 0;
          for (int j = 0; j < c.nbr.length; j++) {
            sum += c.nbrWeight[j] * (c.nbr[j].y - c.y);
            weights += c.nbrWeight[j];
          }
          phi = sum / c.nbr.length;
          double gain = dt * k * weights / c.nbr.length;
          if (gain > maxEulerGain) {
            maxEulerGain = gain;
            if (gain >= 1 && !warnedGain) {
              warnedGain = true;
              LOG.warn("Euler gain {} >= 1 at frame {}: the simulated model is unstable", gain, t);
            }
          }
        }
        next[i] = c.y + dt * (k * phi + c.gamma) + c.excess;
        c.role = CellTruth.Role.INTERIOR;
      } else {
        double s =
            c.baseline
                + c.amp1 * StrictMath.sin(c.freq1 * seconds + c.phase1)
                + c.amp2 * StrictMath.sin(c.freq2 * seconds + c.phase2)
                + c.spike;
        next[i] = c.y + beta * (s - c.y);
        c.role = CellTruth.Role.INPUT;
      }
    }
    for (int i = 0; i < n; i++) {
      cells.get(i).y = next[i];
    }
    moveAnchors();
    placeSeeds(t);
    divide(t);
  }

  /** Anchors closer than the repulsion range push each other apart; records crowding. */
  private void moveAnchors() {
    int n = cells.size();
    double range = REPULSION_RANGE * spacing;
    double[] dx = new double[n];
    double[] dy = new double[n];
    SeedGrid grid = new SeedGrid(n, range, i -> cells.get(i).ax, i -> cells.get(i).ay);
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      c.nearest = range;
      final int self = i;
      grid.forNear(
          c.ax,
          c.ay,
          j -> {
            if (j == self) {
              return;
            }
            Cell o = cells.get(j);
            double ex = c.ax - o.ax;
            double ey = c.ay - o.ay;
            double d = Math.sqrt(ex * ex + ey * ey);
            if (d < c.nearest) {
              c.nearest = d;
            }
            if (d < range && d > 1e-9) {
              double push = 0.5 * REPULSION_RATE * (range - d) / d;
              dx[self] += push * ex;
              dy[self] += push * ey;
            }
          });
    }
    for (int i = 0; i < n; i++) {
      cells.get(i).ax += dx[i];
      cells.get(i).ay += dy[i];
    }
  }

  private void placeSeeds(int t) {
    double gx = drift(0, t) + drift(1, t);
    double gy = drift(2, t) + drift(3, t);
    for (Cell c : cells) {
      c.px = c.ax + gx + c.jx;
      c.py = c.ay + gy + c.jy;
    }
  }

  private double drift(int a, int t) {
    return driftAmp[a]
        * (StrictMath.sin(driftFreq[a] * t + driftPhase[a]) - StrictMath.sin(driftPhase[a]));
  }

  private void divide(int t) {
    int n = cells.size();
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      if (c.ghost
          || c.noDivision
          || t - c.born < MIN_DIVISION_AGE
          || c.nearest < CROWDED * spacing
          || c.divisionDraw >= cfg.divisionProbability()) {
        continue;
      }
      double theta = c.rng.uniform(0, Math.PI);
      double ox = DAUGHTER_OFFSET * spacing * StrictMath.cos(theta);
      double oy = DAUGHTER_OFFSET * spacing * StrictMath.sin(theta);
      Cell d1 = c.daughter(nextCellId++, t, ox, oy);
      Cell d2 = c.daughter(nextCellId++, t, -ox, -oy);
      cells.set(i, d1);
      cells.add(d2);
      d1.px = c.px + ox;
      d1.py = c.py + oy;
      d2.px = c.px - ox;
      d2.py = c.py - oy;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Anomalies

  /** An anomaly being injected in this frame; details may be completed after rendering. */
  private record Pending(
      AnomalyType type,
      int trackLabel,
      double magnitude,
      boolean applied,
      Map<String, Double> details,
      Cell target) {}

  /** Interior cells of the last rendered frame: visible, not in the border zone. */
  private List<Cell> interiorCells() {
    List<Cell> out = new ArrayList<>();
    for (Cell c : cells) {
      if (!c.ghost && c.track != 0 && !c.touches) {
        out.add(c);
      }
    }
    return out;
  }

  private Cell pick(AnomalySpec spec, int specIndex) {
    List<Cell> candidates = interiorCells();
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

  private void applyModelAnomaly(int specIndex, AnomalySpec spec, List<Pending> injected) {
    Map<String, Double> details = new LinkedHashMap<>();
    double m = spec.magnitude();
    switch (spec.type()) {
      case MODEL_DRIFT -> {
        double kNew = Double.isNaN(m) ? 2 * cfg.k() : m;
        details.put("kBefore", k);
        k = kNew;
        injected.add(new Pending(spec.type(), 0, kNew, true, details, null));
      }
      case SPIKE, ABERRANT_CELL, AREA_CHANGE, TRACK_LOST -> {
        Cell c = pick(spec, specIndex);
        double mag = resolvedMagnitude(spec.type(), m);
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
        // frame-level anomalies act in render()
      }
    }
  }

  private double resolvedMagnitude(AnomalyType type, double m) {
    if (!Double.isNaN(m)) {
      return m;
    }
    return switch (type) {
      case SPIKE -> 0.5;
      case ABERRANT_CELL -> 0.02;
      case MODEL_DRIFT -> 2 * cfg.k();
      case AREA_CHANGE -> 0.6;
      case HOT_PIXEL_BURST -> Math.max(200, Math.round(0.002 * width * height));
      case INTENSITY_COLLAPSE -> 0.3;
      case TRACK_LOST, DROPPED_FRAME -> 0;
      case SATURATION -> Double.NaN; // the target cell's equivalent radius
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  private SimulatedFrame render(int t, List<Pending> injected) {
    int n = cells.size();
    double[] sx = new double[n];
    double[] sy = new double[n];
    double[] omega = new double[n];
    double[] rmax = new double[n];
    boolean[] ghost = new boolean[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      sx[i] = c.px;
      sy[i] = c.py;
      omega[i] = c.omega;
      rmax[i] = TRUNCATION * spacing * c.rmaxFactor;
      ghost[i] = c.ghost;
    }
    Tessellation.render(width, height, n, sx, sy, omega, rmax, ghost, cfg.gapWidth(), owner);
    LabelStats st = LabelStats.measure(width, height, n, owner, cfg.borderMargin());
    assignTracks(t, st);
    linkNeighbours(st);

    short[] labels = new short[width * height];
    PoissonTable[] photons = new PoissonTable[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      if (c.area > 0) {
        photons[i] = PoissonTable.of(expectedAdu(c.y) / cfg.gain());
      }
    }
    PoissonTable backgroundPhotons = PoissonTable.of(cfg.background() / cfg.gain());
    int[] trackOf = new int[n];
    for (int i = 0; i < n; i++) {
      trackOf[i] = cells.get(i).track;
    }
    for (int p = 0; p < owner.length; p++) {
      int o = owner[p];
      if (o != 0) {
        labels[p] = (short) trackOf[Math.abs(o) - 1];
      }
    }

    boolean dropped = false;
    double collapse = Double.NaN;
    List<Pending> saturations = new ArrayList<>();
    List<Integer> burst = new ArrayList<>();
    for (int a = 0; a < cfg.anomalies().size(); a++) {
      AnomalySpec spec = cfg.anomalies().get(a);
      if (spec.frame() != t) {
        continue;
      }
      double m = resolvedMagnitude(spec.type(), spec.magnitude());
      Map<String, Double> details = new LinkedHashMap<>();
      switch (spec.type()) {
        case DROPPED_FRAME -> {
          dropped = true;
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case INTENSITY_COLLAPSE -> {
          collapse = m;
          details.put("blurRadius", (double) COLLAPSE_BLUR_RADIUS);
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case HOT_PIXEL_BURST -> {
          burst.add(a);
          details.put("hotPixels", m);
          injected.add(new Pending(spec.type(), 0, m, true, details, null));
        }
        case SATURATION -> {
          Cell c = pick(spec, a);
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
          saturations.add(p);
          injected.add(p);
        }
        default -> {
          // model anomalies were applied in step()
        }
      }
    }

    byte[] raw = new byte[2 * width * height];
    if (Double.isNaN(collapse)) {
      addNoise(t, raw, photons, backgroundPhotons);
    } else {
      float[] expected = new float[width * height];
      for (int p = 0; p < owner.length; p++) {
        int o = owner[p];
        expected[p] = (float) (o > 0 ? expectedAdu(cells.get(o - 1).y) : cfg.background());
      }
      for (int pass = 0; pass < 3; pass++) {
        boxBlur(expected, width, height, COLLAPSE_BLUR_RADIUS);
      }
      for (int p = 0; p < expected.length; p++) {
        expected[p] = (float) (expected[p] * collapse);
      }
      addNoise(t, raw, expected);
    }
    hotPixels(Rng.of(cfg.seed(), STREAM_HOT, t), raw, -1);
    for (int a : burst) {
      Rng r = Rng.of(cfg.seed(), STREAM_ANOMALY, a);
      hotPixels(
          r,
          raw,
          (long)
              resolvedMagnitude(AnomalyType.HOT_PIXEL_BURST, cfg.anomalies().get(a).magnitude()));
    }
    for (Pending p : saturations) {
      p.details()
          .put("pixels", (double) clipDisk(raw, p.target().cx, p.target().cy, p.magnitude()));
    }

    List<InjectedAnomaly> records = new ArrayList<>();
    for (Pending p : injected) {
      if (p.type() == AnomalyType.AREA_CHANGE && p.applied()) {
        p.details().put("areaAfter", (double) p.target().area);
      }
      records.add(
          new InjectedAnomaly(
              p.type(), t, p.trackLabel(), p.magnitude(), p.applied(), p.details()));
    }
    List<CellTruth> truth = new ArrayList<>();
    for (Cell c : cells) {
      if (c.track != 0) {
        truth.add(
            new CellTruth(
                c.track,
                c.y,
                t == 0 ? CellTruth.Role.INITIAL : c.role,
                c.gamma,
                c.excess,
                c.area,
                c.cx,
                c.cy,
                c.nbr.length,
                c.touches));
      }
    }
    truth.sort(Comparator.comparingInt(CellTruth::label));
    return new SimulatedFrame(
        t,
        t * cfg.frameIntervalSeconds(),
        new RawPlane(width, height, PixelType.UINT16, raw),
        labels,
        dropped,
        k,
        truth,
        records);
  }

  /** Continues, starts and ends tracks from this frame's visibility. */
  private void assignTracks(int t, LabelStats st) {
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      c.area = st.area[i];
      c.touches = st.touchesBorder[i];
      if (c.area > 0) {
        c.cx = st.centroidX(i);
        c.cy = st.centroidY(i);
        if (c.track == 0) {
          if (nextLabel > MAX_LABEL) {
            throw new IllegalStateException(
                "more than " + MAX_LABEL + " tracks: 16-bit label images cannot hold them");
          }
          c.track = nextLabel++;
          tracks.put(c.track, new TrackRecord(c.track, t, t, c.pendingParent, c.id, c.gamma));
        } else {
          TrackRecord r = tracks.get(c.track);
          tracks.put(
              c.track, new TrackRecord(r.label(), r.begin(), t, r.parent(), r.cellId(), r.gamma()));
        }
      } else {
        c.track = 0;
        c.touches = false;
      }
      c.pendingParent = 0;
    }
  }

  /** Ad(i) with weights w_ij = u_ij·l_ij / couplingScale, from this frame's label image. */
  private void linkNeighbours(LabelStats st) {
    int n = cells.size();
    int[] count = new int[n];
    for (int p = 0; p < st.pairCount; p++) {
      if (st.pairLength[p] >= cfg.minSharedBorder()) {
        count[st.pairA[p]]++;
        count[st.pairB[p]]++;
      }
    }
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      c.nbr = new Cell[count[i]];
      c.nbrWeight = new double[count[i]];
      count[i] = 0;
    }
    for (int p = 0; p < st.pairCount; p++) {
      int l = st.pairLength[p];
      if (l < cfg.minSharedBorder()) {
        continue;
      }
      Cell a = cells.get(st.pairA[p]);
      Cell b = cells.get(st.pairB[p]);
      double ux = a.cx - b.cx;
      double uy = a.cy - b.cy;
      double w = Math.sqrt(ux * ux + uy * uy) * l / cfg.couplingScale();
      int ia = st.pairA[p];
      int ib = st.pairB[p];
      a.nbr[count[ia]] = b;
      a.nbrWeight[count[ia]++] = w;
      b.nbr[count[ib]] = a;
      b.nbrWeight[count[ib]++] = w;
    }
  }

  /**
   * Expected value of an ordinary pixel of a cell with signal y, ADU: exp(a + b·y) − 1, at least 0
   * and at most 131070 (twice the maximum: above, the pixel saturates anyway).
   */
  private double expectedAdu(double y) {
    double v = StrictMath.exp(cfg.renderA() + cfg.renderB() * y) - 1;
    return Math.max(0, Math.min(2 * 65535.0, v));
  }

  /** Noise on the piecewise-constant image: a Poisson table per cell, one for background. */
  private void addNoise(int t, byte[] raw, PoissonTable[] photons, PoissonTable background) {
    noiseStrips(
        t,
        raw,
        (r, p) -> {
          int o = owner[p];
          return (o > 0 ? photons[o - 1] : background).sample(r.nextDouble());
        });
  }

  /** Noise on an arbitrary expected image (anomaly frames): PTRS per pixel. */
  private void addNoise(int t, byte[] raw, float[] expected) {
    double gain = cfg.gain();
    noiseStrips(t, raw, (r, p) -> r.poisson(expected[p] / gain));
  }

  private interface PhotonSource {
    long photons(Rng r, int pixel);
  }

  /**
   * raw = clip(round(gain·photons + readNoise·N(0, 1)), 0, 65535), little-endian, in strips of 16
   * rows with one random stream each (so the result does not depend on the thread count).
   */
  private void noiseStrips(int t, byte[] raw, PhotonSource source) {
    int strips = (height + NOISE_STRIP_ROWS - 1) / NOISE_STRIP_ROWS;
    double gain = cfg.gain();
    double read = cfg.readNoise();
    IntStream.range(0, strips)
        .parallel()
        .forEach(
            s -> {
              Rng r = Rng.of(cfg.seed(), STREAM_NOISE, ((long) t << 24) | s);
              int from = s * NOISE_STRIP_ROWS * width;
              int to = Math.min(height, (s + 1) * NOISE_STRIP_ROWS) * width;
              for (int p = from; p < to; p++) {
                double v = gain * source.photons(r, p);
                if (read > 0) {
                  v += read * r.gaussian();
                }
                int q = (int) Math.max(0, Math.min(65535, Math.floor(v + 0.5)));
                raw[2 * p] = (byte) q;
                raw[2 * p + 1] = (byte) (q >>> 8);
              }
            });
  }

  /** {@code count} hot pixels, or a Poisson number at the configured rate when negative. */
  private void hotPixels(Rng r, byte[] raw, long count) {
    int pixels = width * height;
    long n = count >= 0 ? count : r.poisson(cfg.hotPixelRate() * pixels);
    for (long i = 0; i < n; i++) {
      int p = r.nextInt(pixels);
      raw[2 * p] = (byte) 0xFF;
      raw[2 * p + 1] = (byte) 0xFF;
    }
  }

  private int clipDisk(byte[] raw, double cx, double cy, double radius) {
    int count = 0;
    int x0 = Math.max(0, (int) Math.floor(cx - radius));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + radius));
    int y0 = Math.max(0, (int) Math.floor(cy - radius));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + radius));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x - cx;
        double dy = y - cy;
        if (dx * dx + dy * dy <= radius * radius) {
          int p = y * width + x;
          raw[2 * p] = (byte) 0xFF;
          raw[2 * p + 1] = (byte) 0xFF;
          count++;
        }
      }
    }
    return count;
  }

  /** In-place box blur of radius r (window 2r + 1, edges clamped), rows then columns. */
  static void boxBlur(float[] img, int w, int h, int r) {
    float[] line = new float[Math.max(w, h)];
    float norm = 1f / (2 * r + 1);
    for (int y = 0; y < h; y++) {
      blurLine(img, y * w, 1, w, r, norm, line);
    }
    for (int x = 0; x < w; x++) {
      blurLine(img, x, w, h, r, norm, line);
    }
  }

  private static void blurLine(
      float[] img, int off, int stride, int len, int r, float norm, float[] tmp) {
    for (int i = 0; i < len; i++) {
      tmp[i] = img[off + i * stride];
    }
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      sum += tmp[Math.max(0, Math.min(len - 1, i))];
    }
    for (int i = 0; i < len; i++) {
      img[off + i * stride] = (float) (sum * norm);
      sum += tmp[Math.min(len - 1, i + r + 1)] - tmp[Math.max(0, i - r)];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Layout

  /** A smooth blob: radius r0·(1 + h1·sin(2θ + p1) + h2·sin(3θ + p2)) around (cx, cy). */
  private record Footprint(
      double cx, double cy, double r0, double h1, double p1, double h2, double p2) {
    boolean contains(double x, double y) {
      double dx = x - cx;
      double dy = y - cy;
      double th = StrictMath.atan2(dy, dx);
      double r = r0 * (1 + h1 * StrictMath.sin(2 * th + p1) + h2 * StrictMath.sin(3 * th + p2));
      return dx * dx + dy * dy <= r * r;
    }

    double area() {
      return Math.PI * r0 * r0 * (1 + (h1 * h1 + h2 * h2) / 2);
    }

    double maxRadius() {
      return r0 * (1 + h1 + h2);
    }
  }

  /** Dart throwing with a minimum distance of 0.7 × spacing inside the footprint. */
  private List<double[]> placeSeeds(Footprint fp, int target, Rng r) {
    double min = 0.7 * spacing;
    double reach = fp.maxRadius();
    List<double[]> out = new ArrayList<>();
    double[] xs = new double[target];
    double[] ys = new double[target];
    SeedGrid grid = new SeedGrid(0, min, i -> xs[i], i -> ys[i]);
    long attempts = 0;
    long maxAttempts = 200L * target + 1000;
    while (out.size() < target && attempts++ < maxAttempts) {
      double x = fp.cx() + r.uniform(-reach, reach);
      double y = fp.cy() + r.uniform(-reach, reach);
      if (!fp.contains(x, y)) {
        continue;
      }
      boolean[] close = {false};
      grid.forNear(
          x,
          y,
          j -> {
            double dx = xs[j] - x;
            double dy = ys[j] - y;
            if (dx * dx + dy * dy < min * min) {
              close[0] = true;
            }
          });
      if (close[0]) {
        continue;
      }
      xs[out.size()] = x;
      ys[out.size()] = y;
      grid.add(out.size());
      out.add(new double[] {x, y});
    }
    if (out.size() < target) {
      LOG.debug("placed {} of {} seeds", out.size(), target);
    }
    return out;
  }

  /** 20 rounds of strong repulsion so that the first frames do not start with a jolt. */
  private void relax(List<double[]> seeds) {
    int n = seeds.size();
    double range = REPULSION_RANGE * spacing;
    for (int round = 0; round < 20; round++) {
      double[] dx = new double[n];
      double[] dy = new double[n];
      SeedGrid grid = new SeedGrid(n, range, i -> seeds.get(i)[0], i -> seeds.get(i)[1]);
      for (int i = 0; i < n; i++) {
        double[] s = seeds.get(i);
        final int self = i;
        grid.forNear(
            s[0],
            s[1],
            j -> {
              if (j == self) {
                return;
              }
              double ex = s[0] - seeds.get(j)[0];
              double ey = s[1] - seeds.get(j)[1];
              double d = Math.sqrt(ex * ex + ey * ey);
              if (d < range && d > 1e-9) {
                double push = 0.25 * (range - d) / d;
                dx[self] += push * ex;
                dy[self] += push * ey;
              }
            });
      }
      for (int i = 0; i < n; i++) {
        seeds.get(i)[0] += dx[i];
        seeds.get(i)[1] += dy[i];
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /** One physical cell (a seed of the tessellation) and its calcium state. */
  private static final class Cell {
    final long id;
    final Rng rng;
    double ax;
    double ay; // anchor, px
    double jx;
    double jy; // jitter, px
    double px;
    double py; // seed position this frame, px
    double omega; // power weight, px²
    double rmaxFactor = 1;
    double y; // calcium, signal units
    double gamma;
    double baseline;
    double amp1;
    double freq1;
    double phase1;
    double amp2;
    double freq2;
    double phase2;
    double spike;
    double excess;
    double divisionDraw;
    double nearest = Double.POSITIVE_INFINITY;
    int born;
    boolean ghost;
    boolean noDivision;
    int track; // label in the last rendered frame, 0 if not visible there
    int pendingParent;
    CellTruth.Role role = CellTruth.Role.INITIAL;
    // measured in the last rendered frame
    int area;
    double cx;
    double cy;
    boolean touches;
    Cell[] nbr = new Cell[0];
    double[] nbrWeight = new double[0];

    Cell(long id, Rng rng) {
      this.id = id;
      this.rng = rng;
    }

    void initialiseSignal(SimulationConfig cfg) {
      gamma = cfg.gammaMin() + (cfg.gammaMax() - cfg.gammaMin()) * rng.nextDouble();
      baseline = cfg.baselineSignal() + rng.uniform(-BASELINE_SPREAD, BASELINE_SPREAD);
      amp1 = rng.uniform(0.02, 0.06);
      freq1 = 2 * Math.PI / rng.uniform(60, 300);
      phase1 = rng.uniform(0, 2 * Math.PI);
      amp2 = rng.uniform(0.02, 0.06);
      freq2 = 2 * Math.PI / rng.uniform(60, 300);
      phase2 = rng.uniform(0, 2 * Math.PI);
      double sd = cfg.cellJitter();
      jx = sd * rng.gaussian();
      jy = sd * rng.gaussian();
      y = baseline + amp1 * StrictMath.sin(phase1) + amp2 * StrictMath.sin(phase2);
    }

    Cell daughter(long newId, int t, double ox, double oy) {
      Cell d = new Cell(newId, rng.split());
      d.ax = ax + ox;
      d.ay = ay + oy;
      d.jx = jx;
      d.jy = jy;
      d.omega = omega;
      d.rmaxFactor = rmaxFactor;
      d.y = y;
      d.gamma = gamma;
      d.baseline = baseline;
      d.amp1 = amp1;
      d.freq1 = freq1;
      d.phase1 = phase1;
      d.amp2 = amp2;
      d.freq2 = freq2;
      d.phase2 = phase2;
      d.spike = spike;
      d.excess = excess;
      d.role = role;
      d.born = t;
      d.nearest = 0;
      d.pendingParent = track;
      return d;
    }
  }

  /** Bucket grid over points given by index, for neighbour queries within one bucket size. */
  private static final class SeedGrid {
    private final double size;
    private final IntToDoubleFunction x;
    private final IntToDoubleFunction y;
    private final Map<Long, int[]> buckets = new HashMap<>();

    SeedGrid(int n, double size, IntToDoubleFunction x, IntToDoubleFunction y) {
      this.size = size;
      this.x = x;
      this.y = y;
      for (int i = 0; i < n; i++) {
        add(i);
      }
    }

    private static long key(long bx, long by) {
      return (bx << 32) ^ (by & 0xFFFFFFFFL);
    }

    void add(int i) {
      long bx = (long) Math.floor(x.applyAsDouble(i) / size);
      long by = (long) Math.floor(y.applyAsDouble(i) / size);
      buckets.merge(
          key(bx, by),
          new int[] {i},
          (a, b) -> {
            int[] c = Arrays.copyOf(a, a.length + 1);
            c[a.length] = b[0];
            return c;
          });
    }

    /** Calls {@code f} for every point in the 3×3 buckets around (px, py), in insertion order. */
    void forNear(double px, double py, IntConsumer f) {
      long bx = (long) Math.floor(px / size);
      long by = (long) Math.floor(py / size);
      for (long dy = -1; dy <= 1; dy++) {
        for (long dx = -1; dx <= 1; dx++) {
          int[] b = buckets.get(key(bx + dx, by + dy));
          if (b != null) {
            for (int i : b) {
              f.accept(i);
            }
          }
        }
      }
    }
  }
}
