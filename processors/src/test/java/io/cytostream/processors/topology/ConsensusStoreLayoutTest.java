package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.TraceFit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The consensus stage's traces kept one step per entry: a stage restored from the stores (a
 * restart) continues exactly as an uninterrupted one; a trace step is written once, when it is
 * made, and deleted when it leaves its window or its cell goes; cell records of the former layout
 * (trace inline) are read and their steps written at their next row.
 */
class ConsensusStoreLayoutTest {
  private static final String FOV = "layout/fov-1";
  private static final int FRAMES = 260;
  private static final int CUT = 180;

  record ConsensusStores(
      KeyValueStore<String, FovRecord> fovs,
      KeyValueStore<String, CellRecord> cells,
      KeyValueStore<String, TraceSteps.Step> steps) {
    static ConsensusStores create(MockProcessorContext<String, ConsensusOutput> context) {
      ConsensusStores s =
          new ConsensusStores(
              StageStores.store(ConsensusProcessor.FOV_STORE, new JsonSerde<>(FovRecord.class)),
              StageStores.store(ConsensusProcessor.CELL_STORE, new JsonSerde<>(CellRecord.class)),
              StageStores.store(ConsensusProcessor.TRACE_STORE, new TraceSteps.StepSerde()));
      for (KeyValueStore<String, ?> k : List.of(s.fovs, s.cells, s.steps)) {
        k.init(context.getStateStoreContext(), k);
        context.addStateStore(k);
      }
      return s;
    }
  }

  /** The tracked frames of a culture with continual divisions, from the real track stage. */
  private static List<TrackedFrame> tracked() {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, PipelineConfig.defaults());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "layout-inputs");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try {
      props.put(
          StreamsConfig.STATE_DIR_CONFIG,
          java.nio.file.Files.createTempDirectory("layout-inputs").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, io.cytostream.schemas.FrameObservations> in =
          driver.createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer());
      BoundedStateTest.DividingCulture culture = new BoundedStateTest.DividingCulture(3, FOV);
      for (long t = 0; t < FRAMES + 2; t++) {
        in.pipeInput(FOV, culture.next(t));
      }
      return driver
          .createOutputTopic(
              Topics.TRACKS.name(),
              Serdes.String().deserializer(),
              Topics.TRACKS.valueSerde().deserializer())
          .readValuesToList()
          .subList(0, FRAMES);
    }
  }

  private static String text(List<? extends KeyValue<String, ?>> kvs) {
    try {
      return Json.mapper()
          .writeValueAsString(kvs.stream().map(kv -> List.of(kv.key, kv.value)).toList());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void restoredFromStepsOrFromFormerRecordsTheStageContinuesAsIfUninterrupted() throws Exception {
    List<TrackedFrame> frames = tracked();
    MockProcessorContext<String, ConsensusOutput> ctxA = StageStores.context();
    ConsensusStores a = ConsensusStores.create(ctxA);
    ConsensusProcessor pa = new ConsensusProcessor(PipelineConfig.defaults());
    pa.init(ctxA);
    long stepsWritten = 0;
    int longest = 0;
    for (int t = 0; t < CUT; t++) {
      pa.process(new Record<>(FOV, frames.get(t), 1_000L + t));
      for (KeyValue<String, CellRecord> kv : StageStores.contents(a.cells())) {
        assertThat(kv.value.trace()).as("trace outside its record").isNull();
      }
      Map<Long, TraceFit.CellTrace> traces = ConsensusProcessor.tracesOf(a.steps(), FOV);
      for (TraceFit.CellTrace tr : traces.values()) {
        longest = Math.max(longest, tr.steps());
        // frames strictly increasing within a trace
        long[] f = tr.frame();
        long[] sorted = f.clone();
        Arrays.sort(sorted);
        assertThat(f).isEqualTo(sorted);
      }
      stepsWritten += traces.values().stream().mapToInt(TraceFit.CellTrace::steps).sum();
    }
    assertThat(longest).as("traces of some length were kept").isGreaterThan(10);
    assertThat(stepsWritten).isGreaterThan(1000);
    StageStores.forwarded(ctxA);

    // B: restored from a copy of the stores (a restart); C: the same state in the former layout,
    // each cell record with its trace inline and no step entries
    MockProcessorContext<String, ConsensusOutput> ctxB = StageStores.context();
    ConsensusStores b = ConsensusStores.create(ctxB);
    MockProcessorContext<String, ConsensusOutput> ctxC = StageStores.context();
    ConsensusStores c = ConsensusStores.create(ctxC);
    Map<Long, TraceFit.CellTrace> traces = ConsensusProcessor.tracesOf(a.steps(), FOV);
    for (KeyValue<String, FovRecord> kv : StageStores.contents(a.fovs())) {
      b.fovs().put(kv.key, kv.value);
      c.fovs().put(kv.key, kv.value);
    }
    for (KeyValue<String, TraceSteps.Step> kv : StageStores.contents(a.steps())) {
      b.steps().put(kv.key, kv.value);
    }
    int inline = 0;
    for (KeyValue<String, CellRecord> kv : StageStores.contents(a.cells())) {
      b.cells().put(kv.key, kv.value);
      CellRecord r = kv.value;
      TraceFit.CellTrace tr = traces.get(r.trackId());
      inline += tr == null ? 0 : 1;
      c.cells()
          .put(
              kv.key,
              new CellRecord(
                  r.trackId(),
                  r.statistics(),
                  r.rls(),
                  r.cusum(),
                  r.lastInnovation(),
                  tr,
                  r.retired()));
    }
    assertThat(inline).isGreaterThan(3);
    ConsensusProcessor pb = new ConsensusProcessor(PipelineConfig.defaults());
    pb.init(ctxB);
    ConsensusProcessor pc = new ConsensusProcessor(PipelineConfig.defaults());
    pc.init(ctxC);
    for (int t = CUT; t < FRAMES; t++) {
      pa.process(new Record<>(FOV, frames.get(t), 1_000L + t));
      pb.process(new Record<>(FOV, frames.get(t), 1_000L + t));
      pc.process(new Record<>(FOV, frames.get(t), 1_000L + t));
      List<String> expected = StageStores.forwarded(ctxA);
      assertThat(expected).isNotEmpty();
      assertThat(StageStores.forwarded(ctxB)).as("restored, frame %d", t).isEqualTo(expected);
      assertThat(StageStores.forwarded(ctxC)).as("former layout, frame %d", t).isEqualTo(expected);
      assertThat(text(StageStores.contents(b.steps())))
          .isEqualTo(text(StageStores.contents(a.steps())));
    }
    // the former layout's steps are all written by now: its stores equal the others'
    assertThat(text(StageStores.contents(c.steps())))
        .isEqualTo(text(StageStores.contents(a.steps())));
    assertThat(text(StageStores.contents(c.cells())))
        .isEqualTo(text(StageStores.contents(a.cells())));
  }
}
