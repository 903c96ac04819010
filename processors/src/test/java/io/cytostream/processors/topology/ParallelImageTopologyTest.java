package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame-parallel image stage ({@code cytostream.image.parallel=true}) gives the same outputs as
 * the sequential one on the same frames: every output topic record for record (key, value bytes,
 * provenance headers), for three FOVs whose frames arrive interleaved and out of order (also inside
 * the calibration window, whose arrival order the normalisation depends on), with a duplicate frame
 * after calibration (a track-stage dead letter that must name the frame's {@code frames.raw}
 * record) and an undecodable record; one FOV's frames come by reference (claim check), which the
 * parallel stage reads from their files again.
 */
class ParallelImageTopologyTest {
  private static final String[] FOVS = {"par/a", "par/b", "par/c"};
  private static final int FRAMES = 16;
  private static final List<String> OUTPUTS =
      List.of(
          Topics.CELLS_OBSERVED.name(),
          Topics.TRACKS.name(),
          Topics.CELLS_STATE.name(),
          Topics.CONSENSUS.name(),
          Topics.EVENTS_ANOMALY.name(),
          Topics.CELLS_LIFECYCLE.name(),
          Topics.FRAMES_DLQ.name());

  /** (key, value) of frames.raw in arrival order. */
  private static final List<byte[][]> INPUT = new ArrayList<>();

  @TempDir static Path root;

  @BeforeAll
  static void frames() {
    Map<String, List<byte[]>> perFov = new LinkedHashMap<>();
    Instant start = Instant.parse("2026-11-29T10:00:00Z");
    for (int i = 0; i < FOVS.length; i++) {
      SimulationConfig sim =
          SimulationConfig.builder()
              .seed(11 + i)
              .size(128, 112)
              .cells(10)
              .frames(FRAMES)
              .frameIntervalSeconds(1.0)
              .build();
      List<byte[]> frames = new ArrayList<>();
      Iterator<SimulatedFrame> it = new CultureSimulator(sim);
      while (it.hasNext()) {
        SimulatedFrame f = it.next();
        FrameHeader h =
            FrameHeader.inline(
                FOVS[i],
                f.index(),
                start.plusSeconds(f.index()),
                f.width(),
                f.height(),
                f.raw().type(),
                null,
                1.0,
                null);
        Frame frame = new Frame(h, f.raw().pixels());
        // the last FOV by reference
        frames.add(FrameCodec.encode(i == FOVS.length - 1 ? ClaimCheck.store(frame, root) : frame));
      }
      // out of order: each frame moved by up to 3 places, inside the calibration window too
      Random r = new Random(7 + i);
      for (int k = 0; k + 1 < frames.size(); k++) {
        int j = Math.min(frames.size() - 1, k + r.nextInt(4));
        frames.add(k, frames.remove(j));
      }
      // a repeat of an already processed frame, long after calibration
      frames.add(frames.get(FRAMES - 6));
      perFov.put(FOVS[i], frames);
    }
    // interleaved: a, b, c, a, b, c, ... with a bad record in the middle
    for (int k = 0; k <= FRAMES; k++) {
      for (String fov : FOVS) {
        INPUT.add(new byte[][] {bytes(fov), perFov.get(fov).get(k)});
      }
      if (k == FRAMES / 2) {
        INPUT.add(new byte[][] {bytes(FOVS[1]), "not a frame".getBytes(StandardCharsets.UTF_8)});
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What one topology wrote: per output topic, its records as text, in order. */
  /**
   * What a run wrote, per topic; {@code routedAfter} counts the records that carried {@value
   * InFlightFrames#HEADER} (left out of {@code out}: only the parallel topology writes it).
   */
  private record Run(Map<String, List<String>> out, Set<String> produced, int routedAfter) {}

  private static Run run(boolean parallel) {
    return run(parallel, null);
  }

  private static Run run(boolean parallel, Segmenters segmenters) {
    PipelineConfig base = PipelineConfig.defaults();
    if (segmenters != null) {
      base = base.withSegmenters(segmenters);
    }
    PipelineConfig config =
        base.withMetrics(new PipelineMetrics(new SimpleMeterRegistry()))
            .withEmitLabels(true)
            .withReorder(Duration.ofSeconds(5), 8)
            .withPixelRefs(root, ClaimCheck.DEFAULT_MAX_REF_BYTES)
            .withImageParallel(parallel);
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parallel-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(builder.build(), props, Instant.parse("2026-11-29T12:00:00Z"))) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              Topics.FRAMES_RAW.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer(),
              Instant.parse("2026-11-29T10:00:00Z"),
              Duration.ofMillis(100));
      for (byte[][] kv : INPUT) {
        in.pipeInput(kv[0], kv[1]);
        driver.advanceWallClockTime(Duration.ofMillis(100));
      }
      for (int i = 0; i < 12; i++) { // past the reorder timeout, then idle: everything final
        driver.advanceWallClockTime(Duration.ofSeconds(1));
      }
      Map<String, List<String>> out = new LinkedHashMap<>();
      int routedAfter = 0;
      for (String topic : OUTPUTS) {
        TestOutputTopic<byte[], byte[]> t =
            driver.createOutputTopic(
                topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        List<String> records = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : t.readRecordsToList()) {
          StringBuilder s =
              new StringBuilder()
                  .append(r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8))
                  .append(" @")
                  .append(r.timestamp())
                  .append(" value#")
                  .append(Arrays.hashCode(r.value()))
                  .append('/')
                  .append(r.value().length);
          for (Header h : r.headers()) {
            if (h.key().equals(InFlightFrames.HEADER)) {
              routedAfter++;
              continue;
            }
            s.append(' ').append(h.key()).append('=').append(Arrays.toString(h.value()));
          }
          records.add(s.toString());
        }
        out.put(topic, records);
      }
      return new Run(out, new HashSet<>(driver.producedTopicNames()), routedAfter);
    }
  }

  @Test
  void theParallelTopologyWritesWhatTheSequentialOneWrites() {
    Run sequential = run(false);
    Run parallel = run(true);
    String repartition = "parallel-test-" + SettledFrame.TOPIC + "-repartition";
    assertThat(sequential.produced()).doesNotContain(repartition);
    assertThat(parallel.produced())
        .as("settled frames went the parallel way")
        .contains(repartition);
    for (String topic : OUTPUTS) {
      assertThat(parallel.out().get(topic)).as(topic).isEqualTo(sequential.out().get(topic));
    }
    // every cells.observed record but each FOV's first names the frame routed before it
    assertThat(sequential.routedAfter()).isZero();
    assertThat(parallel.routedAfter())
        .isEqualTo(sequential.out().get(Topics.CELLS_OBSERVED.name()).size() - FOVS.length);
    assertThat(sequential.out().get(Topics.CELLS_OBSERVED.name()))
        .hasSize(FOVS.length * (FRAMES + 1));
    // a frame the shuffle moved far back may come too late for the tracker: the same in both
    List<String> tracks = sequential.out().get(Topics.TRACKS.name());
    assertThat(tracks).hasSizeBetween(FOVS.length * (FRAMES - 2), FOVS.length * FRAMES);
    assertThat(sequential.out().get(Topics.CELLS_STATE.name())).isNotEmpty();
    // the bad record, the three repeats and any late frame; the track stage's dead letters name
    // the frame's frames.raw record (topic, partition, offset headers)
    List<String> dlq = sequential.out().get(Topics.FRAMES_DLQ.name());
    assertThat(dlq).hasSize(1 + FOVS.length + FOVS.length * FRAMES - tracks.size());
    String rawTopic = Topics.DLQ_TOPIC + "=" + Arrays.toString(bytes(Topics.FRAMES_RAW.name()));
    assertThat(dlq).allSatisfy(r -> assertThat(r).contains(rawTopic));
  }

  @Test
  void withTheLearnedSegmenterTheHeldObjectSizeTravelsWithTheSettledFrames() {
    // a training scale that these FOVs' cells are outside, so every settled frame is rescaled
    // with the FOV's held size: the parallel stage must get that size with the frame
    ScaleAdaptiveSegmenter.Scale small = new ScaleAdaptiveSegmenter.Scale(16, 8, 12, 4, 3);
    Run sequential;
    Run parallel;
    Run ownScale;
    try (Segmenters rescaled = Segmenters.open(SegmenterChoice.of("model").withModelScale(small));
        Segmenters off = Segmenters.open(SegmenterChoice.of("model").withModelScale(null))) {
      sequential = run(false, rescaled);
      parallel = run(true, rescaled);
      ownScale = run(false, off);
    }
    for (String topic : OUTPUTS) {
      assertThat(parallel.out().get(topic)).as(topic).isEqualTo(sequential.out().get(topic));
    }
    assertThat(parallel.produced())
        .contains("parallel-test-" + SettledFrame.TOPIC + "-repartition");
    assertThat(sequential.out().get(Topics.CELLS_OBSERVED.name()))
        .as("the rescaled FOVs are segmented differently from their own scale")
        .isNotEqualTo(ownScale.out().get(Topics.CELLS_OBSERVED.name()));
  }

  @Test
  void settledFramesOfOneFovGoRoundRobinOverEveryPartition() {
    NormalizerState cal = new NormalizerState(10, 100, new long[0], true, 1, 2, -1, 4);
    for (int partitions : new int[] {1, 2, 4, 7}) {
      Set<Integer> seen = new HashSet<>();
      int previous = -1;
      for (int f = 100; f < 100 + partitions; f++) {
        Frame frame =
            new Frame(
                FrameHeader.inline(
                    "rr/fov",
                    f,
                    null,
                    4,
                    4,
                    io.cytostream.schemas.PixelType.UINT8,
                    null,
                    null,
                    null),
                new byte[16]);
        int p =
            SettledFrame.partition("t", "rr/fov", new SettledFrame(frame, cal), partitions)
                .orElseThrow()
                .iterator()
                .next();
        assertThat(p).isBetween(0, partitions - 1).isNotEqualTo(partitions > 1 ? previous : -1);
        seen.add(p);
        previous = p;
      }
      assertThat(seen).as("%d partitions", partitions).hasSize(partitions);
    }
  }

  @Test
  void partitionsOnTheRoutingThreadGetHalfTheFramesOfTheOthers() {
    for (int partitions : new int[] {2, 4, 7}) {
      for (Set<Integer> own : List.of(Set.of(0), Set.of(1, 3), Set.of(0, 1, 2, 3, 4, 5))) {
        Set<Integer> mine = new HashSet<>(own);
        mine.removeIf(p -> p >= partitions);
        int others = partitions - mine.size();
        int cycle = partitions + others;
        int[] count = new int[partitions];
        int previous = -1;
        for (long f = 50; f < 50 + 4L * cycle; f++) {
          int p =
              SettledFrame.partition("w/fov", f, partitions, own).orElseThrow().iterator().next();
          assertThat(p).isBetween(0, partitions - 1);
          if (partitions > 2 && (others >= 2 || others == 0)) { // else the cycle ends x, x
            assertThat(p).isNotEqualTo(previous);
          }
          count[p]++;
          previous = p;
        }
        for (int p = 0; p < partitions; p++) {
          int expected =
              others == 0 || others == partitions
                  ? 4 * cycle / partitions
                  : mine.contains(p) ? 4 : 8;
          assertThat(count[p])
              .as("%d partitions, own %s, partition %d", partitions, own, p)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void withoutPartitionsOnTheRoutingThreadTheSpreadIsTheEvenRoundRobin() {
    for (long f = 0; f < 20; f++) {
      assertThat(SettledFrame.partition("e/fov", f, 4, Set.of()))
          .isEqualTo(SettledFrame.partition("e/fov", f, 4, Set.of(0, 1, 2, 3)));
    }
  }

  @Test
  void aSettledFrameTravelsWithItsCalibrationWithoutTheHistogramWithTheObjectSize() {
    long[] hist = new long[4096];
    hist[7] = 42;
    io.cytostream.processors.segment.ObjectSizeState size =
        io.cytostream.processors.segment.ObjectSizeState.EMPTY.fold(41.5, false).fold(44.0, true);
    NormalizerState cal = new NormalizerState(10, 1000, hist, true, 1.5, 2.5, -0.5, 4.5, size);
    Frame frame =
        new Frame(
            FrameHeader.inline(
                "w/fov", 3, null, 2, 2, io.cytostream.schemas.PixelType.UINT16, null, null, null),
            new byte[] {1, 0, 2, 0, 3, 0, 4, 0});
    SettledFrame back =
        SettledFrame.serde()
            .deserializer()
            .deserialize(
                "t",
                SettledFrame.serde().serializer().serialize("t", new SettledFrame(frame, cal)));
    assertThat(back.frame()).isEqualTo(frame);
    assertThat(back.calibration()).isEqualTo(SettledFrame.compact(cal));
    assertThat(back.calibration().histogram()).isEmpty();
    assertThat(back.calibration().lo()).isEqualTo(-0.5);
    assertThat(back.calibration().hi()).isEqualTo(4.5);
    // the learned segmenter's held object size travels with it
    assertThat(back.calibration().objectSize()).isEqualTo(size);
    assertThat(back.calibration().objectSize().diameter()).isEqualTo(42.75);
  }
}
