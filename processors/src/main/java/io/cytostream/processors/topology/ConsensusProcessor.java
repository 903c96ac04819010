package io.cytostream.processors.topology;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.processors.anomaly.Evidence;
import io.cytostream.processors.anomaly.Suppressed;
import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovConsensus;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.TrackedFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The consensus stage: per FOV a {@link FovConsensus}, whose state lives in two changelogged stores
 * — {@value #FOV_STORE} (key = FOV: row builder, CRLSM totals, FOV-level tests) and {@value
 * #CELL_STORE} (key = {@code fov/trackId}: each cell's CRLSM statistics, RLS filter and CUSUM). The
 * working objects are a cache rebuilt from the stores after a restart, a rebalance or a task
 * revival (emptied in {@link #init}, so that it can never run ahead of stores rolled back to a
 * commit).
 */
final class ConsensusProcessor implements Processor<String, TrackedFrame, String, ConsensusOutput> {
  static final String FOV_STORE = "consensus-fov";
  static final String CELL_STORE = "consensus-cells";

  private final PipelineConfig config;
  private final Map<String, FovConsensus> cache = new HashMap<>();
  private ProcessorContext<String, ConsensusOutput> context;
  private KeyValueStore<String, FovRecord> fovs;
  private KeyValueStore<String, CellRecord> cells;

  ConsensusProcessor(PipelineConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, ConsensusOutput> context) {
    this.context = context;
    this.fovs = context.getStateStore(FOV_STORE);
    this.cells = context.getStateStore(CELL_STORE);
    // Kafka Streams reuses this object when it revives a corrupted task on stores rolled back to
    // the last commit: working objects from before would run ahead of them.
    cache.clear();
  }

  static String cellKey(String fov, long trackId) {
    return fov + "/" + String.format(Locale.ROOT, "%019d", trackId);
  }

  /**
   * The cell records of {@code fov}: keys {@code fov + "/" + 19 digits}. FOV ids may contain {@code
   * /}, so the prefix {@code fov + "/"} also matches the cells of FOVs nested under this one
   * ({@code a/b/...} under {@code a}); only keys with exactly the id after the prefix are this
   * FOV's.
   */
  static List<CellRecord> cellsOf(KeyValueStore<String, CellRecord> cells, String fov) {
    String prefix = fov + "/";
    int keyLength = cellKey(fov, 0).length();
    List<CellRecord> all = new ArrayList<>();
    try (KeyValueIterator<String, CellRecord> it =
        cells.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining(
          kv -> {
            if (kv.key.length() == keyLength) {
              all.add(kv.value);
            }
          });
    }
    return all;
  }

  private FovConsensus forFov(String fov) {
    FovConsensus c = cache.get(fov);
    if (c != null) {
      return c;
    }
    FovRecord rec = fovs.get(fov);
    if (rec == null) {
      c = FovConsensus.create(fov, config.consensus(), config.anomaly());
    } else {
      c = FovConsensus.restore(fov, config.consensus(), config.anomaly(), rec, cellsOf(cells, fov));
    }
    cache.put(fov, c);
    return c;
  }

  @Override
  public void process(Record<String, TrackedFrame> record) {
    String fov = record.key();
    TrackedFrame tf = record.value();
    if (fov == null || tf == null) {
      return;
    }
    FovRecord stored = fovs.get(fov);
    if (stored != null
        && stored.rows() != null
        && stored.rows().previous() != null
        && tf.frameIndex() <= stored.rows().previous().frameIndex()) {
      return; // a replayed frame: already modelled
    }
    long t0 = System.nanoTime();
    FovConsensus.Step step = forFov(fov).step(tf);
    fovs.put(fov, step.fovRecord());
    for (CellRecord c : step.changedCells()) {
      cells.put(cellKey(fov, c.trackId()), c);
    }
    for (long id : step.retiredCells()) {
      cells.delete(cellKey(fov, id)); // a tombstone: the compacted changelog forgets the cell
    }
    long ts = record.timestamp();
    for (CellState s : step.states()) {
      context.forward(
          new Record<>(CellState.key(fov, s.trackId()), new ConsensusOutput(s, null, null), ts));
    }
    if (step.estimate() != null) {
      context.forward(new Record<>(fov, new ConsensusOutput(null, step.estimate(), null), ts));
    }
    Instant time =
        tf.acquisitionTime() != null
            ? tf.acquisitionTime()
            : Instant.ofEpochMilli(context.currentSystemTimeMs());
    for (Anomaly a : step.anomalies()) {
      String kind = kind(a.type());
      config.metrics().anomaly(fov, kind);
      AnomalyEvent e =
          AnomalyEvent.of(
              time,
              new AnomalyEvent.Data(
                  fov,
                  tf.frameIndex(),
                  a.trackId(),
                  kind,
                  a.statistic(),
                  a.value(),
                  a.threshold(),
                  a.reason(),
                  a.score(),
                  wireEvidence(a.evidence())));
      context.forward(new Record<>(fov, new ConsensusOutput(null, null, e), ts));
    }
    for (Suppressed s : step.suppressed()) {
      config.metrics().suppressed(fov, s.anomaly().kind(), s.reason().label());
    }
    config.metrics().stageTime("consensus", System.nanoTime() - t0);
    config.metrics().trackedCells(fov, tf.cells().size());
    if (step.estimate() != null) {
      config
          .metrics()
          .consensus(
              fov,
              step.estimate().k(),
              step.estimate().kStandardError(),
              step.estimate().rowsUsed());
      config.metrics().traceMse(fov, step.estimate().traceMse());
    }
    config.metrics().latency("consensus", tf.acquisitionTime());
  }

  /** The event kind of an anomaly type, as in schemas/README.md. */
  static String kind(AnomalyType t) {
    return Anomaly.kind(t);
  }

  /** The wire form of an anomaly's evidence (null stays null). */
  static AnomalyEvent.Evidence wireEvidence(Evidence e) {
    if (e == null) {
      return null;
    }
    return new AnomalyEvent.Evidence(
        e.windowFrames(), e.frames(), e.relatedTracks(), e.values(), e.context());
  }
}
