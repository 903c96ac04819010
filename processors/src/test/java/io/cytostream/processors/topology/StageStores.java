package io.cytostream.processors.topology;

import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * In-memory stores named and typed as the track and consensus stages declare them, and the helpers
 * the tests use to drive those processors by hand ({@link MockProcessorContext}).
 */
final class StageStores {
  private StageStores() {}

  /** An unlogged in-memory store with string keys. */
  static <T> KeyValueStore<String, T> store(String name, Serde<T> serde) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
        .withLoggingDisabled()
        .build();
  }

  /** The track stage's stores: state, frames, sources, tracks, held frames (in that order). */
  static List<KeyValueStore<String, ?>> track() {
    return List.of(
        store(TrackProcessor.STATE_STORE, new JsonSerde<>(TrackStageState.class)),
        store(TrackProcessor.FRAMES_STORE, Topics.CELLS_OBSERVED.valueSerde()),
        store(TrackProcessor.SOURCES_STORE, new JsonSerde<>(FrameSource.class)),
        store(TrackProcessor.TRACKS_STORE, new TrackStateSerde()),
        store(TrackProcessor.HELD_STORE, new JsonSerde<>(TrackerSnapshot.HeldFrame.class)));
  }

  /** The consensus stage's stores: FOVs, cells, trace steps (in that order). */
  static List<KeyValueStore<String, ?>> consensus() {
    return List.of(
        store(ConsensusProcessor.FOV_STORE, new JsonSerde<>(FovRecord.class)),
        store(ConsensusProcessor.CELL_STORE, new JsonSerde<>(CellRecord.class)),
        store(ConsensusProcessor.TRACE_STORE, new TraceSteps.StepSerde()));
  }

  /** Initialises {@code stores} on {@code context} and registers them with it. */
  static void attach(MockProcessorContext<?, ?> context, List<KeyValueStore<String, ?>> stores) {
    for (KeyValueStore<String, ?> k : stores) {
      k.init(context.getStateStoreContext(), k);
      context.addStateStore(k);
    }
  }

  /** A context whose wall clock stands at 1,000 s. */
  static <O> MockProcessorContext<String, O> context() {
    MockProcessorContext<String, O> c = new MockProcessorContext<>();
    c.setCurrentSystemTimeMs(1_000_000L);
    return c;
  }

  /** What {@code c} forwarded since the last call, each as {@code key=json}; then forgets it. */
  static List<String> forwarded(MockProcessorContext<String, ?> c) {
    List<String> out = new ArrayList<>();
    for (var f : c.forwarded()) {
      try {
        out.add(f.record().key() + "=" + Json.mapper().writeValueAsString(f.record().value()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
    c.resetForwards();
    return out;
  }

  /** Every entry of {@code s}, in key order. */
  static <V> List<KeyValue<String, V>> contents(KeyValueStore<String, V> s) {
    List<KeyValue<String, V>> all = new ArrayList<>();
    try (KeyValueIterator<String, V> it = s.all()) {
      it.forEachRemaining(all::add);
    }
    return all;
  }
}
