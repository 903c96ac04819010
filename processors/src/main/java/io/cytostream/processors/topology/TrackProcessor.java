package io.cytostream.processors.topology;

import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.OnlineTracker;
import io.cytostream.processors.track.ReorderBuffer;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.processors.track.TrackerSnapshotDelta;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The track stage for all FOVs of a task, the Kafka layer over two algorithm classes: a {@link
 * ReorderBuffer} per FOV restores frame order (bounded by {@code maxReorderFrames}, forced after
 * {@code reorderTimeout} wall clock; the first frames of a FOV may arrive out of order within
 * {@code reorderStartupWindow}), then the {@link OnlineTracker} links cells; frames are emitted, in
 * order, once their links are final.
 *
 * <p>Here: buffered frames are kept in the {@value #FRAMES_STORE} store until final, the buffer's
 * state and the linker's header (frame and id counters, pending divisions) per FOV in {@value
 * #STATE_STORE}, the linker's active tracks in {@value #TRACKS_STORE} (key {@code fov/trackId}) and
 * its held frames in {@value #HELD_STORE} (key {@code fov/frameIndex}, {@link FovKeys}). Per frame
 * only what changed is written (a {@link TrackerSnapshotDelta}: the tracks detected or renamed, the
 * new held frame, a tombstone per ended track and released frame), so the changelogs carry deltas
 * bounded by the active tracks. A gap the buffer declares is counted in {@code
 * cytostream.frames.gaps} and raised as a {@code dropped_frame} event; the linker bridges it. A
 * frame the buffer refuses is dead-lettered: late as {@code out_of_order} (and raised as an {@code
 * out_of_order_frame} event), a repeat as {@code duplicate_frame}; the dead letter carries the
 * {@code frames.raw} coordinates of the frame ({@link FrameSource}), which also travel, kept in
 * {@value #SOURCES_STORE} until the frame is final, on its {@code tracks} record. A frame the
 * buffer accepts is counted in {@code cytostream.frames.processed}. When the buffer has been idle
 * for {@code reorderTimeout}, frames the linker still holds are finalised (flush), so the end of an
 * acquisition never waits for more frames.
 */
final class TrackProcessor implements Processor<String, FrameObservations, String, TrackOutput> {
  static final String STATE_STORE = "track-fov-state";
  static final String FRAMES_STORE = "track-frames";
  static final String SOURCES_STORE = "track-frame-sources";
  static final String TRACKS_STORE = "track-tracks";
  static final String HELD_STORE = "track-held-frames";
  static final String STAGE = "track";

  private static final Logger LOG = LoggerFactory.getLogger(TrackProcessor.class);

  private final PipelineConfig config;
  private final Map<String, OnlineTracker> trackers = new HashMap<>();
  // per FOV, the snapshot whose entries the stores hold (what the next delta is taken against)
  private final Map<String, TrackerSnapshot> written = new HashMap<>();
  private ProcessorContext<String, TrackOutput> context;
  private KeyValueStore<String, TrackStageState> states;

  /** How many reorder timeouts a frame known to be in flight is waited for at most. */
  static final int IN_FLIGHT_TIMEOUTS = 4;

  /** Buffered frames kept deserialised: each is read when released and again when final. */
  static final int CACHED_FRAMES = 256;

  private final StoreCache<FrameObservations> frames = new StoreCache<>(CACHED_FRAMES);
  private KeyValueStore<String, FrameSource> sources;
  private long runningSinceMs;
  private KeyValueStore<String, TrackerSnapshot.TrackState> trackStore;
  private KeyValueStore<String, TrackerSnapshot.HeldFrame> heldStore;

  TrackProcessor(PipelineConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, TrackOutput> context) {
    this.context = context;
    this.states = context.getStateStore(STATE_STORE);
    frames.attach(context.<KeyValueStore<String, FrameObservations>>getStateStore(FRAMES_STORE));
    this.sources = context.getStateStore(SOURCES_STORE);
    this.trackStore = context.getStateStore(TRACKS_STORE);
    this.heldStore = context.getStateStore(HELD_STORE);
    // Kafka Streams reuses this object when it revives a corrupted task on stores rolled back to
    // the last commit: trackers from before would run ahead of them.
    trackers.clear();
    // the buffers' arrival times in the store may predate a crash: the time the task was down is
    // not a pause of the acquisition (onTimer)
    runningSinceMs = context.currentSystemTimeMs();
    written.clear();
    long every = Math.max(100, Math.min(1000, config.reorderTimeout().toMillis() / 2));
    long window = config.reorderStartupWindow().toMillis();
    if (window > 0) {
      every = Math.max(50, Math.min(every, window / 2));
    }
    context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::onTimer);
  }

  /**
   * Applies an input record once: a record at or below the last offset applied from its partition
   * (kept in {@value #SOURCES_STORE}, written with the record's other store writes) is skipped. A
   * rollback restores that offset with the rest of the stores, so exactly-once replays after an
   * abort are processed again; but when Kafka Streams revives a task through its corruption
   * handling it first commits the thread's open transaction — this task's store writes and outputs
   * included, its input offsets not — and rewinds the input: those records are applied already and
   * must not be again (the reorder buffer would dead-letter them as duplicates).
   */
  @Override
  public void process(Record<String, FrameObservations> record) {
    Optional<RecordMetadata> at = context.recordMetadata();
    String key = at.map(m -> FovKeys.inputKey(m.topic(), m.partition())).orElse(null);
    if (key != null) {
      FrameSource last = sources.get(key);
      if (last != null && at.get().offset() <= last.offset()) {
        LOG.info(
            "skipping {} offset {}: already applied (last applied {})",
            key.substring(7),
            at.get().offset(),
            last.offset());
        return;
      }
    }
    processOnce(record);
    if (key != null) {
      sources.put(key, new FrameSource(at.get().topic(), at.get().partition(), at.get().offset()));
    }
  }

  private void processOnce(Record<String, FrameObservations> record) {
    String fov = record.key();
    FrameObservations obs = record.value();
    if (fov == null || obs == null) {
      return;
    }
    TrackStageState st = states.get(fov);
    if (st == null) {
      st = TrackStageState.initial();
    }
    ReorderBuffer buffer = buffer(st);
    long f = obs.frameIndex();
    long now = context.currentSystemTimeMs();
    ReorderBuffer.Arrival arrival = buffer.offer(f, now);
    if (arrival != ReorderBuffer.Arrival.ACCEPTED) {
      refuse(record, arrival, st.nextExpected());
      return;
    }
    config.metrics().frameProcessed(fov);
    frames.put(FovKeys.frameKey(fov, f), obs);
    source(record).ifPresent(src -> sources.put(FovKeys.frameKey(fov, f), src));
    List<Long> inFlight =
        InFlightFrames.accepted(
            st.inFlight(),
            f,
            InFlightFrames.routedAfter(record.headers()),
            buffer.nextExpected(),
            new HashSet<>(buffer.state().waiting()),
            now);
    states.put(fov, drain(fov, st, buffer, false, inFlight, now));
  }

  private ReorderBuffer buffer(TrackStageState st) {
    return ReorderBuffer.restore(
        config.maxReorderFrames(), config.reorderStartupWindow().toMillis(), st.reorder());
  }

  /** The frames.raw record of the frame: from its headers, else this record's own coordinates. */
  private Optional<FrameSource> source(Record<String, FrameObservations> record) {
    Optional<FrameSource> s = FrameSource.from(record.headers());
    return s.isPresent() ? s : FrameSource.of(context.recordMetadata());
  }

  /** Dead-letters a late frame (raised as {@code out_of_order_frame}) or a duplicate. */
  private void refuse(
      Record<String, FrameObservations> record, ReorderBuffer.Arrival arrival, long nextExpected) {
    String fov = record.key();
    FrameObservations obs = record.value();
    long f = obs.frameIndex();
    boolean late = arrival == ReorderBuffer.Arrival.LATE;
    String reason = TrackNotices.refusalReason(f, late, nextExpected);
    FrameSource src = source(record).orElse(new FrameSource(Topics.CELLS_OBSERVED.name(), -1, -1));
    DeadLetter d = TrackNotices.deadLetter(fov, obs, late, reason, src);
    context.forward(record.withValue(TrackOutput.dead(d)));
    if (late) {
      event(fov, f, obs.acquisitionTime(), "out_of_order_frame", "frames_late", 1, reason);
    }
  }

  /**
   * The FOV's tracker: the working one, else rebuilt from the stores (the header in {@code st}, the
   * tracks and held frames from their stores; a {@link TrackStageState#WHOLE} record from its own
   * snapshot, whose entries are then all written at the next frame).
   */
  private OnlineTracker tracker(String fov, TrackStageState st) {
    OnlineTracker t = trackers.get(fov);
    if (t != null) {
      return t;
    }
    if (st.tracker() == null) {
      t = new OnlineTracker(config.tracker());
      written.put(fov, TrackerSnapshotDelta.empty());
    } else if (st.layout() == TrackStageState.SPLIT) {
      TrackerSnapshot s = stored(fov, st.tracker());
      t = OnlineTracker.restore(config.tracker(), s);
      written.put(fov, s);
    } else {
      t = OnlineTracker.restore(config.tracker(), st.tracker());
      written.put(fov, TrackerSnapshotDelta.empty()); // nothing in the track and held stores yet
    }
    trackers.put(fov, t);
    return t;
  }

  /** The working tracker's snapshot of {@code fov} (null if none is loaded); for tests. */
  TrackerSnapshot workingSnapshot(String fov) {
    OnlineTracker t = trackers.get(fov);
    return t == null ? null : t.snapshot();
  }

  /** The snapshot of {@code fov} from its header and the entries of the track and held stores. */
  private TrackerSnapshot stored(String fov, TrackerSnapshot header) {
    return TrackerSnapshotDelta.assemble(
        header, FovKeys.valuesOf(trackStore, fov, 1), FovKeys.valuesOf(heldStore, fov, 1));
  }

  /**
   * Writes the changes from the snapshot the stores hold to the tracker's current one; returns its
   * header, for the {@value #STATE_STORE} record.
   */
  private TrackerSnapshot persist(String fov, OnlineTracker tracker) {
    TrackerSnapshot now = tracker.snapshot();
    TrackerSnapshotDelta d = TrackerSnapshotDelta.between(written.get(fov), now);
    for (TrackerSnapshot.TrackState t : d.tracks()) {
      trackStore.put(FovKeys.key(fov, t.id()), t);
    }
    for (long id : d.endedTracks()) {
      trackStore.delete(FovKeys.key(fov, id)); // a tombstone: the compacted changelog forgets it
    }
    for (TrackerSnapshot.HeldFrame h : d.heldFrames()) {
      heldStore.put(FovKeys.key(fov, h.frameIndex()), h);
    }
    for (long f : d.releasedFrames()) {
      heldStore.delete(FovKeys.key(fov, f));
    }
    written.put(fov, now);
    return d.header();
  }

  /**
   * Hands the frames the buffer releases to the linker and raises the gaps it declares; frames of
   * {@code inFlight} ({@link InFlightFrames}) named less than {@value #IN_FLIGHT_TIMEOUTS} reorder
   * timeouts ago are never declared missing.
   */
  private TrackStageState drain(
      String fov,
      TrackStageState st,
      ReorderBuffer buffer,
      boolean force,
      List<Long> inFlight,
      long now) {
    List<Long> held = new ArrayList<>(st.held());
    OnlineTracker tracker = tracker(fov, st);
    boolean pushed = false;
    long cap = IN_FLIGHT_TIMEOUTS * config.reorderTimeout().toMillis();
    for (ReorderBuffer.Step step :
        buffer.drain(force, InFlightFrames.protectedAt(inFlight, now, cap))) {
      if (step instanceof ReorderBuffer.Release r) {
        FrameObservations obs = frames.get(FovKeys.frameKey(fov, r.frameIndex()));
        held.add(r.frameIndex());
        emitFinal(
            fov,
            tracker.push(
                r.frameIndex(), TrackedFrames.detections(obs), TrackedFrames.candidates(obs)),
            held,
            false);
        pushed = true;
      } else if (step instanceof ReorderBuffer.Gap g) {
        gap(fov, g);
      }
    }
    config.metrics().reorderBuffer(fov, buffer.state().waiting().size());
    List<Long> still = InFlightFrames.pruned(inFlight, buffer.nextExpected());
    return pushed
        ? new TrackStageState(
            persist(fov, tracker), buffer.state(), held, TrackStageState.SPLIT, still)
        : new TrackStageState(st.tracker(), buffer.state(), held, st.layout(), still);
  }

  /** Counts and raises frames declared missing as {@code dropped_frame}. */
  private void gap(String fov, ReorderBuffer.Gap g) {
    long missing = g.missing();
    config.metrics().frameGap(fov, missing);
    FrameObservations obs = frames.get(FovKeys.frameKey(fov, g.nextPresent()));
    event(
        fov,
        g.nextPresent(),
        obs == null ? null : obs.acquisitionTime(),
        "dropped_frame",
        "missing_frames",
        missing,
        TrackNotices.gapReason(g));
  }

  private void onTimer(long now) {
    long timeout = config.reorderTimeout().toMillis();
    // Timeouts count from the later of the buffer's times and this task's start: after a restart
    // or a revival the stored arrival times are from before the failure, and the frames after them
    // are on their way again (flushing then would finalise frames without their lookahead and
    // link them otherwise than an uninterrupted run).
    boolean upForTimeout = now - runningSinceMs >= timeout;
    List<KeyValue<String, TrackStageState>> all = new ArrayList<>();
    try (KeyValueIterator<String, TrackStageState> it = states.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, TrackStageState> kv : all) {
      String fov = kv.key;
      TrackStageState st = kv.value;
      ReorderBuffer buffer = buffer(st);
      if (upForTimeout && buffer.timedOut(now, timeout)) {
        states.put(fov, drain(fov, st, buffer, true, st.inFlight(), now));
      } else if (buffer.endStartup(now)) {
        states.put(fov, drain(fov, st, buffer, false, st.inFlight(), now));
      } else if (upForTimeout && !st.held().isEmpty() && buffer.idle(now, timeout)) {
        OnlineTracker tracker = tracker(fov, st);
        List<Long> held = new ArrayList<>(st.held());
        emitFinal(fov, tracker.flush(), held, true);
        states.put(
            fov,
            new TrackStageState(
                persist(fov, tracker), buffer.state(), held, TrackStageState.SPLIT, st.inFlight()));
      }
    }
  }

  private void emitFinal(
      String fov, List<FinalizedFrame> finals, List<Long> held, boolean flushed) {
    for (FinalizedFrame ff : finals) {
      String key = FovKeys.frameKey(fov, ff.frameIndex());
      FrameObservations obs = frames.get(key);
      held.remove(Long.valueOf(ff.frameIndex()));
      if (obs == null) {
        continue; // cannot happen: every pushed frame is stored until final
      }
      frames.delete(key);
      FrameSource src = sources.delete(key);
      TrackedFrame tf =
          TrackedFrames.join(obs, ff, flushed ? -1 : ff.finalAtFrame(), config.emitLabels());
      config.metrics().frameTracked(fov);
      long ts =
          obs.acquisitionTime() == null
              ? context.currentSystemTimeMs()
              : obs.acquisitionTime().toEpochMilli();
      Headers headers = new RecordHeaders();
      if (src != null) {
        src.writeTo(headers);
      }
      context.forward(new Record<>(fov, TrackOutput.frame(tf), ts, headers));
    }
  }

  private void event(
      String fov,
      long frame,
      Instant time,
      String kind,
      String statistic,
      double value,
      String reason) {
    config.metrics().anomaly(fov, kind);
    AnomalyEvent e =
        AnomalyEvent.of(
            time == null ? Instant.ofEpochMilli(context.currentSystemTimeMs()) : time,
            new AnomalyEvent.Data(fov, frame, 0, kind, statistic, value, 0, reason));
    context.forward(new Record<>(fov, TrackOutput.event(e), context.currentSystemTimeMs()));
  }
}
