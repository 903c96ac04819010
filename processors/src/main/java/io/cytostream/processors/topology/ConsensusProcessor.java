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
import io.cytostream.state.consensus.TraceFit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The consensus stage: per FOV a {@link FovConsensus}, whose state lives in two changelogged stores
 * — {@value #FOV_STORE} (key = FOV: row builder, CRLSM totals, FOV-level tests) and {@value
 * #CELL_STORE} (key = {@code fov/trackId}: each cell's CRLSM statistics, RLS filter and CUSUM), and
 * the cells' re-simulation traces one step per entry in {@value #TRACE_STORE} (key {@code
 * fov/trackId/frame}, {@link TraceSteps}). A frame writes the FOV record, the records of the cells
 * it gave rows (and of cells retired), each such cell's new step and a tombstone for the step
 * leaving its window: deltas bounded by the cells alive. The working objects are a cache rebuilt
 * from the stores after a restart, a rebalance or a task revival (emptied in {@link #init}, so that
 * it can never run ahead of stores rolled back to a commit). Cell records written before the traces
 * had their own store carry the trace inline; they are read as they are and their steps written at
 * the cell's next row.
 */
final class ConsensusProcessor implements Processor<String, TrackedFrame, String, ConsensusOutput> {
  static final String FOV_STORE = "consensus-fov";
  static final String CELL_STORE = "consensus-cells";
  static final String TRACE_STORE = "consensus-trace-steps";

  private final PipelineConfig config;
  private final Map<String, FovConsensus> cache = new HashMap<>();
  // per FOV, the traces whose steps the trace store holds, by track id
  private final Map<String, Map<Long, TraceFit.CellTrace>> writtenTraces = new HashMap<>();
  private ProcessorContext<String, ConsensusOutput> context;
  private KeyValueStore<String, FovRecord> fovs;
  private KeyValueStore<String, CellRecord> cells;
  private KeyValueStore<String, TraceSteps.Step> steps;

  ConsensusProcessor(PipelineConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, ConsensusOutput> context) {
    this.context = context;
    this.fovs = context.getStateStore(FOV_STORE);
    this.cells = context.getStateStore(CELL_STORE);
    this.steps = context.getStateStore(TRACE_STORE);
    // Kafka Streams reuses this object when it revives a corrupted task on stores rolled back to
    // the last commit: working objects from before would run ahead of them.
    cache.clear();
    writtenTraces.clear();
  }

  static String cellKey(String fov, long trackId) {
    return FovKeys.key(fov, trackId);
  }

  /**
   * The cell records of {@code fov}: keys {@code fov + "/" + 19 digits}. FOV ids may contain {@code
   * /}, so the prefix {@code fov + "/"} also matches the cells of FOVs nested under this one
   * ({@code a/b/...} under {@code a}); only keys with exactly the id after the prefix are this
   * FOV's ({@link FovKeys}).
   */
  static List<CellRecord> cellsOf(KeyValueStore<String, CellRecord> cells, String fov) {
    return FovKeys.valuesOf(cells, fov, 1);
  }

  /** The traces of {@code fov} kept as steps in the trace store, by track id. */
  static Map<Long, TraceFit.CellTrace> tracesOf(
      KeyValueStore<String, TraceSteps.Step> steps, String fov) {
    Map<Long, List<Long>> frames = new HashMap<>();
    Map<Long, List<TraceSteps.Step>> values = new HashMap<>();
    for (KeyValue<String, TraceSteps.Step> kv : FovKeys.entriesOf(steps, fov, 2)) {
      long id = FovKeys.id(fov, kv.key, 0);
      frames.computeIfAbsent(id, k -> new ArrayList<>()).add(FovKeys.id(fov, kv.key, 1));
      values.computeIfAbsent(id, k -> new ArrayList<>()).add(kv.value);
    }
    Map<Long, TraceFit.CellTrace> out = new HashMap<>();
    frames.forEach((id, f) -> out.put(id, TraceSteps.trace(id, f, values.get(id))));
    return out;
  }

  private FovConsensus forFov(String fov) {
    FovConsensus c = cache.get(fov);
    if (c != null) {
      return c;
    }
    FovRecord rec = fovs.get(fov);
    Map<Long, TraceFit.CellTrace> written = new HashMap<>();
    if (rec == null) {
      c = FovConsensus.create(fov, config.consensus(), config.anomaly());
    } else {
      Map<Long, TraceFit.CellTrace> traces = tracesOf(steps, fov);
      List<CellRecord> records = new ArrayList<>();
      for (CellRecord r : cellsOf(cells, fov)) {
        TraceFit.CellTrace t = traces.get(r.trackId());
        if (r.trace() == null && t != null) {
          records.add(withTrace(r, t));
          written.put(r.trackId(), t);
        } else {
          records.add(r); // a record with its trace inline: its steps are written at its next row
        }
      }
      c = FovConsensus.restore(fov, config.consensus(), config.anomaly(), rec, records);
    }
    cache.put(fov, c);
    writtenTraces.put(fov, written);
    return c;
  }

  private static CellRecord withTrace(CellRecord r, TraceFit.CellTrace t) {
    return new CellRecord(
        r.trackId(), r.statistics(), r.rls(), r.cusum(), r.lastInnovation(), t, r.retired());
  }

  /** Writes a cell's record (without its trace) and the changes of its trace's steps. */
  private void putCell(String fov, CellRecord c) {
    Map<Long, TraceFit.CellTrace> written = writtenTraces.get(fov);
    TraceSteps.Delta d = TraceSteps.between(written.get(c.trackId()), c.trace());
    d.put().forEach((f, s) -> steps.put(FovKeys.key(fov, c.trackId(), f), s));
    d.delete().forEach(f -> steps.delete(FovKeys.key(fov, c.trackId(), f)));
    if (c.trace() == null) {
      written.remove(c.trackId());
    } else {
      written.put(c.trackId(), c.trace());
    }
    cells.put(cellKey(fov, c.trackId()), withTrace(c, null));
  }

  /** Deletes a cell's record and its trace's steps (tombstones). */
  private void deleteCell(String fov, long id) {
    TraceFit.CellTrace t = writtenTraces.get(fov).remove(id);
    if (t != null) {
      for (long f : t.frame()) {
        steps.delete(FovKeys.key(fov, id, f));
      }
    }
    cells.delete(cellKey(fov, id));
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
      putCell(fov, c);
    }
    for (long id : step.retiredCells()) {
      deleteCell(fov, id); // tombstones: the compacted changelogs forget the cell
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
