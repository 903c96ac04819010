package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollback safety of the stateful processors: when Kafka Streams revives a corrupted exactly-once
 * task it restores the task's stores to the last commit, rewinds its input to the last committed
 * offset and initialises the <em>same</em> processor objects again. This test does exactly that to
 * {@link TrackProcessor} and {@link ConsensusProcessor} (real stores, the processor API's mock
 * context): frames 0..11 "committed", 12..15 processed and rolled back, {@code init} called again,
 * 12..19 replayed. The replay must forward exactly what an uninterrupted processor forwarded for
 * frames 12..19. Before the processors emptied their working objects in {@code init()}, the tracker
 * and the consensus cache ran ahead of the restored stores: the tracker's replayed frames came out
 * with other ids and the consensus stage dropped the replayed rows.
 */
class TaskRevivalTest {
  private static final String FOV = "revive/fov-1";
  private static final int FRAMES = 20;
  private static final int COMMITTED = 12;
  private static final int ROLLED_BACK = 4;

  private static List<FrameObservations> observed;
  private static List<TrackedFrame> tracked;

  /** The stages' inputs: what the whole topology produces for a simulated culture. */
  @BeforeAll
  static void inputs() {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, PipelineConfig.defaults());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "revival-inputs");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              Topics.FRAMES_RAW.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer());
      SimulationConfig sim =
          SimulationConfig.builder().seed(5).frames(FRAMES).frameIntervalSeconds(1.0).build();
      Iterator<SimulatedFrame> frames = new CultureSimulator(sim);
      Instant start = Instant.parse("2026-11-29T10:00:00Z");
      while (frames.hasNext()) {
        SimulatedFrame f = frames.next();
        FrameHeader h =
            FrameHeader.inline(
                FOV,
                f.index(),
                start.plusSeconds(f.index()),
                f.width(),
                f.height(),
                f.raw().type(),
                null,
                1.0,
                null);
        in.pipeInput(
            FOV.getBytes(StandardCharsets.UTF_8),
            FrameCodec.encode(new Frame(h, f.raw().pixels())));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(30));
      observed =
          driver
              .createOutputTopic(
                  Topics.CELLS_OBSERVED.name(),
                  Serdes.String().deserializer(),
                  Topics.CELLS_OBSERVED.valueSerde().deserializer())
              .readValuesToList();
      tracked =
          driver
              .createOutputTopic(
                  Topics.TRACKS.name(),
                  Serdes.String().deserializer(),
                  Topics.TRACKS.valueSerde().deserializer())
              .readValuesToList();
    }
    assertThat(observed).hasSize(FRAMES);
    assertThat(tracked).hasSize(FRAMES);
  }

  @Test
  void aRevivedTrackProcessorReplaysAsIfUninterrupted() {
    Supplier<List<KeyValueStore<String, ?>>> stores =
        () ->
            List.of(
                store(TrackProcessor.STATE_STORE, new JsonSerde<>(TrackStageState.class)),
                store(TrackProcessor.FRAMES_STORE, Topics.CELLS_OBSERVED.valueSerde()),
                store(TrackProcessor.SOURCES_STORE, new JsonSerde<>(FrameSource.class)),
                store(TrackProcessor.TRACKS_STORE, new TrackStateSerde()),
                store(TrackProcessor.HELD_STORE, new JsonSerde<>(TrackerSnapshot.HeldFrame.class)));
    List<String> plain =
        replayed(() -> new TrackProcessor(PipelineConfig.defaults()), stores, observed, false);
    List<String> revived =
        replayed(() -> new TrackProcessor(PipelineConfig.defaults()), stores, observed, true);
    assertThat(plain).hasSizeGreaterThan(FRAMES - COMMITTED - 3);
    assertThat(revived).isEqualTo(plain);
  }

  @Test
  void aRevivedConsensusProcessorReplaysAsIfUninterrupted() {
    Supplier<List<KeyValueStore<String, ?>>> stores =
        () ->
            List.of(
                store(ConsensusProcessor.FOV_STORE, new JsonSerde<>(FovRecord.class)),
                store(ConsensusProcessor.CELL_STORE, new JsonSerde<>(CellRecord.class)),
                store(ConsensusProcessor.TRACE_STORE, new TraceSteps.StepSerde()));
    List<String> plain =
        replayed(() -> new ConsensusProcessor(PipelineConfig.defaults()), stores, tracked, false);
    List<String> revived =
        replayed(() -> new ConsensusProcessor(PipelineConfig.defaults()), stores, tracked, true);
    assertThat(plain).hasSizeGreaterThan(FRAMES - COMMITTED);
    assertThat(revived).isEqualTo(plain);
  }

  /**
   * Per-cell store keys are {@code fov + "/" + id}, and FOV ids may contain {@code /}: a FOV
   * restored from the stores (after a restart or a revival) must read its own cells only, not those
   * of a FOV nested under its id ({@code a} and {@code a/b} on one task). Before, the prefix scan
   * of {@code "a/"} also returned {@code a/b}'s cells.
   */
  @Test
  void aRestoredFovReadsItsOwnCellsNotThoseOfAFovNestedUnderIt() throws Exception {
    MockProcessorContext<String, ConsensusOutput> context = new MockProcessorContext<>();
    KeyValueStore<String, CellRecord> cells =
        store(ConsensusProcessor.CELL_STORE, new JsonSerde<>(CellRecord.class));
    cells.init(context.getStateStoreContext(), cells);
    for (String fov : List.of("a", "a/b", "a/0000000000000000007", "ab")) {
      for (long id : new long[] {7, 8}) {
        cells.put(
            ConsensusProcessor.cellKey(fov, id),
            Json.mapper().readValue("{\"trackId\":" + id + "}", CellRecord.class));
      }
    }
    assertThat(ConsensusProcessor.cellsOf(cells, "a"))
        .extracting(CellRecord::trackId)
        .containsExactly(7L, 8L);
    assertThat(ConsensusProcessor.cellsOf(cells, "a/b")).hasSize(2);
    assertThat(ConsensusProcessor.cellsOf(cells, "a/0000000000000000007")).hasSize(2);
  }

  /**
   * Feeds {@code inputs} to one processor object and returns, as JSON, what it forwarded for the
   * frames from {@link #COMMITTED} on. With {@code revive}: after frame {@code COMMITTED - 1} the
   * stores are snapshotted (the commit), {@link #ROLLED_BACK} more frames are processed, the stores
   * are restored to the snapshot and {@code init} is called again on the same object, as Kafka
   * Streams does when it revives a task; then the frames after the commit are replayed.
   */
  private static <V, KO, VO> List<String> replayed(
      Supplier<Processor<String, V, KO, VO>> processors,
      Supplier<List<KeyValueStore<String, ?>>> storeFactory,
      List<V> inputs,
      boolean revive) {
    MockProcessorContext<KO, VO> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(1_000_000L);
    List<KeyValueStore<String, ?>> stores = storeFactory.get();
    for (KeyValueStore<String, ?> s : stores) {
      s.init(context.getStateStoreContext(), s);
      context.addStateStore(s);
    }
    Processor<String, V, KO, VO> p = processors.get();
    p.init(context);
    for (int i = 0; i < COMMITTED; i++) {
      p.process(new Record<>(FOV, inputs.get(i), 1_000L + i));
    }
    if (revive) {
      List<List<KeyValue<String, Object>>> snapshot = new ArrayList<>();
      stores.forEach(s -> snapshot.add(contents(s)));
      for (int i = COMMITTED; i < COMMITTED + ROLLED_BACK; i++) {
        p.process(new Record<>(FOV, inputs.get(i), 1_000L + i));
      }
      for (int s = 0; s < stores.size(); s++) {
        restore(stores.get(s), snapshot.get(s));
      }
      p.init(context);
    }
    context.resetForwards();
    for (int i = COMMITTED; i < inputs.size(); i++) {
      p.process(new Record<>(FOV, inputs.get(i), 1_000L + i));
    }
    List<String> out = new ArrayList<>();
    for (var f : context.forwarded()) {
      try {
        out.add(f.record().key() + "=" + Json.mapper().writeValueAsString(f.record().value()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static <T> KeyValueStore<String, T> store(String name, Serde<T> serde) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
        .withLoggingDisabled()
        .build();
  }

  @SuppressWarnings("unchecked")
  private static List<KeyValue<String, Object>> contents(KeyValueStore<String, ?> s) {
    List<KeyValue<String, Object>> all = new ArrayList<>();
    try (KeyValueIterator<String, ?> it = s.all()) {
      it.forEachRemaining(kv -> all.add((KeyValue<String, Object>) kv));
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static void restore(KeyValueStore<String, ?> store, List<KeyValue<String, Object>> to) {
    KeyValueStore<String, Object> s = (KeyValueStore<String, Object>) store;
    for (KeyValue<String, Object> kv : contents(s)) {
      s.delete(kv.key);
    }
    to.forEach(kv -> s.put(kv.key, kv.value));
  }
}
