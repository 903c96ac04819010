package io.cytostream.processors.consensus;

import io.cytostream.processors.anomaly.AnomalyPipeline;
import io.cytostream.processors.anomaly.CellEstimate;
import io.cytostream.processors.anomaly.FieldResidualTest;
import io.cytostream.processors.anomaly.QualityObservation;
import io.cytostream.processors.anomaly.TrackObservation;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.ConsensusSolution;
import io.cytostream.state.consensus.CrlsmConfig;
import io.cytostream.state.consensus.Innovation;
import io.cytostream.state.consensus.NeighbourLink;
import io.cytostream.state.consensus.TraceFit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps between the consensus stage's wire records ({@code io.cytostream.schemas}) and the model and
 * anomaly tests: a {@link TrackedFrame} becomes a {@link ConsensusFrame} (the model's y per cell
 * and the coupling links) and the anomaly tests' {@link AnomalyPipeline.FrameFacts}; the filters'
 * and the CRLSM's results become {@link CellState}s and a {@link ConsensusEstimate}.
 *
 * <p>Units: y is the normalised intensity (or the mean raw intensity, ADU, with signal {@code
 * raw}); the coupling weight is w_ij = u_ij·l_ij / s with s = {@link
 * ConsensusSettings#couplingScalePx2()} (px², or µm² with u and l in µm when the frame carries a
 * pixel size), passed to the model as a {@link NeighbourLink} whose border is l_ij / s (1/length)
 * so that its {@link NeighbourLink#weight()} is w_ij, dimensionless. Stateless apart from the FOV
 * id and the settings.
 */
final class ConsensusWireMapper {
  private final String fov;
  private final ConsensusSettings settings;

  ConsensusWireMapper(String fov, ConsensusSettings settings) {
    this.fov = fov;
    this.settings = settings;
  }

  /** The model's y of a cell: normalised or raw mean intensity, per the settings. */
  double signal(TrackedFrame.Cell c) {
    return "raw".equals(settings.signal()) ? c.meanIntensity() : c.normalizedIntensity();
  }

  /**
   * Whether the frame's y can be modelled: while the FOV's intensity normalisation is still
   * calibrating, the map from raw intensity to y changes from frame to frame, and rows across such
   * frames would measure the map's motion, not the cells. Raw signal is always settled.
   */
  boolean settled(TrackedFrame tf) {
    return "raw".equals(settings.signal())
        || tf.quality() == null
        || tf.quality().normalizationSettled();
  }

  /** The length of one pixel in the unit of u and l: the pixel size in µm, or 1 (px). */
  static double lengthPerPixel(TrackedFrame tf) {
    return hasPixelSize(tf) ? tf.pixelSizeUm() : 1.0;
  }

  private static boolean hasPixelSize(TrackedFrame tf) {
    Double p = tf.pixelSizeUm();
    return p != null && p > 0 && Double.isFinite(p);
  }

  /** {@code um} when the frame carries a pixel size (u and l converted to µm), else {@code px}. */
  static String lengthUnit(TrackedFrame tf) {
    return hasPixelSize(tf) ? "um" : "px";
  }

  /**
   * The frame as the model sees it: y per cell (border cells by the settings' {@link BorderRule})
   * and the scaled coupling links, u and l in µm when the frame carries a pixel size.
   */
  ConsensusFrame consensusFrame(TrackedFrame tf) {
    List<CellSample> samples = new ArrayList<>(tf.cells().size());
    BorderRule border = settings.border();
    for (TrackedFrame.Cell c : tf.cells()) {
      samples.add(
          new CellSample(
              c.trackId(),
              signal(c),
              border.isBorder(c, tf.width(), tf.height()),
              c.parentTrackId()));
    }
    List<NeighbourLink> links = new ArrayList<>(tf.neighbours().size());
    double scale = settings.couplingScalePx2();
    double len = lengthPerPixel(tf);
    for (TrackedFrame.Neighbours n : tf.neighbours()) {
      // w_ij = u_ij·l_ij / s (u, l in µm when the pixel size is known): the border enters scaled so
      // that φ uses the coupling weight
      links.add(
          new NeighbourLink(
              n.trackI(),
              n.trackJ(),
              n.sharedBorderPx() * len / scale,
              n.centroidDistancePx() * len));
    }
    return new ConsensusFrame(tf.frameIndex(), tf.timeSeconds(), samples, links);
  }

  /**
   * The frame-level facts for the anomaly tests.
   *
   * @param estimates the interior cells' own estimates (built by the caller from its filters)
   */
  AnomalyPipeline.FrameFacts frameFacts(TrackedFrame tf, List<CellEstimate> estimates) {
    List<TrackObservation> observations = new ArrayList<>(tf.cells().size());
    Set<Long> onBorder = new HashSet<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      observations.add(
          new TrackObservation(
              c.trackId(), c.areaPx(), c.parentTrackId(), c.centroidX(), c.centroidY()));
      if (c.onBorder()) {
        onBorder.add(c.trackId());
      }
    }
    List<Long> lost = new ArrayList<>();
    for (TrackedFrame.TrackEvent e : tf.events()) {
      if ("ended".equals(e.type())) {
        lost.add(e.trackId());
      }
    }
    QualityObservation quality =
        tf.quality() == null
            ? null
            : new QualityObservation(
                tf.frameIndex(),
                tf.quality().hotPixels(),
                tf.quality().saturatedFraction(),
                tf.quality().meanRaw(),
                tf.quality().sharpness());
    return new AnomalyPipeline.FrameFacts(
        tf.frameIndex(),
        observations,
        onBorder,
        lost,
        estimates,
        quality,
        tf.width(),
        tf.height(),
        fieldFrame(tf));
  }

  /**
   * The frame for the field test of spikes and aberrant cells ({@link FieldResidualTest}): v = ln(1
   * + mean raw intensity) per cell (no normalisation needed, so it runs before the normaliser has
   * settled), the consensus stage's border cells and coupling weights w_ij.
   */
  FieldResidualTest.Frame fieldFrame(TrackedFrame tf) {
    BorderRule border = settings.border();
    List<FieldResidualTest.CellSignal> cells = new ArrayList<>(tf.cells().size());
    for (TrackedFrame.Cell c : tf.cells()) {
      cells.add(
          new FieldResidualTest.CellSignal(
              c.trackId(),
              Math.log1p(Math.max(0, c.meanIntensity())),
              border.isBorder(c, tf.width(), tf.height())));
    }
    double scale = settings.couplingScalePx2();
    double len = lengthPerPixel(tf);
    List<FieldResidualTest.Link> links = new ArrayList<>(tf.neighbours().size());
    for (TrackedFrame.Neighbours n : tf.neighbours()) {
      links.add(
          new FieldResidualTest.Link(
              n.trackI(),
              n.trackJ(),
              n.sharedBorderPx() * len / scale * n.centroidDistancePx() * len));
    }
    return new FieldResidualTest.Frame(tf.frameIndex(), tf.timeSeconds(), cells, links);
  }

  /**
   * One cell's published state.
   *
   * @param filter the cell's RLS filter (null before its first row)
   * @param last the cell's last innovation (null before its first row); reported only if it is of
   *     this frame
   * @param solution the FOV's CRLSM solution, or null when it has no rows yet
   * @param traceMse the cell's re-simulation MSE under that solution, or null
   */
  CellState cellState(
      TrackedFrame tf,
      TrackedFrame.Cell c,
      CellRls filter,
      Innovation last,
      ConsensusSolution solution,
      Double traceMse) {
    boolean fresh = last != null && last.frameIndex() == tf.frameIndex();
    Double gammaConsensus = null;
    if (solution != null && solution.gamma().containsKey(c.trackId())) {
      gammaConsensus = solution.gamma().get(c.trackId());
    }
    return new CellState(
        CellState.VERSION,
        fov,
        c.trackId(),
        tf.frameIndex(),
        tf.timeSeconds(),
        signal(c),
        c.onBorder(),
        filter == null ? 0 : filter.rows(),
        filter == null ? null : finite(filter.k()),
        filter == null ? null : finite(filter.gamma()),
        filter == null ? null : finite(filter.kStandardError()),
        filter == null ? null : finite(filter.gammaStandardError()),
        fresh ? finite(last.error()) : null,
        fresh ? finite(last.normalised()) : null,
        solution != null ? finite(solution.k()) : null,
        gammaConsensus,
        traceMse == null ? null : finite(traceMse));
  }

  /**
   * The FOV's published CRLSM estimate at this frame.
   *
   * @param fit the re-simulation metric under {@code s} (null: none)
   * @param traceWindowSteps the steps per cell it covers (0: all)
   */
  ConsensusEstimate estimate(
      TrackedFrame tf, ConsensusSolution s, TraceFit.Evaluation fit, int traceWindowSteps) {
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
        null,
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
        "px".equals(lengthUnit(tf)) ? settings.couplingScalePx2() : null,
        normalized ? tf.quality().normLo() : null,
        normalized ? tf.quality().normHi() : null,
        c.parameterisation().wireName(),
        c.objective().wireName(),
        c.estimator().wireName(),
        c.parameterisation() == CrlsmConfig.Parameterisation.EQ1 ? c.modelledCell() : null,
        settings.border().describe(),
        s.kAtBound(),
        s.kStandardErrorAbsentReason(),
        lengthUnit(tf),
        settings.couplingScalePx2(),
        tf.pixelSizeUm(),
        fit == null ? null : finite(fit.mse()),
        fit == null ? null : finiteValues(fit.cellMse()),
        traceWindowSteps);
  }

  private static Map<Long, Double> finiteValues(Map<Long, Double> m) {
    Map<Long, Double> out = new LinkedHashMap<>();
    m.forEach(
        (id, v) -> {
          if (Double.isFinite(v)) {
            out.put(id, v);
          }
        });
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
