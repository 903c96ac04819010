package io.cytostream.processors.topology;

import io.cytostream.processors.track.Detection;
import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.OnlineTracker;
import io.cytostream.processors.track.TrackAssignment;
import io.cytostream.processors.track.TrackEvent;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The track stage for all FOVs of a task: a bounded reorder buffer restores frame order per FOV,
 * then the {@link OnlineTracker} links cells; frames are emitted, in order, once their links are
 * final.
 *
 * <p>Order: the first frame of a FOV sets the expected index. A frame that arrives early waits in
 * the buffer. When more than {@code maxReorderFrames} frames wait, or the oldest has waited {@code
 * reorderTimeout} (wall clock), the missing frames are declared a gap: counted in {@code
 * cytostream.frames.gaps} and raised as a {@code dropped_frame} event; the linker bridges it. A
 * frame arriving after its slot was passed, or twice, is dead-lettered and raised as {@code
 * out_of_order_frame}. After {@code reorderTimeout} without arrivals, frames the linker still holds
 * are finalised (flush), so the end of an acquisition never waits for more frames.
 */
final class TrackProcessor implements Processor<String, FrameObservations, String, TrackOutput> {
  static final String STATE_STORE = "track-fov-state";
  static final String FRAMES_STORE = "track-frames";
  static final String STAGE = "track";

  private static final JsonSerde<FrameObservations> OBS = new JsonSerde<>(FrameObservations.class);

  private final PipelineConfig config;
  private final Map<String, OnlineTracker> trackers = new HashMap<>();
  private ProcessorContext<String, TrackOutput> context;
  private KeyValueStore<String, TrackStageState> states;
  private KeyValueStore<String, FrameObservations> frames;

  TrackProcessor(PipelineConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, TrackOutput> context) {
    this.context = context;
    this.states = context.getStateStore(STATE_STORE);
    this.frames = context.getStateStore(FRAMES_STORE);
    // Kafka Streams reuses this object when it revives a corrupted task on stores rolled back to
    // the last commit: trackers from before would run ahead of them.
    trackers.clear();
    long every = Math.max(100, Math.min(1000, config.reorderTimeout().toMillis() / 2));
    context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::onTimer);
  }

  static String frameKey(String fov, long frame) {
    return fov + "/" + String.format(Locale.ROOT, "%012d", frame);
  }

  @Override
  public void process(Record<String, FrameObservations> record) {
    String fov = record.key();
    FrameObservations obs = record.value();
    if (fov == null || obs == null) {
      return;
    }
    long now = context.currentSystemTimeMs();
    TrackStageState st = states.get(fov);
    if (st == null) {
      st = TrackStageState.initial();
    }
    long f = obs.frameIndex();
    boolean late = st.nextExpected() >= 0 && f < st.nextExpected();
    if (late || st.buffered().contains(f)) {
      String reason =
          late
              ? "frame "
                  + f
                  + " arrived after the tracker had moved on to frame "
                  + st.nextExpected()
              : "frame " + f + " arrived twice";
      DeadLetter d =
          new DeadLetter(
              fov.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              OBS.serializer().serialize(Topics.CELLS_OBSERVED.name(), obs),
              STAGE,
              reason,
              late
                  ? DeadLetterKind.OUT_OF_ORDER.wireName()
                  : DeadLetterKind.DUPLICATE_FRAME.wireName(),
              Topics.CELLS_OBSERVED.name(),
              -1,
              -1);
      context.forward(record.withValue(TrackOutput.dead(d)));
      event(fov, f, obs.acquisitionTime(), "out_of_order_frame", "frames_late", 1, 0, reason);
      return;
    }
    frames.put(frameKey(fov, f), obs);
    TreeSet<Long> buffered = new TreeSet<>(st.buffered());
    buffered.add(f);
    st =
        new TrackStageState(
            st.tracker(),
            st.nextExpected() < 0 ? f : st.nextExpected(),
            List.copyOf(buffered),
            st.buffered().isEmpty() ? now : st.oldestBufferedAtMs(),
            now,
            st.held());
    states.put(fov, drain(fov, st, now, false));
  }

  private OnlineTracker tracker(String fov, TrackStageState st) {
    return trackers.computeIfAbsent(
        fov,
        k ->
            st.tracker() == null
                ? new OnlineTracker(config.tracker())
                : OnlineTracker.restore(config.tracker(), st.tracker()));
  }

  /** Hands every frame that is next in order to the linker; declares gaps when forced or full. */
  private TrackStageState drain(String fov, TrackStageState st, long now, boolean force) {
    TreeSet<Long> buffered = new TreeSet<>(st.buffered());
    List<Long> held = new ArrayList<>(st.held());
    long next = st.nextExpected();
    OnlineTracker tracker = tracker(fov, st);
    boolean pushed = false;
    while (!buffered.isEmpty()) {
      long first = buffered.first();
      if (first == next) {
        buffered.pollFirst();
        FrameObservations obs = frames.get(frameKey(fov, first));
        held.add(first);
        emitFinal(fov, tracker.push(first, detections(obs)), held, false);
        pushed = true;
        next = first + 1;
      } else if (force || buffered.size() > config.maxReorderFrames()) {
        long missing = first - next;
        config.metrics().frameGap(fov, missing);
        FrameObservations obs = frames.get(frameKey(fov, first));
        event(
            fov,
            first,
            obs == null ? null : obs.acquisitionTime(),
            "dropped_frame",
            "missing_frames",
            missing,
            0,
            missing == 1
                ? "frame " + next + " never arrived"
                : "frames " + next + ".." + (first - 1) + " never arrived");
        next = first;
      } else {
        break;
      }
    }
    config.metrics().reorderBuffer(fov, buffered.size());
    long oldest =
        buffered.isEmpty() ? 0 : (st.buffered().isEmpty() ? now : st.oldestBufferedAtMs());
    return new TrackStageState(
        pushed ? tracker.snapshot() : st.tracker(),
        next,
        List.copyOf(buffered),
        oldest,
        st.lastArrivalMs(),
        held);
  }

  private void onTimer(long now) {
    long timeout = config.reorderTimeout().toMillis();
    List<KeyValue<String, TrackStageState>> all = new ArrayList<>();
    try (KeyValueIterator<String, TrackStageState> it = states.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, TrackStageState> kv : all) {
      String fov = kv.key;
      TrackStageState st = kv.value;
      if (!st.buffered().isEmpty() && now - st.oldestBufferedAtMs() >= timeout) {
        states.put(fov, drain(fov, st, now, true));
      } else if (st.buffered().isEmpty()
          && !st.held().isEmpty()
          && now - st.lastArrivalMs() >= timeout) {
        OnlineTracker tracker = tracker(fov, st);
        List<Long> held = new ArrayList<>(st.held());
        emitFinal(fov, tracker.flush(), held, true);
        states.put(
            fov,
            new TrackStageState(
                tracker.snapshot(),
                st.nextExpected(),
                st.buffered(),
                st.oldestBufferedAtMs(),
                st.lastArrivalMs(),
                held));
      }
    }
  }

  private static List<Detection> detections(FrameObservations obs) {
    List<Detection> d = new ArrayList<>(obs.cells().size());
    for (FrameObservations.Cell c : obs.cells()) {
      d.add(new Detection(c.label(), c.centroidX(), c.centroidY(), c.areaPx(), c.meanIntensity()));
    }
    return d;
  }

  private void emitFinal(
      String fov, List<FinalizedFrame> finals, List<Long> held, boolean flushed) {
    for (FinalizedFrame ff : finals) {
      String key = frameKey(fov, ff.frameIndex());
      FrameObservations obs = frames.get(key);
      held.remove(Long.valueOf(ff.frameIndex()));
      if (obs == null) {
        continue; // cannot happen: every pushed frame is stored until final
      }
      frames.delete(key);
      TrackedFrame tf = tracked(obs, ff, flushed ? -1 : ff.finalAtFrame(), config.emitLabels());
      config.metrics().frameTracked(fov);
      long ts =
          obs.acquisitionTime() == null
              ? context.currentSystemTimeMs()
              : obs.acquisitionTime().toEpochMilli();
      context.forward(new Record<>(fov, TrackOutput.frame(tf), ts));
    }
  }

  /** Joins a frame's observations with its final links. */
  static TrackedFrame tracked(
      FrameObservations obs, FinalizedFrame ff, long finalAt, boolean withLabels) {
    Map<Integer, TrackAssignment> byLabel = new HashMap<>();
    for (TrackAssignment a : ff.assignments()) {
      byLabel.put(a.label(), a);
    }
    List<TrackedFrame.Cell> cells = new ArrayList<>();
    for (FrameObservations.Cell c : obs.cells()) {
      TrackAssignment a = byLabel.get(c.label());
      if (a == null) {
        continue;
      }
      cells.add(
          new TrackedFrame.Cell(
              a.trackId(),
              a.parentTrackId(),
              c.label(),
              c.centroidX(),
              c.centroidY(),
              c.areaPx(),
              c.meanIntensity(),
              c.normalizedIntensity(),
              c.onBorder()));
    }
    List<TrackedFrame.Neighbours> pairs = new ArrayList<>();
    for (FrameObservations.Neighbours n : obs.neighbours()) {
      TrackAssignment a = byLabel.get(n.labelI());
      TrackAssignment b = byLabel.get(n.labelJ());
      if (a == null || b == null) {
        continue;
      }
      long i = Math.min(a.trackId(), b.trackId());
      long j = Math.max(a.trackId(), b.trackId());
      pairs.add(new TrackedFrame.Neighbours(i, j, n.sharedBorderPx(), n.centroidDistancePx()));
    }
    List<TrackedFrame.TrackEvent> events = new ArrayList<>();
    for (TrackEvent e : ff.events()) {
      events.add(
          new TrackedFrame.TrackEvent(
              e.type().name().toLowerCase(Locale.ROOT).replace("track_", ""),
              e.trackId(),
              e.daughterTrackIds(),
              describe(e)));
    }
    return new TrackedFrame(
        TrackedFrame.VERSION,
        obs.fov(),
        obs.frameIndex(),
        finalAt,
        obs.acquisitionTime(),
        obs.timeSeconds(),
        obs.width(),
        obs.height(),
        obs.quality(),
        cells,
        pairs,
        events,
        withLabels ? obs.labels() : null);
  }

  private static String describe(TrackEvent e) {
    return switch (e.type()) {
      case TRACK_STARTED -> "track " + e.trackId() + " starts at frame " + e.frameIndex();
      case TRACK_ENDED -> "track " + e.trackId() + " last seen at frame " + e.frameIndex();
      case DIVISION ->
          "track "
              + e.trackId()
              + " divided into "
              + e.daughterTrackIds()
              + " at frame "
              + e.frameIndex();
      case GAP_CLOSED ->
          "track "
              + e.trackId()
              + " seen again at frame "
              + e.frameIndex()
              + " after "
              + e.framesMissed()
              + " missed frame(s)";
    };
  }

  private void event(
      String fov,
      long frame,
      Instant time,
      String kind,
      String statistic,
      double value,
      double threshold,
      String reason) {
    config.metrics().anomaly(fov, kind);
    AnomalyEvent e =
        AnomalyEvent.of(
            time == null ? Instant.ofEpochMilli(context.currentSystemTimeMs()) : time,
            new AnomalyEvent.Data(fov, frame, 0, kind, statistic, value, threshold, reason));
    context.forward(new Record<>(fov, TrackOutput.event(e), context.currentSystemTimeMs()));
  }
}
