package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.processors.track.TrackerSnapshotDelta;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The track stage's store layout: the header in {@value TrackProcessor#STATE_STORE}, one entry per
 * active track and per held frame, written as deltas, always give back the working tracker; a
 * record of the former layout (the whole snapshot in the header record) is read and moved to the
 * new one.
 */
class TrackStoreLayoutTest {
  private static final List<String> FOVS = List.of("a", "a/b", "a/0000000000000000007");

  /** The track stage's stores, in memory. */
  record TrackStores(
      KeyValueStore<String, TrackStageState> states,
      KeyValueStore<String, FrameObservations> frames,
      KeyValueStore<String, FrameSource> sources,
      KeyValueStore<String, TrackerSnapshot.TrackState> tracks,
      KeyValueStore<String, TrackerSnapshot.HeldFrame> held) {

    static TrackStores create(MockProcessorContext<String, TrackOutput> context) {
      TrackStores s =
          new TrackStores(
              StageStores.store(TrackProcessor.STATE_STORE, new JsonSerde<>(TrackStageState.class)),
              StageStores.store(TrackProcessor.FRAMES_STORE, Topics.CELLS_OBSERVED.valueSerde()),
              StageStores.store(TrackProcessor.SOURCES_STORE, new JsonSerde<>(FrameSource.class)),
              StageStores.store(TrackProcessor.TRACKS_STORE, new TrackStateSerde()),
              StageStores.store(
                  TrackProcessor.HELD_STORE, new JsonSerde<>(TrackerSnapshot.HeldFrame.class)));
      for (KeyValueStore<String, ?> k : List.of(s.states, s.frames, s.sources, s.tracks, s.held)) {
        k.init(context.getStateStoreContext(), k);
        context.addStateStore(k);
      }
      return s;
    }

    /** The snapshot of {@code fov} as the stores hold it. */
    TrackerSnapshot stored(String fov) {
      TrackStageState st = states.get(fov);
      assertThat(st.layout()).isEqualTo(TrackStageState.SPLIT);
      assertThat(st.tracker().tracks()).isEmpty();
      return TrackerSnapshotDelta.assemble(
          st.tracker(), FovKeys.valuesOf(tracks, fov, 1), FovKeys.valuesOf(held, fov, 1));
    }
  }

  /**
   * Three FOVs on one task, two of them nested under the third's id, with continual divisions:
   * after every frame, the header and the per-track and per-frame entries of each FOV assemble to
   * exactly its working tracker's snapshot, and no entry is left for an ended track or a released
   * frame.
   */
  @Test
  void theEntriesWrittenAsDeltasAlwaysGiveBackTheWorkingTracker() {
    MockProcessorContext<String, TrackOutput> context = StageStores.context();
    TrackStores s = TrackStores.create(context);
    TrackProcessor p = new TrackProcessor(PipelineConfig.defaults());
    p.init(context);
    List<BoundedStateTest.DividingCulture> cultures = new ArrayList<>();
    for (int i = 0; i < FOVS.size(); i++) {
      cultures.add(new BoundedStateTest.DividingCulture(11 + i, FOVS.get(i)));
    }
    int trackEntriesSeen = 0;
    for (long t = 0; t < 300; t++) {
      for (int i = 0; i < FOVS.size(); i++) {
        String fov = FOVS.get(i);
        p.process(new Record<>(fov, cultures.get(i).next(t), 1_000L + t));
        TrackerSnapshot working = p.workingSnapshot(fov);
        assertThat(s.stored(fov)).as("%s at %d", fov, t).isEqualTo(working);
        trackEntriesSeen += working.tracks().size();
      }
      int entries = 0;
      try (KeyValueIterator<String, TrackerSnapshot.TrackState> it = s.tracks().all()) {
        while (it.hasNext()) {
          it.next();
          entries++;
        }
      }
      int active = 0;
      for (String fov : FOVS) {
        active += p.workingSnapshot(fov).tracks().size();
      }
      assertThat(entries).as("track entries at %d", t).isEqualTo(active);
    }
    assertThat(trackEntriesSeen).isGreaterThan(300 * 3 * 4);
    // a processor restored from a copy of these stores (a restart) continues the same trackers
    MockProcessorContext<String, TrackOutput> context2 = StageStores.context();
    TrackStores s2 = TrackStores.create(context2);
    copy(s.states(), s2.states());
    copy(s.frames(), s2.frames());
    copy(s.sources(), s2.sources());
    copy(s.tracks(), s2.tracks());
    copy(s.held(), s2.held());
    TrackProcessor restored = new TrackProcessor(PipelineConfig.defaults());
    restored.init(context2);
    StageStores.forwarded(context);
    for (int i = 0; i < FOVS.size(); i++) {
      String fov = FOVS.get(i);
      FrameObservations next = cultures.get(i).next(300);
      restored.process(new Record<>(fov, next, 2_000L));
      p.process(new Record<>(fov, next, 2_000L));
      assertThat(restored.workingSnapshot(fov)).isEqualTo(p.workingSnapshot(fov));
      assertThat(s2.stored(fov)).isEqualTo(s.stored(fov));
    }
    assertThat(StageStores.forwarded(context2))
        .isNotEmpty()
        .isEqualTo(StageStores.forwarded(context));
  }

  /**
   * A state record of the former layout (the whole snapshot in {@code tracker}, no {@code layout}
   * field) is read: the stage continues exactly as if uninterrupted, and from the next frame on the
   * FOV's tracks and held frames are entries of their own stores.
   */
  @Test
  void aRecordOfTheFormerLayoutIsReadAndMovedToTheNewOne() throws Exception {
    String fov = "legacy/fov-1";
    BoundedStateTest.DividingCulture culture = new BoundedStateTest.DividingCulture(5, fov);
    List<FrameObservations> frames = new ArrayList<>();
    for (long t = 0; t < 120; t++) {
      frames.add(culture.next(t));
    }
    MockProcessorContext<String, TrackOutput> ctxA = StageStores.context();
    TrackStores a = TrackStores.create(ctxA);
    TrackProcessor pa = new TrackProcessor(PipelineConfig.defaults());
    pa.init(ctxA);
    for (int t = 0; t < 60; t++) {
      pa.process(new Record<>(fov, frames.get(t), 1_000L + t));
    }
    StageStores.forwarded(ctxA);
    // the former record: whole snapshot, JSON without a layout field
    TrackStageState now = a.states().get(fov);
    TrackStageState whole =
        new TrackStageState(
            pa.workingSnapshot(fov), now.reorder(), now.held(), TrackStageState.WHOLE);
    ObjectNode json = (ObjectNode) Json.mapper().valueToTree(whole);
    json.remove("layout");
    assertThat(json.get("tracker").get("tracks").size()).isGreaterThan(3);
    MockProcessorContext<String, TrackOutput> ctxB = StageStores.context();
    TrackStores b = TrackStores.create(ctxB);
    b.states().put(fov, Json.mapper().treeToValue(json, TrackStageState.class));
    copy(a.frames(), b.frames());
    copy(a.sources(), b.sources());
    assertThat(b.states().get(fov).layout()).isEqualTo(TrackStageState.WHOLE);
    TrackProcessor pb = new TrackProcessor(PipelineConfig.defaults());
    pb.init(ctxB);
    for (int t = 60; t < 120; t++) {
      pa.process(new Record<>(fov, frames.get(t), 1_000L + t));
      pb.process(new Record<>(fov, frames.get(t), 1_000L + t));
      assertThat(StageStores.forwarded(ctxB))
          .as("frame %d", t)
          .isEqualTo(StageStores.forwarded(ctxA));
      assertThat(b.stored(fov)).isEqualTo(pb.workingSnapshot(fov));
      assertThat(b.stored(fov)).isEqualTo(a.stored(fov));
    }
  }

  private static <V> void copy(KeyValueStore<String, V> from, KeyValueStore<String, V> to) {
    List<KeyValue<String, V>> all = new ArrayList<>();
    try (KeyValueIterator<String, V> it = from.all()) {
      it.forEachRemaining(all::add);
    }
    all.forEach(kv -> to.put(kv.key, kv.value));
  }
}
