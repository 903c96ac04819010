package io.cytostream.processors.topology;

import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.schemas.DeadLetterKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The pipeline's own meters. Prometheus names (as scraped from {@code GET /prometheus}) are listed
 * in the README's metrics catalogue, which {@code MetricsCatalogueTest} checks against a scrape.
 *
 * <p>Contract: every meter has a description (Prometheus HELP); labels are bounded: {@code fov}
 * (one value per field of view), {@code kind} (the fixed anomaly and dead-letter kinds), {@code
 * stage} (the topology's stages and processor names) and {@code store} (the topology's state
 * stores), {@code reason} (the fixed reasons of a suppressed anomaly) -- never a cell or track id.
 * Counters of a FOV (frames received, processed, tracked, lost in gaps, anomalies and life events
 * of every kind) are registered at 0 the first time the FOV is seen, and the dead-letter counters
 * of every known (stage, kind) at construction, so that {@code rate()} and {@code increase()} see
 * the first event and panels show 0 rather than "No data". Times are in seconds (Micrometer
 * timers), memory in bytes, k in 1/s as in {@code ConsensusEstimate}.
 */
public final class PipelineMetrics {
  /** Frames decoded from {@code frames.raw}, per FOV. */
  public static final String FRAMES_RECEIVED = "cytostream.frames.received";

  /**
   * Frames that passed every check up to the tracker: decoded, through the image stages (denoise,
   * segment, measure) and accepted by the tracker's reorder buffer (not late, not a duplicate), per
   * FOV.
   */
  public static final String FRAMES_PROCESSED = "cytostream.frames.processed";

  /** Frames emitted by the tracker, per FOV. */
  public static final String FRAMES_TRACKED = "cytostream.frames.tracked";

  /** Frames that never arrived (declared gaps), per FOV. */
  public static final String FRAMES_GAPS = "cytostream.frames.gaps";

  /** Records routed to {@code frames.dlq}, per stage and kind. */
  public static final String DEAD_LETTERS = "cytostream.dead.letters";

  /** Anomaly events raised, per FOV and kind. */
  public static final String ANOMALIES = "cytostream.anomalies";

  /**
   * Anomalies a test found and did not publish because a segmentation, tracking or image event
   * explains them, per FOV, kind and reason ({@link #SUPPRESSION_REASONS}).
   */
  public static final String ANOMALIES_SUPPRESSED = "cytostream.anomalies.suppressed";

  /**
   * The (kind, reason) pairs of suppressed anomalies, registered at 0 per FOV (reasons: {@link
   * io.cytostream.processors.anomaly.Suppressed.Reason}).
   */
  public static final List<List<String>> SUPPRESSION_REASONS =
      List.of(
          List.of("area_change", "border"),
          List.of("area_change", "merge"),
          List.of("area_change", "split"),
          List.of("area_change", "division"),
          List.of("track_lost", "border"),
          List.of("track_lost", "merge"),
          List.of("track_lost", "split"),
          List.of("track_lost", "division"),
          List.of("track_lost", "faded"),
          List.of("spike", "image_event"),
          List.of("spike", "crowd"));

  /** Cell life events (birth, division, gap_closed, track_end), per FOV and kind. */
  public static final String LIFECYCLE_EVENTS = "cytostream.lifecycle.events";

  /** Time per frame in a stage. */
  public static final String STAGE_DURATION = "cytostream.stage.duration";

  /** Acquisition-to-stage-end latency. */
  public static final String FRAME_LATENCY = "cytostream.frame.latency";

  /** Cells found in the FOV's last frame. */
  public static final String CELLS = "cytostream.cells";

  /** Tracked cells in the FOV's last finalised frame. */
  public static final String TRACKED_CELLS = "cytostream.tracked.cells";

  /** The culture's coupling k. */
  public static final String CONSENSUS_K = "cytostream.consensus.k";

  /** Standard error of k. */
  public static final String CONSENSUS_K_SE = "cytostream.consensus.k.standard.error";

  /** Regression rows in the FOV's consensus fit. */
  public static final String CONSENSUS_ROWS = "cytostream.consensus.rows";

  /** The paper's fit metric: MSE of the re-simulated traces, pooled over the FOV's cells. */
  public static final String CONSENSUS_TRACE_MSE = "cytostream.consensus.trace.mse";

  /** Frames waiting in the tracker's reorder buffer. */
  public static final String REORDER_BUFFER = "cytostream.reorder.buffer.frames";

  /** Changelog records restored into state stores. */
  public static final String RESTORED_RECORDS = "cytostream.state.restored.records";

  /** 1 when the stream is ready to process (readiness UP), else 0. */
  public static final String READY = "cytostream.ready";

  /** Changelog records still to restore. */
  public static final String RESTORE_REMAINING = "cytostream.state.restore.remaining.records";

  /** State stores currently restoring. */
  public static final String RESTORING_STORES = "cytostream.state.restoring.stores";

  /** Resident set size of the process (heap, native and TensorFlow memory together). */
  public static final String RESIDENT_MEMORY = "cytostream.process.resident.memory";

  /** The stages whose time per frame is measured. */
  public static final List<String> TIMED_STAGES = List.of("image", "consensus");

  /**
   * The (stage, kind) pairs of dead letters the topology can produce, registered at 0 (kinds: the
   * wire names of {@link DeadLetterKind}). A processing error is counted under its processor's
   * name, known only when it happens.
   */
  public static final List<List<String>> DEAD_LETTER_KINDS = deadLetterKinds();

  private static List<List<String>> deadLetterKinds() {
    List<List<String>> out = new ArrayList<>();
    for (DeadLetterKind k : DeadLetterKind.values()) {
      String stage =
          switch (k) {
            case STAGE_ERROR -> ImageProcessor.STAGE;
            case OUT_OF_ORDER, DUPLICATE_FRAME -> TrackProcessor.STAGE;
            case UNREADABLE -> "deserialize";
            case PROCESSING_ERROR -> null;
            default -> FrameDecoder.STAGE;
          };
      if (stage != null) {
        out.add(List.of(stage, k.wireName()));
      }
    }
    return List.copyOf(out);
  }

  /** The topology's state stores (restoration is counted per store). */
  public static final List<String> STORES =
      List.of(
          ImageProcessor.STORE,
          TrackProcessor.STATE_STORE,
          TrackProcessor.FRAMES_STORE,
          TrackProcessor.SOURCES_STORE,
          TrackProcessor.TRACKS_STORE,
          TrackProcessor.HELD_STORE,
          ConsensusProcessor.FOV_STORE,
          ConsensusProcessor.CELL_STORE,
          ConsensusProcessor.TRACE_STORE);

  /** Buckets of the stage-time histogram, seconds. */
  private static final Duration[] STAGE_BUCKETS =
      seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

  /** Buckets of the end-to-end latency histogram, seconds. */
  private static final Duration[] LATENCY_BUCKETS =
      seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);

  private final MeterRegistry registry;
  private final Map<String, FovMeters> fovs = new ConcurrentHashMap<>();
  private final RestorationMetrics restoration;
  private volatile BooleanSupplier readiness = () -> false;

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (List<String> sk : DEAD_LETTER_KINDS) {
      deadLetterCounter(sk.get(0), sk.get(1));
    }
    for (String stage : TIMED_STAGES) {
      stageTimer(stage);
    }
    for (String stage : List.of(ImageProcessor.STAGE, "consensus")) {
      latencyTimer(stage);
    }
    this.restoration = new RestorationMetrics(registry, STORES);
    Gauge.builder(READY, this, m -> m.readiness.getAsBoolean() ? 1 : 0)
        .description(
            "1 when every stream thread is RUNNING and no state store is restoring (readiness UP),"
                + " else 0")
        .register(registry);
  }

  /** Where {@value #READY} reads readiness from (the service's readiness check). */
  public void readiness(BooleanSupplier ready) {
    this.readiness = ready;
  }

  /** Metrics into a registry nobody reads (tests, {@code process}). */
  public static PipelineMetrics noop() {
    return new PipelineMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** All anomaly kinds as they appear in events and in the {@code kind} label. */
  public static List<String> anomalyKinds() {
    List<String> kinds = new ArrayList<>();
    for (AnomalyType t : AnomalyType.values()) {
      kinds.add(ConsensusProcessor.kind(t));
    }
    return Collections.unmodifiableList(kinds);
  }

  /**
   * Registers the FOV's counters at 0 and its gauges, once; every per-FOV method calls it, so a FOV
   * is complete in the scrape from the first frame any stage sees.
   */
  public void fovSeen(String fov) {
    fov(fov);
  }

  private FovMeters fov(String fov) {
    FovMeters g = fovs.get(fov);
    if (g != null) {
      return g;
    }
    return fovs.computeIfAbsent(fov, f -> FovMeters.register(registry, f));
  }

  private Counter deadLetterCounter(String stage, String kind) {
    return Counter.builder(DEAD_LETTERS)
        .description("records routed to the dead-letter topic frames.dlq, by stage and reason")
        .tag("stage", stage)
        .tag("kind", kind)
        .register(registry);
  }

  private Timer stageTimer(String stage) {
    return Timer.builder(STAGE_DURATION)
        .description("time per frame in a stage")
        .tag("stage", stage)
        .serviceLevelObjectives(STAGE_BUCKETS)
        .register(registry);
  }

  private Timer latencyTimer(String stage) {
    return Timer.builder(FRAME_LATENCY)
        .description("from the frame's acquisition time to the end of the stage")
        .tag("stage", stage)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /** A frame of the FOV was decoded from {@code frames.raw}. */
  public void frameReceived(String fov) {
    fov(fov);
    registry.counter(FRAMES_RECEIVED, "fov", fov).increment();
  }

  /** The image stages found {@code cells} cells in the FOV's last frame. */
  public void cells(String fov, int cells) {
    fov(fov).cells.set(cells);
  }

  /**
   * A frame passed the image stages and the tracker accepted it (counted once, where no later check
   * can refuse it any more).
   */
  public void frameProcessed(String fov) {
    fov(fov);
    registry.counter(FRAMES_PROCESSED, "fov", fov).increment();
  }

  public void deadLetter(String stage, String kind) {
    deadLetterCounter(stage, kind).increment();
  }

  public void stageTime(String stage, long nanos) {
    stageTimer(stage).record(Duration.ofNanos(nanos));
  }

  /**
   * The end of {@code stage} for a frame acquired at {@code acquired} (ignored when null or in the
   * future, e.g. a producer's clock ahead of ours).
   */
  public void latency(String stage, Instant acquired) {
    if (acquired == null) {
      return;
    }
    Duration d = Duration.between(acquired, Instant.now());
    if (!d.isNegative()) {
      latencyTimer(stage).record(d);
    }
  }

  public void frameTracked(String fov) {
    fov(fov);
    registry.counter(FRAMES_TRACKED, "fov", fov).increment();
  }

  /** Tracked cells in the FOV's last finalised frame. */
  public void trackedCells(String fov, int cells) {
    fov(fov).trackedCells.set(cells);
  }

  public void frameGap(String fov, long frames) {
    fov(fov);
    registry.counter(FRAMES_GAPS, "fov", fov).increment(frames);
  }

  /** Frames now waiting in the FOV's reorder buffer. */
  public void reorderBuffer(String fov, int frames) {
    fov(fov).reorder.set(frames);
  }

  public void anomaly(String fov, String kind) {
    fov(fov);
    FovMeters.anomalyCounter(registry, fov, kind).increment();
  }

  /** An anomaly found and not published, because a segmentation or tracking event explains it. */
  public void suppressed(String fov, String kind, String reason) {
    fov(fov);
    FovMeters.suppressedCounter(registry, fov, kind, reason).increment();
  }

  /**
   * The FOV's consensus after a frame.
   *
   * @param k coupling, 1/s
   * @param kStandardError its standard error, or null
   * @param rows regression rows used
   */
  public void consensus(String fov, double k, Double kStandardError, long rows) {
    FovMeters g = fov(fov);
    g.k = k;
    g.kSe = kStandardError == null ? Double.NaN : kStandardError;
    g.rows = rows;
  }

  /**
   * The FOV's re-simulation MSE after a frame (the paper's fit metric, pooled over its cells).
   *
   * @param mse squared signal units, or null (NaN is published)
   */
  public void traceMse(String fov, Double mse) {
    fov(fov).traceMse = mse == null ? Double.NaN : mse;
  }

  /** A listener that counts changelog restoration into this registry. */
  public StateRestoreListener restoreListener() {
    return restoration.listener();
  }

  /** State stores restoring from their changelogs now. */
  public long restoringStores() {
    return restoration.restoringStores();
  }

  /** Changelog records still to restore, over the stores restoring now. */
  public long restoreRemainingRecords() {
    return restoration.remainingRecords();
  }

  /** Registers the restore counter of a store at 0 (the service does so for every store). */
  public Counter restoredCounter(String store) {
    return restoration.restoredCounter(store);
  }

  private static Duration[] seconds(double... s) {
    Duration[] d = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
    }
    return d;
  }

  /** A life event (birth, division, gap_closed, track_end) published on cells.lifecycle. */
  public void lifecycle(String fov, String kind) {
    fov(fov);
    FovMeters.lifecycleCounter(registry, fov, kind).increment();
  }
}
