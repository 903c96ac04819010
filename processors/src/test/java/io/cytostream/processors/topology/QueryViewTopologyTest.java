package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The query API's views against the topics they summarise: every cell's series is its {@code
 * cells.state} messages (y, and the prediction y − Δt·e_t from its innovation), its position that
 * of its last tracked frame, its events its life events; the FOV's view is its latest frame; a
 * replayed frame changes nothing.
 */
class QueryViewTopologyTest {

  @Test
  void viewsAgreeWithTheTopicsTheySummarise() {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(
        builder, PipelineConfig.defaults().withReorder(Duration.ofSeconds(5), 4));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-view-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, TrackedFrame> in =
          driver.createInputTopic(
              Topics.TRACKS.name(),
              Serdes.String().serializer(),
              Topics.TRACKS.valueSerde().serializer());
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
      TestOutputTopic<String, ConsensusEstimate> consensus =
          driver.createOutputTopic(
              Topics.CONSENSUS.name(),
              Serdes.String().deserializer(),
              Topics.CONSENSUS.valueSerde().deserializer());
      Random noise = new Random(3);
      int n = 12;
      List<TrackedFrame> tr = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        TrackedFrame f = grid("q/1", t, noise);
        tr.add(f);
        in.pipeInput("q/1", f);
      }
      List<CellState> st = states.readValuesToList();
      List<LifecycleEvent> life = lifecycle.readValuesToList();
      assertThat(tr).hasSize(n);
      KeyValueStore<String, FovView> fovs = driver.getKeyValueStore(QueryViewProcessor.FOV_STORE);
      KeyValueStore<String, CellView> cells =
          driver.getKeyValueStore(QueryViewProcessor.CELL_STORE);

      TrackedFrame last = tr.get(n - 1);
      FovView fov = fovs.get("q/1");
      assertThat(fov.lastFrame()).isEqualTo(last.frameIndex());
      assertThat(fov.framesSeen()).isEqualTo(n);
      assertThat(fov.cells()).isEqualTo(last.cells().size());
      assertThat(fov.tracks().keySet())
          .containsExactlyInAnyOrderElementsOf(
              last.cells().stream().map(TrackedFrame.Cell::trackId).toList());
      List<ConsensusEstimate> estimates = consensus.readValuesToList();
      assertThat(fov.consensus())
          .isEqualTo(estimates.isEmpty() ? null : estimates.get(estimates.size() - 1));

      int predictions = 0;
      for (TrackedFrame.Cell c : last.cells()) {
        CellView v = cells.get(QueryViewProcessor.cellKey("q/1", c.trackId()));
        assertThat(v.centroidX()).isEqualTo(c.centroidX());
        assertThat(v.centroidY()).isEqualTo(c.centroidY());
        assertThat(v.areaPx()).isEqualTo(c.areaPx());
        assertThat(v.lastFrame()).isEqualTo(last.frameIndex());
        List<CellState> mine = st.stream().filter(s -> s.trackId() == c.trackId()).toList();
        assertThat(v.series()).hasSize(mine.size());
        for (int i = 0; i < mine.size(); i++) {
          CellState s = mine.get(i);
          CellView.Point p = v.series().get(i);
          assertThat(p.frame()).isEqualTo(s.frameIndex());
          assertThat(p.y()).isEqualTo(s.intensity());
          if (s.innovation() == null) {
            assertThat(p.yPredicted()).isNull();
          } else {
            double dt = s.timeSeconds() - mine.get(i - 1).timeSeconds();
            assertThat(p.yPredicted())
                .isCloseTo(s.intensity() - dt * s.innovation(), within(1e-12));
            predictions++;
          }
        }
        CellState latest = mine.get(mine.size() - 1);
        assertThat(v.k()).isEqualTo(latest.kCell());
        assertThat(v.gammaStandardError()).isEqualTo(latest.gammaCellSe());
        assertThat(v.events())
            .extracting(e -> e.get("type").asText())
            .contains("io.cytostream.lifecycle.birth");
      }
      assertThat(predictions).isPositive();
      assertThat(
              life.stream().filter(e -> e.data().kind().equals("birth")).map(e -> e.id()).toList())
          .allSatisfy(
              id -> assertThat(fov.events()).extracting(e -> e.get("id").asText()).contains(id));

      // a replayed tracked frame (as after a restart) leaves the views as they were
      FovView before = fovs.get("q/1");
      in.pipeInput("q/1", tr.get(n - 2));
      assertThat(fovs.get("q/1")).isEqualTo(before);
    }
  }

  /**
   * Frame {@code t} of a 4×4 grid of touching cells (the outer ring on the image edge, the four
   * inner ones modelled), each with its own slowly rising signal plus noise; births on frame 0.
   */
  static TrackedFrame grid(String fov, long t, Random noise) {
    int side = 4;
    List<TrackedFrame.Cell> cells = new ArrayList<>();
    List<TrackedFrame.Neighbours> pairs = new ArrayList<>();
    List<TrackedFrame.TrackEvent> events = new ArrayList<>();
    for (int i = 0; i < side * side; i++) {
      int r = i / side;
      int c = i % side;
      boolean border = r == 0 || c == 0 || r == side - 1 || c == side - 1;
      double y = 0.3 + 0.02 * i + 0.004 * t * (1 + i % 3) + 0.002 * noise.nextGaussian();
      cells.add(
          new TrackedFrame.Cell(
              i + 1, 0, i + 1, 15 + 30 * c, 15 + 30 * r, 800, 1000 * y, y, border));
      if (c < side - 1) {
        pairs.add(new TrackedFrame.Neighbours(i + 1, i + 2, 25, 30));
      }
      if (r < side - 1) {
        pairs.add(new TrackedFrame.Neighbours(i + 1, i + 1 + side, 25, 30));
      }
      if (t == 0) {
        events.add(new TrackedFrame.TrackEvent("started", i + 1, List.of(), "new track", 0L));
      }
    }
    return new TrackedFrame(
        TrackedFrame.VERSION,
        fov,
        t,
        t,
        Instant.parse("2026-11-29T10:00:00Z").plusSeconds(2 * t),
        2.0 * t,
        120,
        120,
        new FrameQuality(0, 0, 0, 1000, 1, true, 0, 1),
        cells,
        pairs,
        events,
        null);
  }
}
