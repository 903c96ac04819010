package io.cytostream.ingest.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * {@code hotPixelRate}) are 65535. Labels are the track labels, junction pixels included. A {@link
 * RenderStyle} in the config (default: none of this) makes nuclei small and separated, cells
 * bigger, the image dim, the illumination uneven, the stage drift or the digitiser 8 or 12 bits.
 *
 * <p><b>Determinism.</b> Every random draw comes from a named SplitMix64 stream ({@link Rng}) and
 * all maths that feeds the output uses {@link StrictMath}, so a config gives the same frames, bit
 * for bit, on any JVM and thread count. Each cell lineage, noise strip, frame's hot pixels and
 * anomaly has its own stream: injecting an anomaly changes only what it touches.
 *
 * <p><b>Parts.</b> {@link CultureLayout} lays the culture out, {@link CultureMotion} moves it,
 * {@link CellDivision} divides cells, {@link CalciumDynamics} runs the model ({@link
 * ConsensusModel}), {@link AnomalyInjector} injects anomalies, {@link FrameRenderer} and {@link
 * CameraNoise} draw the frame, {@link TrackBook} keeps the ground-truth tracks; this class runs
 * them in order, frame by frame.
 *
 * <p><b>Use.</b> As an {@link Iterator} over all {@code frames} time steps (dropped frames
 * included, flagged); {@link #delivered()} is the camera's view for a live publisher (dropped
 * frames skipped); {@link CtcWriter} writes a Cell Tracking Challenge directory. Cost is O(pixels +
 * cells) per frame (seeds are bucketed; rendering and noise run in parallel). Not thread-safe.
 */
public final class CultureSimulator implements Iterator<SimulatedFrame> {
  private static final long STREAM_INIT = 1;
  private static final long STREAM_CELL = 2;
  static final double SPIKE_DECAY_SECONDS = 8;

  private final SimulationConfig cfg;
  private final double spacing;
  private final List<Cell> cells = new ArrayList<>();
  private final CultureMotion motion;
  private final CalciumDynamics calcium;
  private final AnomalyInjector anomalies;
  private final FrameRenderer renderer;
  private final TrackBook tracks = new TrackBook();
  private long nextCellId;
  private int index;

  /** A simulator at frame 0 of {@code config}; the culture is laid out here (cheap). */
  public CultureSimulator(SimulationConfig config) {
    this.cfg = config;
    Rng init = Rng.of(config.seed(), STREAM_INIT, 0);
    CultureLayout layout = CultureLayout.lay(config, init);
    this.spacing = layout.spacing;
    this.motion = new CultureMotion(config, spacing, init);
    this.calcium = new CalciumDynamics(config);
    this.anomalies = new AnomalyInjector(config);
    this.renderer = new FrameRenderer(config, spacing);
    for (int i = 0; i < layout.anchors.size(); i++) {
      Cell c = new Cell(nextCellId++, Rng.of(config.seed(), STREAM_CELL, i));
      c.ax = layout.anchors.get(i)[0];
      c.ay = layout.anchors.get(i)[1];
      c.initialise(config);
      c.born = -CellDivision.MIN_DIVISION_AGE;
      cells.add(c);
    }
    motion.placeSeeds(cells, 0);
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
    return calcium.maxEulerGain();
  }

  /**
   * The tracks so far, by label ({@code end} is the last frame produced so far for tracks still
   * running).
   */
  public List<TrackRecord> tracks() {
    return tracks.tracks();
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
    List<AnomalyInjector.Pending> injected = new ArrayList<>();
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

  /** The step from frame t − 1 to t: anomalies, per-cell draws, calcium, motion, division. */
  private void step(int t, List<AnomalyInjector.Pending> injected) {
    for (Cell c : cells) {
      c.excess = 0;
      c.noDivision = false;
    }
    anomalies.applyToStep(t, cells, calcium, injected);
    double dt = cfg.frameIntervalSeconds();
    double decay = StrictMath.exp(-dt / SPIKE_DECAY_SECONDS);
    double pSpike = Math.min(1, cfg.inputSpikeRate() * dt);
    for (Cell c : cells) {
      // Fixed draws per cell and frame keep each lineage's stream aligned whatever happens.
      double g1 = c.rng.gaussian();
      double g2 = c.rng.gaussian();
      double uSpike = c.rng.nextDouble();
      double uAmp = c.rng.nextDouble();
      c.divisionDraw = c.rng.nextDouble();
      motion.advanceJitter(c, g1, g2);
      c.input.advanceSpikes(decay, uSpike, pSpike, uAmp, cfg.inputSpikeAmplitude());
    }
    calcium.step(cells, t);
    motion.repel(cells);
    motion.placeSeeds(cells, t);
    CellDivision.divide(cells, t, spacing, cfg.divisionProbability(), () -> nextCellId++);
  }

  /** Renders frame t: labels, tracks, neighbours, frame anomalies, pixels, truth. */
  private SimulatedFrame render(int t, List<AnomalyInjector.Pending> injected) {
    LabelStats st = renderer.tessellate(cells);
    tracks.assign(t, cells, st);
    calcium.link(cells, st);
    short[] labels = renderer.labels(cells);
    AnomalyInjector.FrameEffects fx = anomalies.applyToFrame(t, cells, injected);
    byte[] raw = renderer.expose(t, cells, fx.collapse);
    anomalies.finishImage(raw, fx, renderer.camera());
    List<InjectedAnomaly> records = AnomalyInjector.records(t, injected);
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
        renderer.plane(raw),
        labels,
        fx.dropped,
        calcium.k(),
        truth,
        records);
  }
}
