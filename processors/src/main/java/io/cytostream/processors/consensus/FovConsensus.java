package io.cytostream.processors.consensus;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.anomaly.AnomalyPipeline;
import io.cytostream.processors.anomaly.CellEstimate;
import io.cytostream.processors.anomaly.DriftDetector;
import io.cytostream.processors.anomaly.Suppressed;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CellStatistics;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.ConsensusSolution;
import io.cytostream.state.consensus.CrlsmConfig;
import io.cytostream.state.consensus.Innovation;
import io.cytostream.state.consensus.RegressionRow;
import io.cytostream.state.consensus.RegressionRowBuilder;
import io.cytostream.state.consensus.Retired;
import io.cytostream.state.consensus.StreamingCrlsm;
import io.cytostream.state.consensus.TraceFit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consensus stage of one FOV, Kafka-free: takes tracked frames in frame order and, per frame,
 *
 * <ol>
 *   <li>builds the regression rows of DESIGN.md section 4 ({@link RegressionRowBuilder}; border
 *       cells are inputs only) from the frame as {@link ConsensusWireMapper} maps it;
 *   <li>runs each cell's RLS filter: its innovation goes to the row tests of the {@link
 *       AnomalyPipeline} (unexplained spike, CUSUM drift); a spike is reported and <em>not</em>
 *       absorbed by the filter; after a drift alarm the filter's covariance is inflated so that it
 *       re-learns;
 *   <li>adds every row to the streaming CRLSM and solves it exactly (the paper's estimator over the
 *       same rows, spikes included, so that it equals the offline CRLSM);
 *   <li>runs the frame tests of the {@link AnomalyPipeline}: aberrant cells (robust z of k_i, γ_i),
 *       the tracking events (lost tracks, divisions, area changes) and the frame's data quality;
 *   <li>re-simulates every modelled cell's kept trace with the new solution ({@link TraceFit}, the
 *       paper's fit metric), per cell and pooled over the FOV.
 * </ol>
 *
 * <p>This class keeps the model state (row builder, filters, CRLSM); the anomaly tests live in
 * {@link AnomalyPipeline} and the mapping to and from the wire records in {@link
 * ConsensusWireMapper}. State is split for the state stores: {@link FovRecord} per FOV and {@link
 * CellRecord} per cell; {@link Step} says which cell records changed and which were retired.
 *
 * <p>Bounded state: a cell not seen for more than {@link ConsensusSettings#retireAfterFrames()}
 * frames is retired — the CRLSM folds its rows into the FOV's sums ({@link StreamingCrlsm#retire}:
 * k unchanged, its γ no longer published), its filter, innovation and test state are dropped and
 * its stored record is to be deleted — so that state, per-frame work and the published estimate
 * grow with the cells alive, not with the length of the run.
 */
public final class FovConsensus {
  /** Covariance inflation of a cell's filter after a drift alarm, so it re-learns quickly. */
  static final double DRIFT_INFLATION = 100;

  /**
   * Frames with rows before k on a bound is reported: the first few rows may put it there for a
   * moment.
   */
  static final long K_AT_BOUND_MIN_FRAMES = 10;

  private final ConsensusSettings settings;
  private final ConsensusWireMapper wire;
  private final RegressionRowBuilder rows;
  private final StreamingCrlsm crlsm;
  private final Map<Long, CellRls> filters = new HashMap<>();
  private final Map<Long, Innovation> lastInnovation = new HashMap<>();
  private final TreeMap<Long, Long> lastSeen = new TreeMap<>();
  private final List<CellRecord> retiredRecords = new ArrayList<>();
  private final AnomalyPipeline tests;
  private boolean kAtBoundReported;
  private final TraceFit traces;

  /**
   * The outcome of one frame.
   *
   * @param states one state per cell of the frame
   * @param estimate the FOV's CRLSM solution (null while there are no rows)
   * @param anomalies anomalies found at this frame
   * @param fovRecord the FOV-level state to store
   * @param changedCells the cell records to store
   * @param retiredCells track ids retired at this frame, whose cell records are to be deleted
   * @param suppressed anomalies found at this frame and not published, because a segmentation or
   *     tracking event (or an image event) explains them, each with its reason
   */
  public record Step(
      List<CellState> states,
      ConsensusEstimate estimate,
      List<Anomaly> anomalies,
      FovRecord fovRecord,
      List<CellRecord> changedCells,
      List<Long> retiredCells,
      List<Suppressed> suppressed) {}

  private FovConsensus(
      String fov,
      ConsensusSettings settings,
      AnomalyConfig anomalies,
      FovRecord f,
      Collection<CellRecord> cells,
      int traceWindowSteps) {
    // this FOV's coupling scale, bounds and border cells
    settings = settings.forFov(fov);
    this.settings = settings;
    this.wire = new ConsensusWireMapper(fov, settings);
    if (f == null) {
      rows = new RegressionRowBuilder(settings.maxFrameGap());
      crlsm = new StreamingCrlsm(settings.crlsm());
      tests = AnomalyPipeline.create(anomalies);
      traces = new TraceFit(traceWindowSteps);
    } else {
      rows = RegressionRowBuilder.restore(f.rows());
      List<CellStatistics> stats = new ArrayList<>();
      List<CellStatistics> kept = new ArrayList<>();
      List<DriftDetector.CusumState> cusums = new ArrayList<>();
      List<TraceFit.CellTrace> keptTraces = new ArrayList<>();
      for (CellRecord c : cells) {
        if (c.trace() != null) {
          keptTraces.add(c.trace());
        }
        if (c.retired()) {
          kept.add(c.statistics());
        } else if (c.statistics() != null) {
          stats.add(c.statistics());
        }
        if (c.cusum() != null) {
          cusums.add(c.cusum());
        }
        if (c.rls() != null) {
          filters.put(c.trackId(), CellRls.restore(c.rls(), settings.rls()));
        }
        if (c.lastInnovation() != null) {
          lastInnovation.put(c.trackId(), c.lastInnovation());
        }
      }
      stats.sort((a, b) -> Long.compare(a.trackId(), b.trackId()));
      crlsm =
          StreamingCrlsm.restore(
              new StreamingCrlsm.Snapshot(
                  settings.crlsm(),
                  stats,
                  f.currentFrame(),
                  f.framesUsed(),
                  f.rowsUsed(),
                  f.sumDtSeconds(),
                  (f.retired() == null ? Retired.none() : f.retired()).withKept(kept)));
      if (f.lastSeen() != null) {
        lastSeen.putAll(f.lastSeen());
      }
      tests =
          AnomalyPipeline.restore(
              anomalies,
              cusums,
              f.aberrant(),
              f.field(),
              f.tracking(),
              f.quality(),
              f.borderTracks());
      kAtBoundReported = f.kAtBoundReported();
      traces = TraceFit.restore(traceWindowSteps, keptTraces);
    }
  }

  /** A FOV seen for the first time. */
  public static FovConsensus create(String fov, ConsensusSettings s, AnomalyConfig a) {
    return create(fov, s, a, TraceFit.DEFAULT_WINDOW_STEPS);
  }

  /**
   * A FOV seen for the first time, whose re-simulation metric covers each cell's last {@code
   * traceWindowSteps} steps (0: the whole trace, as the paper's batch metric; the state then grows
   * with the movie, so this is for offline use).
   */
  public static FovConsensus create(
      String fov, ConsensusSettings s, AnomalyConfig a, int traceWindowSteps) {
    return new FovConsensus(fov, s, a, null, List.of(), traceWindowSteps);
  }

  /** A FOV restored from its stored records. */
  public static FovConsensus restore(
      String fov, ConsensusSettings s, AnomalyConfig a, FovRecord f, Collection<CellRecord> cells) {
    return new FovConsensus(fov, s, a, f, cells, TraceFit.DEFAULT_WINDOW_STEPS);
  }

  /** Processes the next frame (frames must come in increasing frame order). */
  public Step step(TrackedFrame tf) {
    Map<Long, TrackedFrame.Cell> byTrack = new LinkedHashMap<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      byTrack.put(c.trackId(), c);
    }
    // Modelling starts with the first two frames whose normalisation has settled.
    List<RegressionRow> frameRows = List.of();
    if (wire.settled(tf)) {
      ConsensusFrame before = rows.previous();
      ConsensusFrame frame = wire.consensusFrame(tf);
      frameRows = rows.accept(frame);
      traces.record(before, frame, frameRows);
    }

    List<Anomaly> found = new ArrayList<>();
    for (RegressionRow row : frameRows) {
      CellRls filter = filter(row.trackId(), byTrack.get(row.trackId()));
      // innovate, test for a spike and for drift, absorb the row only if it is not a spike,
      // re-open the filter after drift
      Innovation in = filter.innovate(row);
      AnomalyPipeline.RowVerdict verdict = tests.testRow(in);
      found.addAll(verdict.anomalies());
      if (verdict.absorb()) {
        filter.update(row);
      }
      if (verdict.drifted()) {
        filter.inflate(DRIFT_INFLATION);
      }
      lastInnovation.put(row.trackId(), in);
    }
    crlsm.update(tf.frameIndex(), frameRows);
    List<Long> retired = retire(tf);
    ConsensusSolution solution = crlsm.solve();

    List<CellEstimate> estimates = new ArrayList<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      CellRls f = filters.get(c.trackId());
      if (f != null && !c.onBorder()) {
        estimates.add(new CellEstimate(c.trackId(), f.k(), f.gamma(), f.rows()));
      }
    }
    found.addAll(tests.testFrame(wire.frameFacts(tf, estimates)));
    // spikes that an image event or a culture-wide change explains are not published
    found = tests.explain(found, frameRows.size());

    ConsensusSolution solved = solution.rowsUsed() > 0 ? solution : null;
    if (solved != null
        && solved.kAtBound()
        && !kAtBoundReported
        && !frameRows.isEmpty()
        && solved.framesUsed() >= K_AT_BOUND_MIN_FRAMES) {
      kAtBoundReported = true;
      found.add(KAtBound.anomaly(solved));
    }
    TraceFit.Evaluation fit = solved == null ? null : traces.evaluate(solved);
    List<CellState> states = new ArrayList<>(tf.cells().size());
    for (TrackedFrame.Cell c : tf.cells()) {
      states.add(
          wire.cellState(
              tf,
              c,
              filters.get(c.trackId()),
              lastInnovation.get(c.trackId()),
              solved,
              fit == null ? null : fit.cellMse().get(c.trackId())));
    }
    return new Step(
        states,
        solved == null ? null : wire.estimate(tf, solved, fit, traces.windowSteps()),
        found,
        fovRecord(),
        changedCells(frameRows),
        retired,
        tests.takeSuppressed());
  }

  /**
   * Notes the frame's cells as seen and retires the cells not seen for more than {@link
   * ConsensusSettings#retireAfterFrames()} frames; returns those that have a stored record.
   */
  private List<Long> retire(TrackedFrame tf) {
    for (TrackedFrame.Cell c : tf.cells()) {
      lastSeen.put(c.trackId(), tf.frameIndex());
    }
    int after = settings.retireAfterFrames();
    if (after <= 0) {
      return List.of();
    }
    List<Long> gone = new ArrayList<>();
    // eq. 1: the modelled cell is never retired (its γ is the fit's); the others are inputs only
    CrlsmConfig c = settings.crlsm();
    long modelled = c.parameterisation() == CrlsmConfig.Parameterisation.EQ1 ? c.modelledCell() : 0;
    for (Map.Entry<Long, Long> e : lastSeen.entrySet()) {
      if (tf.frameIndex() - e.getValue() > after && e.getKey() != modelled) {
        gone.add(e.getKey());
      }
    }
    if (gone.isEmpty()) {
      return List.of();
    }
    Set<Long> keptBefore = keptIds();
    crlsm.retire(gone);
    Set<Long> stored = new TreeSet<>(keptBefore);
    for (long id : gone) {
      lastSeen.remove(id);
      // a cell has a stored record from its first row on, when its filter is made
      if (filters.remove(id) != null) {
        stored.add(id);
      }
      lastInnovation.remove(id);
      traces.forget(id);
      tests.forget(id);
    }
    // cells the CRLSM keeps whole are rewritten as retired records, the others deleted
    List<Long> deleted = new ArrayList<>();
    for (CellStatistics s : crlsm.retired().kept()) {
      if (!keptBefore.contains(s.trackId())) {
        retiredRecords.add(new CellRecord(s.trackId(), s, null, null, null, null, true));
      }
      stored.remove(s.trackId());
    }
    deleted.addAll(stored);
    return deleted;
  }

  private Set<Long> keptIds() {
    Set<Long> ids = new TreeSet<>();
    crlsm.retired().kept().forEach(s -> ids.add(s.trackId()));
    return ids;
  }

  /** The cell's filter; a new track starts from its parent's filter when it has one. */
  private CellRls filter(long trackId, TrackedFrame.Cell cell) {
    CellRls filter = filters.get(trackId);
    if (filter == null) {
      CellRls parent =
          cell != null && cell.parentTrackId() > 0 ? filters.get(cell.parentTrackId()) : null;
      filter =
          parent == null
              ? new CellRls(trackId, settings.rls())
              : CellRls.daughterOf(trackId, parent.snapshot(), settings.rls());
      filters.put(trackId, filter);
    }
    return filter;
  }

  private List<CellRecord> changedCells(List<RegressionRow> frameRows) {
    List<CellRecord> changed = new ArrayList<>(retiredRecords);
    retiredRecords.clear();
    Map<Long, CellStatistics> stats = crlsm.statistics();
    for (RegressionRow row : frameRows) {
      long id = row.trackId();
      CellRls f = filters.get(id);
      changed.add(
          new CellRecord(
              id,
              stats.get(id),
              f == null ? null : f.snapshot(),
              tests.cusum(id),
              lastInnovation.get(id),
              traces.traces().get(id),
              false));
    }
    return changed;
  }

  private FovRecord fovRecord() {
    StreamingCrlsm.Snapshot snap = crlsm.snapshot();
    return new FovRecord(
        rows.snapshot(),
        snap.currentFrame(),
        snap.framesUsed(),
        snap.rowsUsed(),
        snap.sumDtSeconds(),
        tests.aberrantState(),
        tests.trackingState(),
        tests.qualityState(),
        tests.borderTracks(),
        kAtBoundReported,
        snap.retired().withKept(List.of()), // the cells kept whole are in their cell records
        new TreeMap<>(lastSeen),
        tests.fieldState());
  }
}
