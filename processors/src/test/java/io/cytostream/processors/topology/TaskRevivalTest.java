package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    Supplier<List<KeyValueStore<String, ?>>> stores = StageStores::track;
    List<String> plain =
        replayed(() -> new TrackProcessor(PipelineConfig.defaults()), stores, observed, false);
    List<String> revived =
        replayed(() -> new TrackProcessor(PipelineConfig.defaults()), stores, observed, true);
    assertThat(plain).hasSizeGreaterThan(FRAMES - COMMITTED - 3);
    assertThat(revived).isEqualTo(plain);
  }

  /**
   * The corruption path of Kafka Streams ({@link Revival#WRITES_COMMITTED}): the revived track
   * stage finds in its store the input offsets it has already applied and skips them, so that no
   * input record is processed twice (and none is skipped: the records after them are processed as
   * in an uninterrupted run). Before, the re-read frames were refused by the reorder buffer as
   * {@code duplicate_frame} and dead-lettered.
   */
  @Test
  void aRevivedTrackProcessorSkipsInputWhoseEffectsWereCommitted() {
    Supplier<List<KeyValueStore<String, ?>>> stores = StageStores::track;
    List<String> plain =
        replayed(
            () -> new TrackProcessor(PipelineConfig.defaults()), stores, observed, Revival.NONE);
    List<String> revived =
        replayed(
            () -> new TrackProcessor(PipelineConfig.defaults()),
            stores,
            observed,
            Revival.WRITES_COMMITTED);
    assertThat(plain)
        .hasSizeGreaterThan(FRAMES - COMMITTED - 3)
        .noneMatch(s -> s.contains("\"dead\":{"));
    assertThat(revived).isEqualTo(plain);
  }

  /**
   * A restart after the service was down for longer than the reorder timeout: the stored arrival
   * times are from before the failure, so the first timer after the restart used to find the buffer
   * "idle" and flush the frames the tracker held, finalising them without their lookahead
   * (finalAtFrame -1) and linking the rest of the run otherwise than an uninterrupted run did (seen
   * in scripts/kill9-run as tracks differing from frame 193 on). Timeouts now count from the task's
   * start too.
   */
  @Test
  void aTrackStageRestartedAfterALongOutageDoesNotFlushOnItsFirstTimer() {
    PipelineConfig config = PipelineConfig.defaults();
    List<String> plain =
        replayed(() -> new TrackProcessor(config), StageStores::track, observed, false);
    MockProcessorContext<String, TrackOutput> context = new MockProcessorContext<>();
    long t0 = 1_000_000L;
    context.setCurrentSystemTimeMs(t0);
    List<KeyValueStore<String, ?>> stores = StageStores.track();
    for (KeyValueStore<String, ?> s : stores) {
      s.init(context.getStateStoreContext(), s);
      context.addStateStore(s);
    }
    TrackProcessor before = new TrackProcessor(config);
    before.init(context);
    for (int i = 0; i < COMMITTED; i++) {
      feed(before, context, observed, i);
    }
    context.resetForwards();
    // down for twice the timeout; a new process, a new processor object on the committed stores
    long restart = t0 + 2 * config.reorderTimeout().toMillis();
    context.setCurrentSystemTimeMs(restart);
    TrackProcessor after = new TrackProcessor(config);
    after.init(context);
    var timers = context.scheduledPunctuators();
    timers.get(timers.size() - 1).getPunctuator().punctuate(restart + 1_000);
    assertThat(context.forwarded()).as("forwarded by the first timer after the restart").isEmpty();
    for (int i = COMMITTED; i < observed.size(); i++) {
      feed(after, context, observed, i);
    }
    List<String> out = new ArrayList<>();
    for (var f : context.forwarded()) {
      try {
        out.add(f.record().key() + "=" + Json.mapper().writeValueAsString(f.record().value()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(out).isEqualTo(plain);
  }

  @Test
  void aRevivedConsensusProcessorReplaysAsIfUninterrupted() {
    Supplier<List<KeyValueStore<String, ?>>> stores = StageStores::consensus;
    List<String> plain =
        replayed(() -> new ConsensusProcessor(PipelineConfig.defaults()), stores, tracked, false);
    List<String> revived =
        replayed(() -> new ConsensusProcessor(PipelineConfig.defaults()), stores, tracked, true);
    assertThat(plain).hasSizeGreaterThan(FRAMES - COMMITTED);
    assertThat(revived).isEqualTo(plain);
  }

  /**
   * A restarted service (another JVM) revives the consensus stage from its stores and must write
   * the very {@code consensus.fov} records an uninterrupted one wrote, byte for byte. Here a child
   * JVM replays the frames after the commit on rolled-back stores and this JVM runs them
   * uninterrupted. Before, the γ and γ-error maps were copied with {@code Map.copyOf}, whose
   * iteration order is salted per JVM start: the values were equal, the records were not (the
   * unexplained {@code consensus.fov} difference of {@code scripts/kill9-run}).
   */
  @Test
  void aRevivedConsensusStageInAnotherJvmWritesTheSameRecords(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("tracked.jsonl");
    Path out = tmp.resolve("revived.jsonl");
    List<String> lines = new ArrayList<>();
    for (TrackedFrame f : tracked) {
      lines.add(Json.mapper().writeValueAsString(f));
    }
    Files.write(in, lines, StandardCharsets.UTF_8);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RevivedConsensusInAnotherJvm.class.getName(),
                in.toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue())
        .as(Files.readString(tmp.resolve("child.log"), StandardCharsets.UTF_8))
        .isZero();
    List<String> plain = consensusFov(replayedConsensus(tracked, false));
    List<String> revived = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(plain).hasSize(FRAMES - COMMITTED);
    List<Integer> sizes = new ArrayList<>();
    for (String r : plain) {
      List<Long> ids = new ArrayList<>();
      Json.mapper()
          .readTree(r)
          .get("gamma")
          .fieldNames()
          .forEachRemaining(id -> ids.add(Long.parseLong(id)));
      sizes.add(ids.size());
      assertThat(ids).as("γ of %s", sizes).isSorted();
    }
    assertThat(sizes).as("γ per record").anyMatch(n -> n > 1);
    assertThat(revived).isEqualTo(plain);
  }

  /** The child JVM of the test above: the revived consensus stage's consensus.fov records. */
  static final class RevivedConsensusInAnotherJvm {
    public static void main(String[] args) throws Exception {
      List<TrackedFrame> frames = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
        frames.add(Json.mapper().readValue(line, TrackedFrame.class));
      }
      Files.write(
          Path.of(args[1]), consensusFov(replayedConsensus(frames, true)), StandardCharsets.UTF_8);
    }
  }

  private static List<String> replayedConsensus(List<TrackedFrame> frames, boolean revive) {
    return replayed(
        () -> new ConsensusProcessor(PipelineConfig.defaults()),
        StageStores::consensus,
        frames,
        revive);
  }

  /** The forwarded estimates (the stage's consensus.fov records). */
  private static List<String> consensusFov(List<String> forwarded) throws Exception {
    List<String> out = new ArrayList<>();
    for (String f : forwarded) {
      JsonNode estimate = Json.mapper().readTree(f.substring(f.indexOf('=') + 1)).get("estimate");
      if (estimate != null && !estimate.isNull()) {
        out.add(Json.mapper().writeValueAsString(estimate));
      }
    }
    return out;
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
        StageStores.store(ConsensusProcessor.CELL_STORE, new JsonSerde<>(CellRecord.class));
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

  /** How a task is revived after frame {@code COMMITTED - 1} was committed. */
  enum Revival {
    /** Not at all: the uninterrupted run. */
    NONE,
    /**
     * Exactly-once as designed: the frames after the commit were processed, then the transaction
     * aborted; the stores are rolled back to the commit and the input rewound to it.
     */
    ROLLED_BACK,
    /**
     * Kafka Streams' corruption handling ({@code TaskManager.handleCorruption}): the thread's open
     * transaction is committed for the other tasks, with this task's store writes and outputs of
     * the frames after the commit but not its input offsets; the task is revived on those stores
     * and its input rewound to the commit.
     */
    WRITES_COMMITTED
  }

  private static <V, KO, VO> List<String> replayed(
      Supplier<Processor<String, V, KO, VO>> processors,
      Supplier<List<KeyValueStore<String, ?>>> storeFactory,
      List<V> inputs,
      boolean revive) {
    return replayed(processors, storeFactory, inputs, revive ? Revival.ROLLED_BACK : Revival.NONE);
  }

  /**
   * Feeds {@code inputs} (offsets 0, 1, … of partition 0 of {@code cells.observed}) to one
   * processor object and returns, as JSON, what it forwarded (and was committed) for the frames
   * from {@link #COMMITTED} on. With a revival, {@link #ROLLED_BACK} more frames are processed
   * after the commit, the task is revived as the mode says ({@code init} called again on the same
   * object, as Kafka Streams does), and the input is replayed from the commit.
   */
  private static <V, KO, VO> List<String> replayed(
      Supplier<Processor<String, V, KO, VO>> processors,
      Supplier<List<KeyValueStore<String, ?>>> storeFactory,
      List<V> inputs,
      Revival revival) {
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
      feed(p, context, inputs, i);
    }
    context.resetForwards();
    if (revival != Revival.NONE) {
      List<List<KeyValue<String, Object>>> snapshot = new ArrayList<>();
      stores.forEach(s -> snapshot.add(contents(s)));
      for (int i = COMMITTED; i < COMMITTED + ROLLED_BACK; i++) {
        feed(p, context, inputs, i);
      }
      if (revival == Revival.ROLLED_BACK) {
        for (int s = 0; s < stores.size(); s++) {
          restore(stores.get(s), snapshot.get(s));
        }
        context.resetForwards(); // aborted with the transaction
      }
      p.init(context);
    }
    for (int i = COMMITTED; i < inputs.size(); i++) {
      feed(p, context, inputs, i);
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

  private static <V, KO, VO> void feed(
      Processor<String, V, KO, VO> p, MockProcessorContext<KO, VO> context, List<V> in, int i) {
    context.setRecordMetadata(Topics.CELLS_OBSERVED.name(), 0, i);
    p.process(new Record<>(FOV, in.get(i), 1_000L + i));
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
