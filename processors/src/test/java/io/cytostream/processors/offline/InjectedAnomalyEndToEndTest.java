package io.cytostream.processors.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.AnomalySpec;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.sim.SimulationConfigBuilder;
import io.cytostream.processors.testing.SimulatedRun;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anomalies injected by the simulator come out of {@code process} as events of their kind within 3
 * frames of their onset; a clean culture raises no unexplained spike.
 */
class InjectedAnomalyEndToEndTest {

  static List<AnomalyEvent> run(Path tmp, SimulationConfig config) throws Exception {
    Path out = SimulatedRun.of(tmp, config).out();
    List<AnomalyEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("events.jsonl"))) {
      events.add(Json.mapper().readValue(line, AnomalyEvent.class));
    }
    return events;
  }

  @Test
  void everyInjectedAnomalyIsRaisedWithinThreeFrames(@TempDir Path tmp) throws Exception {
    Map<AnomalyType, Integer> onset =
        Map.of(
            AnomalyType.HOT_PIXEL_BURST, 30,
            AnomalyType.SATURATION, 36,
            AnomalyType.AREA_CHANGE, 42,
            AnomalyType.DROPPED_FRAME, 48,
            AnomalyType.SPIKE, 55,
            AnomalyType.TRACK_LOST, 62,
            AnomalyType.MODEL_DRIFT, 70,
            AnomalyType.INTENSITY_COLLAPSE, 85);
    SimulationConfigBuilder b = SimulationConfig.builder().seed(3).frames(95);
    List<AnomalySpec> specs = new ArrayList<>();
    onset.forEach((type, frame) -> specs.add(AnomalySpec.of(type, frame)));
    specs.add(AnomalySpec.of(AnomalyType.ABERRANT_CELL, 1));
    List<AnomalyEvent> events = run(tmp, b.anomalies(specs).build());
    // a cell's k_i, γ_i can only be judged once it has rows: the normalisation settles (10
    // frames), then the culture comparison's warm-up (50 rows)
    assertThat(events)
        .as("aberrant cell injected at frame 1")
        .anyMatch(ev -> ev.data().kind().equals("aberrant_cell") && ev.data().frame() <= 65);
    for (var e : onset.entrySet()) {
      String kind = e.getKey().wireName();
      int f = e.getValue();
      assertThat(events)
          .as(kind + " injected at frame " + f)
          .anyMatch(
              ev ->
                  ev.data().kind().equals(kind)
                      && ev.data().frame() >= f
                      && ev.data().frame() <= f + 3);
    }
  }

  @Test
  void aCleanCultureRaisesNoUnexplainedSpike(@TempDir Path tmp) throws Exception {
    SimulationConfig config = SimulationConfig.builder().seed(11).frames(300).cells(100).build();
    List<AnomalyEvent> events = run(tmp, config);
    long spikes = events.stream().filter(e -> e.data().kind().equals("spike")).count();
    // about 100 cells × 300 frames = 30 000 cell-frames; the target is < 1 per 10 000
    assertThat(spikes).isLessThanOrEqualTo(2);
  }
}
