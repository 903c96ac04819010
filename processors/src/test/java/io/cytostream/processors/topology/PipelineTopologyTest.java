package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** Frames through the whole topology: observations, tracks, cell states and metrics. */
class PipelineTopologyTest {

  @Test
  void framesBecomeObservationsTracksAndCellStates() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PipelineConfig config =
        PipelineConfig.defaults()
            .withMetrics(new PipelineMetrics(registry))
            .withReorder(Duration.ofSeconds(5), 4);
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pipeline-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              Topics.FRAMES_RAW.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer());
      TestOutputTopic<String, FrameObservations> observed =
          driver.createOutputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().deserializer(),
              Topics.CELLS_OBSERVED.valueSerde().deserializer());
      TestOutputTopic<String, TrackedFrame> tracks =
          driver.createOutputTopic(
              Topics.TRACKS.name(),
              Serdes.String().deserializer(),
              Topics.TRACKS.valueSerde().deserializer());
      TestOutputTopic<String, CellState> states =
          driver.createOutputTopic(
              Topics.CELLS_STATE.name(),
              Serdes.String().deserializer(),
              Topics.CELLS_STATE.valueSerde().deserializer());
      TestOutputTopic<String, LifecycleEvent> lifecycle =
          driver.createOutputTopic(
              Topics.CELLS_LIFECYCLE.name(),
              Serdes.String().deserializer(),
              Topics.CELLS_LIFECYCLE.valueSerde().deserializer());
      Random noise = new Random(2);
      int n = 10;
      for (int t = 0; t < n; t++) {
        in.pipeInput(
            "p/1".getBytes(StandardCharsets.UTF_8),
            FrameCodec.encode(SyntheticFrames.disks("p/1", t, noise)));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(6));

      List<FrameObservations> obs = observed.readValuesToList();
      assertThat(obs).hasSize(n);
      for (FrameObservations o : obs) {
        assertThat(o.cells()).hasSize(3);
        assertThat(o.cells()).allSatisfy(c -> assertThat(c.areaPx()).isBetween(200, 700));
      }
      List<TrackedFrame> tr = tracks.readValuesToList();
      assertThat(tr)
          .extracting(TrackedFrame::frameIndex)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(tr)
          .allSatisfy(
              f ->
                  assertThat(f.cells())
                      .extracting(TrackedFrame.Cell::trackId)
                      .containsExactlyInAnyOrder(1L, 2L, 3L));
      // the cell that starts at x=30 ends 18 px to the right, keeping its id
      TrackedFrame first = tr.get(0);
      TrackedFrame last = tr.get(n - 1);
      long id =
          first.cells().stream()
              .filter(c -> c.centroidX() < 35 && c.centroidY() < 35)
              .findFirst()
              .orElseThrow()
              .trackId();
      TrackedFrame.Cell moved =
          last.cells().stream().filter(c -> c.trackId() == id).findFirst().orElseThrow();
      assertThat(moved.centroidX()).isBetween(46.0, 50.0);
      assertThat(states.readValuesToList()).hasSize(3 * n);
      // the three cells' births are life events, on their own topic and counter
      assertThat(lifecycle.readValuesToList())
          .filteredOn(e -> e.data().kind().equals("birth"))
          .extracting(e -> e.data().trackId())
          .containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(
              registry
                  .find("cytostream.lifecycle.events")
                  .tag("fov", "p/1")
                  .tag("kind", "birth")
                  .counter()
                  .count())
          .isEqualTo(3);
      assertThat(registry.find("cytostream.frames.processed").tag("fov", "p/1").counter().count())
          .isEqualTo(n);
    }
  }
}
