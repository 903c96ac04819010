package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The track stage restores frame order, bridges a dropped frame, and emits stable track ids. */
class TrackStageTopologyTest {

  /** Three cells drifting right by 2 px per frame. */
  static FrameObservations frame(String fov, long t) {
    List<FrameObservations.Cell> cells = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      double x = 20 + 2 * t;
      double y = 20 + 40 * i;
      cells.add(
          new FrameObservations.Cell(
              i + 1 + (int) (t % 2) * 10, // labels differ from frame to frame
              x,
              y,
              100,
              (int) x - 5,
              (int) y - 5,
              (int) x + 5,
              (int) y + 5,
              500 + i,
              0.5,
              false));
    }
    return new FrameObservations(
        1,
        fov,
        t,
        Instant.parse("2026-11-23T10:00:00Z").plusSeconds(t),
        1.7638848e9 + t,
        200,
        200,
        new FrameQuality(0, 0, 0, 500, 0.1, true, 0, 1),
        cells,
        List.of(
            new FrameObservations.Neighbours(cells.get(0).label(), cells.get(1).label(), 6, 40)),
        null);
  }

  @Test
  void reordersBridgesGapsAndKeepsIds() {
    StreamsBuilder builder = new StreamsBuilder();
    PipelineConfig config = PipelineConfig.defaults().withReorder(Duration.ofSeconds(10), 3);
    CytostreamTopology.build(builder, config);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "track-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, FrameObservations> in =
          driver.createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer());
      TestOutputTopic<String, TrackedFrame> tracks =
          driver.createOutputTopic(
              Topics.TRACKS.name(),
              Serdes.String().deserializer(),
              Topics.TRACKS.valueSerde().deserializer());
      TestOutputTopic<String, AnomalyEvent> events =
          driver.createOutputTopic(
              Topics.EVENTS_ANOMALY.name(),
              Serdes.String().deserializer(),
              Topics.EVENTS_ANOMALY.valueSerde().deserializer());
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              Topics.FRAMES_DLQ.name(),
              Serdes.ByteArray().deserializer(),
              Serdes.ByteArray().deserializer());
      // order of arrival: 0 2 1 3 5 6 7 8 ... frame 4 never arrives (in time); frame 1 arrives
      // again (a duplicate), frame 4 after its gap was declared (late)
      long[] order = {0, 2, 1, 3, 5, 6, 7, 8, 9, 10, 11};
      for (long t : order) {
        in.pipeInput("A", frame("A", t));
      }
      in.pipeInput("A", frame("A", 1));
      in.pipeInput("A", frame("A", 4));
      driver.advanceWallClockTime(Duration.ofSeconds(11));

      List<TrackedFrame> out = tracks.readValuesToList();
      assertThat(out)
          .extracting(TrackedFrame::frameIndex)
          .containsExactly(0L, 1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      // the same three track ids throughout, including across the gap
      for (TrackedFrame f : out) {
        assertThat(f.cells())
            .extracting(TrackedFrame.Cell::trackId)
            .containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(f.finalAtFrame() == -1 || f.finalAtFrame() >= f.frameIndex()).isTrue();
        assertThat(f.neighbours()).hasSize(1);
      }
      assertThat(out.get(out.size() - 1).finalAtFrame()).isEqualTo(-1); // flushed at the end
      List<AnomalyEvent> ev = events.readValuesToList();
      assertThat(ev)
          .extracting(e -> e.data().kind())
          .contains("dropped_frame", "out_of_order_frame");
      AnomalyEvent dropped =
          ev.stream()
              .filter(e -> e.data().kind().equals("dropped_frame"))
              .findFirst()
              .orElseThrow();
      assertThat(dropped.data().reason()).isEqualTo("frame 4 never arrived");
      assertThat(ev.stream().filter(e -> e.data().kind().equals("out_of_order_frame")))
          .as("only the late frame is out of order, not the duplicate")
          .hasSize(1)
          .allMatch(e -> e.data().frame() == 4);
      assertThat(dlq.readRecordsToList())
          .extracting(r -> DeadLetterTopologyTest.header(r.headers(), Topics.DLQ_KIND))
          .containsExactly("duplicate_frame", "out_of_order");
    }
  }
}
