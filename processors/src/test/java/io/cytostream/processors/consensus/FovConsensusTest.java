package io.cytostream.processors.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.schemas.Json;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FovConsensusTest {

  @Test
  void recoversKAndGammaOfTheModelAndReportsThemPerCell() {
    ConsensusModelFrames model = new ConsensusModelFrames(7, 0.05, 1.0, 0.0, 3);
    FovConsensus c =
        FovConsensus.create("model", ConsensusSettings.defaults(), AnomalyConfig.defaults());
    FovConsensus.Step step = null;
    for (int t = 0; t < 60; t++) {
      step = c.step(model.next());
    }
    assertThat(step.estimate()).isNotNull();
    assertThat(step.estimate().k()).isCloseTo(0.05, within(0.05 * 0.01));
    // interior cell 9 (row 1, col 1) = track 9
    assertThat(step.estimate().gamma().get(9L)).isCloseTo(model.gamma[8], within(2e-5));
    var s9 = step.states().stream().filter(s -> s.trackId() == 9).findFirst().orElseThrow();
    assertThat(s9.kCell()).isCloseTo(0.05, within(5e-3));
    assertThat(s9.kConsensus()).isEqualTo(step.estimate().k());
    // border cells are inputs only: no γ of theirs in the fit
    assertThat(step.estimate().gamma()).doesNotContainKey(1L);
    assertThat(step.estimate().rowsUsed()).isEqualTo(59L * 25);
    // the paper's fit metric: noiseless data re-simulated from the fit's k, γ_i fits closely,
    // per cell on cells.state and pooled and per cell on consensus.fov
    assertThat(s9.traceMse()).isNotNull().isLessThan(1e-6);
    assertThat(step.estimate().traceMseByTrack()).hasSize(25).containsEntry(9L, s9.traceMse());
    assertThat(step.estimate().traceMse()).isLessThan(1e-6);
    assertThat(step.estimate().traceWindowSteps())
        .isEqualTo(io.cytostream.state.consensus.TraceFit.DEFAULT_WINDOW_STEPS);
    var border = step.states().stream().filter(s -> s.trackId() == 1).findFirst().orElseThrow();
    assertThat(border.traceMse()).isNull();
  }

  @Test
  void anInjectedSpikeIsRaisedAndNotAbsorbed() {
    ConsensusModelFrames model = new ConsensusModelFrames(7, 0.05, 1.0, 0.002, 5);
    FovConsensus c =
        FovConsensus.create("model", ConsensusSettings.defaults(), AnomalyConfig.defaults());
    List<Anomaly> before = new ArrayList<>();
    for (int t = 0; t < 80; t++) {
      before.addAll(c.step(model.next()).anomalies());
    }
    assertThat(before).noneMatch(a -> a.type() == AnomalyType.UNEXPLAINED_SPIKE);
    model.spike(24, 0.3); // centre cell, track 25
    List<Anomaly> after = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      after.addAll(c.step(model.next()).anomalies());
    }
    assertThat(after).anyMatch(a -> a.type() == AnomalyType.UNEXPLAINED_SPIKE && a.trackId() == 25);
  }

  /** Stopping after any frame, storing the records as JSON and restoring changes nothing. */
  @Test
  void restoringFromStoredRecordsContinuesIdentically() throws Exception {
    restoresIdentically(ConsensusSettings.defaults());
  }

  /**
   * The IV fit keeps the previous rows' φ (the instruments) and the instrument sums in its state.
   */
  @Test
  void restoringTheInstrumentalVariablesFitContinuesIdentically() throws Exception {
    restoresIdentically(
        ConsensusSettings.defaults()
            .withCrlsm(CrlsmConfig.paper().withEstimator(CrlsmConfig.Estimator.IV)));
  }

  private static void restoresIdentically(ConsensusSettings s) throws Exception {
    ConsensusModelFrames a = new ConsensusModelFrames(6, 0.05, 0.5, 0.003, 9);
    ConsensusModelFrames b = new ConsensusModelFrames(6, 0.05, 0.5, 0.003, 9);
    AnomalyConfig ac = AnomalyConfig.defaults();
    FovConsensus straight = FovConsensus.create("m", s, ac);
    FovConsensus restored = FovConsensus.create("m", s, ac);
    Map<Long, String> cellJson = new HashMap<>();
    for (int t = 0; t < 50; t++) {
      FovConsensus.Step x = straight.step(a.next());
      FovConsensus.Step y = restored.step(b.next());
      assertThat(Json.mapper().writeValueAsString(y.states()))
          .isEqualTo(Json.mapper().writeValueAsString(x.states()));
      assertThat(y.anomalies()).isEqualTo(x.anomalies());
      assertThat(Json.mapper().writeValueAsString(y.estimate()))
          .isEqualTo(Json.mapper().writeValueAsString(x.estimate()));
      for (CellRecord r : y.changedCells()) {
        cellJson.put(r.trackId(), Json.mapper().writeValueAsString(r));
      }
      String fovJson = Json.mapper().writeValueAsString(y.fovRecord());
      if (t % 7 == 3) {
        List<CellRecord> cells = new ArrayList<>();
        for (String j : cellJson.values()) {
          cells.add(Json.mapper().readValue(j, CellRecord.class));
        }
        restored =
            FovConsensus.restore(
                "m", s, ac, Json.mapper().readValue(fovJson, FovRecord.class), cells);
      }
    }
  }
}
