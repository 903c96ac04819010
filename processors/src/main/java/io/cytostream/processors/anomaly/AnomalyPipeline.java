package io.cytostream.processors.anomaly;

import io.cytostream.state.consensus.Innovation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every anomaly test of one field of view, run in the consensus stage's order. Kafka-free and free
 * of the wire schemas: the caller maps its messages to {@link Innovation}s, {@link
 * TrackObservation}s, {@link CellEstimate}s and {@link QualityObservation}s.
 *
 * <ol>
 *   <li>per regression row, {@link #testRow}: the row-outlier gate ({@link SpikeDetector} at {@link
 *       #ROW_OUTLIER_SIGMAS}: it only keeps outlying rows out of the cell's filter, it reports
 *       nothing) and the cell's CUSUM drift test ({@link DriftDetector}) on the row's innovation;
 *       the verdict tells the caller whether to absorb the row and whether to re-open the filter
 *       (drift);
 *   <li>per frame, {@link #testFrame}: unexplained spikes and aberrant cells judged against the
 *       field at the same frame ({@link FieldResidualTest}), tracking events ({@link
 *       TrackingDetector}) and data quality ({@link DataQualityDetector}). The own-history
 *       aberrant-cell test ({@link AberrantCellDetector}) is no longer run; its state is still
 *       carried so that stored records keep their layout and are read back unchanged.
 * </ol>
 *
 * <p>Edge rules: a cell cut by the image edge changes area as it moves in or out, and a track lost
 * at the edge is a cell leaving the field of view, so neither is reported. A cell is cut by the
 * edge when its centroid is closer to it than its equivalent radius + {@value
 * Explanations#MARGIN_PX} px ({@link Explanations}); only when the image size is unknown does
 * touching the edge ({@code onBorder}) stand in for that, since a large cell that touches the edge
 * with a corner can still grow or shrink for real (on simulated cultures through the chain, half
 * the injected area changes were withheld by the touching rule). These, the merges, splits and
 * divisions that {@link TrackingDetector} finds, and the spikes {@link #explain} drops are kept as
 * {@link Suppressed} with their reason until {@link #takeSuppressed()}. Dropped and out-of-order
 * frames are raised by the track stage, which sees arrival order, so they are not reported here.
 *
 * <p>State: the detectors' snapshots ({@link #cusum}, {@link #aberrantState}, {@link
 * #trackingState}, {@link #qualityState}, {@link #borderTracks}) and {@link #restore}. Not
 * thread-safe.
 */
public final class AnomalyPipeline {

  /**
   * What the row tests found.
   *
   * @param anomalies the spike (if any), then the drift alarm (if any)
   * @param absorb whether the filter may absorb the row (false for a spike)
   * @param drifted whether the drift test raised an alarm (the filter should re-learn)
   */
  public record RowVerdict(List<Anomaly> anomalies, boolean absorb, boolean drifted) {}

  /**
   * The facts of one frame the frame-level tests need.
   *
   * @param frameIndex the frame
   * @param cells every tracked cell of the frame
   * @param onBorder the tracks of the frame whose cell touches the image edge
   * @param lostTracks tracks the tracker declared ended at this frame
   * @param estimates the interior cells' own parameter estimates
   * @param quality the frame's data-quality figures, or null when the frame has none
   * @param width the image width in px (0: unknown; then no near-edge explanation is tried)
   * @param height the image height in px
   * @param signals the frame's cell signals for the spike and aberrant-cell tests ({@link
   *     FieldResidualTest}), or null (then those tests skip the frame)
   */
  public record FrameFacts(
      long frameIndex,
      List<TrackObservation> cells,
      Set<Long> onBorder,
      List<Long> lostTracks,
      List<CellEstimate> estimates,
      QualityObservation quality,
      int width,
      int height,
      FieldResidualTest.Frame signals) {

    /** Facts of a frame without cell signals. */
    public FrameFacts(
        long frameIndex,
        List<TrackObservation> cells,
        Set<Long> onBorder,
        List<Long> lostTracks,
        List<CellEstimate> estimates,
        QualityObservation quality,
        int width,
        int height) {
      this(frameIndex, cells, onBorder, lostTracks, estimates, quality, width, height, null);
    }

    /** Facts of a frame of unknown size. */
    public FrameFacts(
        long frameIndex,
        List<TrackObservation> cells,
        Set<Long> onBorder,
        List<Long> lostTracks,
        List<CellEstimate> estimates,
        QualityObservation quality) {
      this(frameIndex, cells, onBorder, lostTracks, estimates, quality, 0, 0, null);
    }
  }

  private final SpikeDetector spikes;
  private final DriftDetector drift;
  private final AberrantCellDetector aberrant;
  private final FieldResidualTest field;
  private final TrackingDetector tracking;
  private final DataQualityDetector quality;
  private final Set<Long> borderTracks = new TreeSet<>();
  private Set<Long> segmentJumps = Set.of();
  private final List<Suppressed> suppressed = new ArrayList<>();

  private AnomalyPipeline(
      AnomalyConfig config,
      DriftDetector drift,
      AberrantCellDetector aberrant,
      FieldResidualTest field,
      TrackingDetector tracking,
      DataQualityDetector quality) {
    this.spikes = new SpikeDetector(config.toBuilder().spikeThreshold(ROW_OUTLIER_SIGMAS).build());
    this.drift = drift;
    this.aberrant = aberrant;
    this.field = field;
    this.tracking = tracking;
    this.quality = quality;
  }

  /** The tests of a FOV seen for the first time. */
  public static AnomalyPipeline create(AnomalyConfig config) {
    return new AnomalyPipeline(
        config,
        new DriftDetector(config),
        new AberrantCellDetector(config),
        new FieldResidualTest(config),
        new TrackingDetector(config),
        new DataQualityDetector(config));
  }

  /**
   * The tests restored from their stored state.
   *
   * @param cusums the cells' CUSUM states
   * @param aberrant the own-history aberrant-cell test's state (kept, no longer run)
   * @param tracking the tracking test's memory
   * @param quality the data-quality test's state
   * @param borderTracks tracks whose last sighting touched the image edge (null: none)
   */
  public static AnomalyPipeline restore(
      AnomalyConfig config,
      List<DriftDetector.CusumState> cusums,
      AberrantCellDetector.State aberrant,
      List<TrackMemory> tracking,
      DataQualityDetector.State quality,
      Collection<Long> borderTracks) {
    return restore(config, cusums, aberrant, null, tracking, quality, borderTracks);
  }

  /**
   * The tests restored from their stored state, with the field test's state (null: a fresh one).
   */
  public static AnomalyPipeline restore(
      AnomalyConfig config,
      List<DriftDetector.CusumState> cusums,
      AberrantCellDetector.State aberrant,
      FieldResidualTest.State field,
      List<TrackMemory> tracking,
      DataQualityDetector.State quality,
      Collection<Long> borderTracks) {
    AnomalyPipeline p =
        new AnomalyPipeline(
            config,
            DriftDetector.restore(config, cusums),
            AberrantCellDetector.restore(config, aberrant),
            FieldResidualTest.restore(config, field),
            TrackingDetector.restore(config, tracking),
            DataQualityDetector.restore(config, quality));
    if (borderTracks != null) {
      p.borderTracks.addAll(borderTracks);
    }
    return p;
  }

  /**
   * |e_t|/σ_t of a cell's own RLS innovation above which its filter does not absorb the row (the
   * documented spike threshold of that test, which no longer reports spikes: {@link #testRow}); the
   * calibrated {@link AnomalyConfig#spikeThreshold()} is the field test's.
   */
  public static final double ROW_OUTLIER_SIGMAS = 5;

  /**
   * Tests one row's innovation for drift (the CUSUM runs on every row) and tells whether the filter
   * may absorb it: not when its own normalised innovation is above {@link #ROW_OUTLIER_SIGMAS}
   * ({@link SpikeDetector#isSpike}). Unexplained spikes are reported by the field test of {@link
   * #testFrame}, which judges the cell against its field at the same frame.
   */
  public RowVerdict testRow(Innovation in) {
    boolean outlier = spikes.isSpike(in);
    List<Anomaly> drifted = drift.test(in);
    return new RowVerdict(new ArrayList<>(drifted), !outlier, !drifted.isEmpty());
  }

  /**
   * A spike or drift alarm of a cell whose segment area changed by more than this many σ of the
   * field's segmentation jitter (and by more than {@link #SEGMENT_JUMP_MIN_LOG}) since the previous
   * frame is explained by the segmentation ({@link Suppressed.Reason#SEGMENT_CHANGE}). On simulated
   * cultures through the chain the false spikes of clean cultures came with area jumps of 13–29 %
   * (σ of the field 0.7–1.4 %), the injected spikes with 0.1 %.
   */
  public static final double SEGMENT_JUMP_SIGMAS = 5;

  /** Least |ln(a_t / a_t−1)| of a segment change (5 %). */
  public static final double SEGMENT_JUMP_MIN_LOG = 0.05;

  /**
   * Runs the frame-level tests: unexplained spikes and aberrant cells against the field ({@link
   * FieldResidualTest}, when the facts carry signals), tracking events, data quality, in this
   * order.
   */
  public List<Anomaly> testFrame(FrameFacts f) {
    segmentJumps =
        tracking.segmentJumps(f.frameIndex(), f.cells(), SEGMENT_JUMP_SIGMAS, SEGMENT_JUMP_MIN_LOG);
    // the data-quality test runs first (its events are added last): the field test must know
    // whether this frame's image changed
    List<Anomaly> imageFound = new ArrayList<>();
    if (f.quality() != null) {
      boolean imageEvent = false;
      for (Anomaly a : quality.test(f.quality())) {
        if (a.type() != AnomalyType.DROPPED_FRAME && a.type() != AnomalyType.OUT_OF_ORDER_FRAME) {
          imageFound.add(a);
          imageEvent |= IMAGE_EVENTS.contains(a.type());
        }
      }
      if (imageEvent) {
        field
            .imageEvent(f.frameIndex())
            .forEach(a -> suppressed.add(new Suppressed(a, Suppressed.Reason.IMAGE_EVENT)));
      }
    }
    List<Anomaly> found = new ArrayList<>();
    if (f.signals() != null) {
      FieldResidualTest.Outcome o = field.test(f.signals(), segmentJumps);
      found.addAll(o.anomalies());
      o.explained()
          .forEach(a -> suppressed.add(new Suppressed(a, Suppressed.Reason.SEGMENT_CHANGE)));
    }
    TrackingDetector.Result t =
        tracking.test(f.frameIndex(), f.cells(), f.lostTracks(), f.width(), f.height());
    suppressed.addAll(t.suppressed());
    for (Anomaly a : t.reported()) {
      // with the image size known, TrackingDetector judges an area change at the edge by the
      // cell's centroid (cut by the edge); a large cell that merely touches it still counts
      boolean edge =
          (a.type() == AnomalyType.AREA_CHANGE
                  && f.width() <= 0
                  && f.onBorder().contains(a.trackId()))
              || (a.type() == AnomalyType.TRACK_LOST && borderTracks.contains(a.trackId()));
      if (edge) {
        suppressed.add(new Suppressed(a, Suppressed.Reason.BORDER));
      } else {
        found.add(a);
      }
    }
    borderTracks.removeAll(f.lostTracks());
    for (TrackObservation c : f.cells()) {
      if (f.onBorder().contains(c.trackId())) {
        borderTracks.add(c.trackId());
      } else {
        borderTracks.remove(c.trackId());
      }
    }
    found.addAll(imageFound);
    return found;
  }

  /** The data-quality events that say the image changed, not the cells. */
  static final Set<AnomalyType> IMAGE_EVENTS =
      Set.of(AnomalyType.INTENSITY_COLLAPSE, AnomalyType.SATURATION, AnomalyType.HOT_PIXEL_BURST);

  /**
   * Share of a frame's rows that may spike together before the spikes count as one culture-wide
   * change (a focus or illumination change, a shared stimulus) rather than cells their neighbours
   * do not explain.
   */
  public static final double SPIKE_CROWD_FRACTION = 0.1;

  /**
   * Fewest spikes in one frame that can make a crowd (a few cells may spike together by chance).
   */
  public static final int SPIKE_CROWD_MIN = 3;

  /**
   * Drops the unexplained-spike events of a frame that something else explains: a frame-level
   * data-quality event in the same frame (intensity collapse, saturation, hot-pixel burst: the
   * image changed, not the cells), or more than {@link #SPIKE_CROWD_FRACTION} of the frame's rows
   * (and at least {@link #SPIKE_CROWD_MIN}) spiking together. Other kinds pass unchanged.
   *
   * @param found the frame's anomalies (row and frame tests)
   * @param rows the frame's regression rows (cells tested for a spike)
   * @return the anomalies left to publish
   */
  public static List<Anomaly> explained(List<Anomaly> found, int rows) {
    return SpikeCrowdFilter.explained(found, rows, null);
  }

  /**
   * {@link #explained(List, int)}, noting each dropped spike with its reason ({@link
   * Suppressed.Reason#IMAGE_EVENT} or {@link Suppressed.Reason#CROWD}) for {@link
   * #takeSuppressed()}; first, the spikes and drift alarms of the cells whose segment changed
   * abruptly in the last frame given to {@link #testFrame} ({@link #SEGMENT_JUMP_SIGMAS}) are
   * dropped with {@link Suppressed.Reason#SEGMENT_CHANGE}.
   */
  public List<Anomaly> explain(List<Anomaly> found, int rows) {
    List<Anomaly> kept = new ArrayList<>(found.size());
    for (Anomaly a : found) {
      boolean signal =
          a.type() == AnomalyType.UNEXPLAINED_SPIKE || a.type() == AnomalyType.MODEL_DRIFT;
      if (signal && segmentJumps.contains(a.trackId())) {
        suppressed.add(new Suppressed(a, Suppressed.Reason.SEGMENT_CHANGE));
      } else {
        kept.add(a);
      }
    }
    return SpikeCrowdFilter.explained(kept, rows, suppressed);
  }

  /**
   * The anomalies found and not published since the last call, each with the reason (merge, split,
   * division, border, image event, crowd); the caller counts them.
   */
  public List<Suppressed> takeSuppressed() {
    List<Suppressed> out = List.copyOf(suppressed);
    suppressed.clear();
    return out;
  }

  /**
   * Forgets everything kept about a track that will not be seen again (its CUSUM, aberrant flags,
   * edge mark); the tracking test forgets old tracks by itself.
   */
  public void forget(long trackId) {
    drift.forget(trackId);
    aberrant.forget(trackId);
    field.forget(trackId);
    borderTracks.remove(trackId);
  }

  /** A cell's CUSUM state (null before its first test). */
  public DriftDetector.CusumState cusum(long trackId) {
    return drift.state(trackId);
  }

  /** The aberrant-cell test's state. */
  public AberrantCellDetector.State aberrantState() {
    return aberrant.snapshot();
  }

  /** The field test's state. */
  public FieldResidualTest.State fieldState() {
    return field.snapshot();
  }

  /** The tracking test's memory, in track id order. */
  public List<TrackMemory> trackingState() {
    return tracking.snapshot();
  }

  /** The data-quality test's state. */
  public DataQualityDetector.State qualityState() {
    return quality.snapshot();
  }

  /** Tracks whose last sighting touched the image edge, in id order. */
  public List<Long> borderTracks() {
    return List.copyOf(borderTracks);
  }
}
