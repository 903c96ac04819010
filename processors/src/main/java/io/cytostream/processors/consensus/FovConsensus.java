package io.cytostream.processors.consensus;

import io.cytostream.processors.anomaly.AberrantCellDetector;
import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.processors.anomaly.CellEstimate;
import io.cytostream.processors.anomaly.DataQualityDetector;
import io.cytostream.processors.anomaly.DriftDetector;
import io.cytostream.processors.anomaly.FrameQuality;
import io.cytostream.processors.anomaly.SpikeDetector;
import io.cytostream.processors.anomaly.TrackObservation;
import io.cytostream.processors.anomaly.TrackingDetector;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.CellStatistics;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.ConsensusSolution;
import io.cytostream.state.consensus.CrlsmConfig;
import io.cytostream.state.consensus.Innovation;
import io.cytostream.state.consensus.NeighbourLink;
import io.cytostream.state.consensus.RegressionRow;
import io.cytostream.state.consensus.RegressionRowBuilder;
import io.cytostream.state.consensus.StreamingCrlsm;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The consensus stage of one FOV, Kafka-free: takes tracked frames in frame order and, per frame,
 *
 * <ol>
 *   <li>builds the regression rows of DESIGN.md section 4 ({@link RegressionRowBuilder}; border
 *       cells are inputs only);
 *   <li>runs each cell's RLS filter: its innovation is tested for an unexplained spike and by the
 *       cell's CUSUM drift test; a spike is reported and <em>not</em> absorbed by the filter; after
 *       a drift alarm the filter's covariance is inflated so that it re-learns;
 *   <li>adds every row to the streaming CRLSM and solves it exactly (the paper's estimator over the
 *       same rows, spikes included, so that it equals the offline CRLSM);
 *   <li>tests the culture for aberrant cells (robust z of k_i, γ_i), the tracking events (lost
 *       tracks, divisions, area changes) and the frame's data quality.
 * </ol>
 *
 * <p>State is split for the state stores: {@link FovRecord} per FOV and {@link CellRecord} per
 * cell; {@link Step} says which cell records changed. Dropped and out-of-order frames are raised by
 * the track stage, which sees arrival order, so they are not raised again here.
 */
public final class FovConsensus {
  /** Covariance inflation of a cell's filter after a drift alarm, so it re-learns quickly. */
  static final double DRIFT_INFLATION = 100;

  private final ConsensusSettings settings;
  private final String fov;
  private final RegressionRowBuilder rows;
  private final StreamingCrlsm crlsm;
  private final Map<Long, CellRls> filters = new HashMap<>();
  private final Map<Long, Innovation> lastInnovation = new HashMap<>();
  private final SpikeDetector spikes;
  private final DriftDetector drift;
  private final AberrantCellDetector aberrant;
  private final TrackingDetector tracking;
  private final DataQualityDetector quality;
  private final Set<Long> borderTracks = new TreeSet<>();

  /**
   * The outcome of one frame.
   *
   * @param states one state per cell of the frame
   * @param estimate the FOV's CRLSM solution (null while there are no rows)
   * @param anomalies anomalies found at this frame
   * @param fovRecord the FOV-level state to store
   * @param changedCells the cell records to store
   */
  public record Step(
      List<CellState> states,
      ConsensusEstimate estimate,
      List<Anomaly> anomalies,
      FovRecord fovRecord,
      List<CellRecord> changedCells) {}

  private FovConsensus(
      String fov,
      ConsensusSettings settings,
      AnomalyConfig anomalies,
      FovRecord f,
      Collection<CellRecord> cells) {
    this.fov = fov;
    this.settings = settings;
    this.spikes = new SpikeDetector(anomalies);
    if (f == null) {
      rows = new RegressionRowBuilder(settings.maxFrameGap());
      crlsm = new StreamingCrlsm(settings.crlsm());
      drift = new DriftDetector(anomalies);
      aberrant = new AberrantCellDetector(anomalies);
      tracking = new TrackingDetector(anomalies);
      quality = new DataQualityDetector(anomalies);
    } else {
      rows = RegressionRowBuilder.restore(f.rows());
      List<CellStatistics> stats = new ArrayList<>();
      List<DriftDetector.CusumState> cusums = new ArrayList<>();
      for (CellRecord c : cells) {
        if (c.statistics() != null) {
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
                  f.sumDtSeconds()));
      drift = DriftDetector.restore(anomalies, cusums);
      aberrant = AberrantCellDetector.restore(anomalies, f.aberrant());
      tracking = TrackingDetector.restore(anomalies, f.tracking());
      quality = DataQualityDetector.restore(anomalies, f.quality());
      if (f.borderTracks() != null) {
        borderTracks.addAll(f.borderTracks());
      }
    }
  }

  /** A FOV seen for the first time. */
  public static FovConsensus create(String fov, ConsensusSettings s, AnomalyConfig a) {
    return new FovConsensus(fov, s, a, null, List.of());
  }

  /** A FOV restored from its stored records. */
  public static FovConsensus restore(
      String fov, ConsensusSettings s, AnomalyConfig a, FovRecord f, Collection<CellRecord> cells) {
    return new FovConsensus(fov, s, a, f, cells);
  }

  private double signal(TrackedFrame.Cell c) {
    return "raw".equals(settings.signal()) ? c.meanIntensity() : c.normalizedIntensity();
  }

  /** Processes the next frame (frames must come in increasing frame order). */
  public Step step(TrackedFrame tf) {
    List<CellSample> samples = new ArrayList<>(tf.cells().size());
    Map<Long, TrackedFrame.Cell> byTrack = new LinkedHashMap<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      samples.add(new CellSample(c.trackId(), signal(c), c.onBorder(), c.parentTrackId()));
      byTrack.put(c.trackId(), c);
    }
    List<NeighbourLink> links = new ArrayList<>(tf.neighbours().size());
    double scale = settings.couplingScalePx2();
    for (TrackedFrame.Neighbours n : tf.neighbours()) {
      // w_ij = u_ij·l_ij / s: the border enters scaled so that φ uses the coupling weight
      links.add(
          new NeighbourLink(
              n.trackI(), n.trackJ(), n.sharedBorderPx() / scale, n.centroidDistancePx()));
    }
    // While the FOV's intensity normalisation is still calibrating, the map from raw intensity
    // to y changes from frame to frame; rows across such frames would measure the map's motion,
    // not the cells. Modelling starts with the first two settled frames.
    boolean settled =
        "raw".equals(settings.signal())
            || tf.quality() == null
            || tf.quality().normalizationSettled();
    List<RegressionRow> frameRows =
        settled
            ? rows.accept(new ConsensusFrame(tf.frameIndex(), tf.timeSeconds(), samples, links))
            : List.of();

    List<Anomaly> found = new ArrayList<>();
    for (RegressionRow row : frameRows) {
      TrackedFrame.Cell cell = byTrack.get(row.trackId());
      CellRls filter = filters.get(row.trackId());
      if (filter == null) {
        CellRls parent =
            cell != null && cell.parentTrackId() > 0 ? filters.get(cell.parentTrackId()) : null;
        filter =
            parent == null
                ? new CellRls(row.trackId(), settings.rls())
                : CellRls.daughterOf(row.trackId(), parent.snapshot(), settings.rls());
        filters.put(row.trackId(), filter);
      }
      // innovate, test for a spike and for drift (the CUSUM clips its input at the spike
      // threshold), absorb the row only if it is not a spike, re-open the filter after drift
      Innovation in = filter.innovate(row);
      List<Anomaly> spike = spikes.test(in);
      List<Anomaly> drifted = drift.test(in);
      found.addAll(spike);
      found.addAll(drifted);
      if (spike.isEmpty()) {
        filter.update(row);
      }
      if (!drifted.isEmpty()) {
        filter.inflate(DRIFT_INFLATION);
      }
      lastInnovation.put(row.trackId(), in);
    }
    ConsensusSolution solution = crlsm.updateAndSolve(tf.frameIndex(), frameRows);

    List<CellEstimate> estimates = new ArrayList<>();
    List<TrackObservation> observations = new ArrayList<>();
    List<Long> lost = new ArrayList<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      observations.add(new TrackObservation(c.trackId(), c.areaPx(), c.parentTrackId()));
      CellRls f = filters.get(c.trackId());
      if (f != null && !c.onBorder()) {
        estimates.add(new CellEstimate(c.trackId(), f.k(), f.gamma(), f.rows()));
      }
    }
    for (TrackedFrame.TrackEvent e : tf.events()) {
      if ("ended".equals(e.type())) {
        lost.add(e.trackId());
      }
    }
    found.addAll(aberrant.test(estimates));
    // cells cut by the image edge change area as they move in or out, and a track lost at the
    // edge is a cell leaving the field of view: neither is an anomaly
    Set<Long> onBorderNow = new HashSet<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      if (c.onBorder()) {
        onBorderNow.add(c.trackId());
      }
    }
    for (Anomaly a : tracking.test(tf.frameIndex(), observations, lost)) {
      boolean edge =
          (a.type() == AnomalyType.AREA_CHANGE && onBorderNow.contains(a.trackId()))
              || (a.type() == AnomalyType.TRACK_LOST && borderTracks.contains(a.trackId()));
      if (!edge) {
        found.add(a);
      }
    }
    borderTracks.removeAll(lost);
    for (TrackedFrame.Cell c : tf.cells()) {
      if (c.onBorder()) {
        borderTracks.add(c.trackId());
      } else {
        borderTracks.remove(c.trackId());
      }
    }
    if (tf.quality() != null) {
      for (Anomaly a :
          quality.test(
              new FrameQuality(
                  tf.frameIndex(),
                  tf.quality().hotPixels(),
                  tf.quality().saturatedFraction(),
                  tf.quality().meanRaw(),
                  tf.quality().sharpness()))) {
        if (a.type() != AnomalyType.DROPPED_FRAME && a.type() != AnomalyType.OUT_OF_ORDER_FRAME) {
          found.add(a);
        }
      }
    }

    boolean solved = solution.rowsUsed() > 0;
    List<CellState> states = new ArrayList<>(tf.cells().size());
    for (TrackedFrame.Cell c : tf.cells()) {
      CellRls f = filters.get(c.trackId());
      Innovation in = lastInnovation.get(c.trackId());
      boolean fresh = in != null && in.frameIndex() == tf.frameIndex();
      Double gammaConsensus = null;
      if (solved && solution.gamma().containsKey(c.trackId())) {
        gammaConsensus = solution.gamma().get(c.trackId());
      }
      states.add(
          new CellState(
              CellState.VERSION,
              fov,
              c.trackId(),
              tf.frameIndex(),
              tf.timeSeconds(),
              signal(c),
              c.onBorder(),
              f == null ? 0 : f.rows(),
              f == null ? null : finite(f.k()),
              f == null ? null : finite(f.gamma()),
              f == null ? null : finite(f.kStandardError()),
              f == null ? null : finite(f.gammaStandardError()),
              fresh ? finite(in.error()) : null,
              fresh ? finite(in.normalised()) : null,
              solved ? finite(solution.k()) : null,
              gammaConsensus));
    }

    List<CellRecord> changed = new ArrayList<>();
    Map<Long, CellStatistics> stats = crlsm.statistics();
    for (RegressionRow row : frameRows) {
      long id = row.trackId();
      CellRls f = filters.get(id);
      changed.add(
          new CellRecord(
              id,
              stats.get(id),
              f == null ? null : f.snapshot(),
              drift.state(id),
              lastInnovation.get(id)));
    }
    StreamingCrlsm.Snapshot snap = crlsm.snapshot();
    FovRecord record =
        new FovRecord(
            rows.snapshot(),
            snap.currentFrame(),
            snap.framesUsed(),
            snap.rowsUsed(),
            snap.sumDtSeconds(),
            aberrant.snapshot(),
            tracking.snapshot(),
            quality.snapshot(),
            List.copyOf(borderTracks));
    return new Step(states, solved ? estimate(tf, solution) : null, found, record, changed);
  }

  private ConsensusEstimate estimate(TrackedFrame tf, ConsensusSolution s) {
    CrlsmConfig c = s.config();
    Map<Long, Double> se = new LinkedHashMap<>();
    s.gammaStandardError()
        .forEach(
            (id, v) -> {
              if (Double.isFinite(v)) {
                se.put(id, v);
              }
            });
    boolean normalized = "normalized".equals(settings.signal()) && tf.quality() != null;
    return new ConsensusEstimate(
        ConsensusEstimate.VERSION,
        fov,
        tf.frameIndex(),
        switch (s.setup()) {
          case SINGLE_CELL -> "I";
          case SHARED_FEED -> "II";
          case PER_CELL_FEED -> "III";
        },
        s.k(),
        finite(s.kStandardError()),
        new LinkedHashMap<>(s.gamma()),
        se,
        c.lambda(),
        c.kMin(),
        c.kMax(),
        c.gammaMin(),
        c.gammaMax(),
        c.forgetting(),
        s.rowsUsed(),
        s.framesUsed(),
        finite(s.meanDtSeconds()),
        finite(s.residualVariance()),
        settings.signal(),
        settings.couplingScalePx2(),
        normalized ? tf.quality().normLo() : null,
        normalized ? tf.quality().normHi() : null);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
