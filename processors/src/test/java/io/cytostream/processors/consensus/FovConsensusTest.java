package io.cytostream.processors.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** Interior cells (track ids) that vanish after {@link #VANISH_AFTER}. */
  private static final Set<Long> VANISHING = Set.of(8L, 9L, 10L, 15L, 16L);

  private static final long VANISH_AFTER = 12;

  /** The frame without the vanished cells (and their neighbour pairs) once they are gone. */
  private static TrackedFrame withoutVanished(TrackedFrame tf) {
    if (tf.frameIndex() <= VANISH_AFTER) {
      return tf;
    }
    return new TrackedFrame(
        tf.schemaVersion(),
        tf.fov(),
        tf.frameIndex(),
        tf.finalAtFrame(),
        tf.acquisitionTime(),
        tf.timeSeconds(),
        tf.width(),
        tf.height(),
        tf.quality(),
        tf.cells().stream().filter(c -> !VANISHING.contains(c.trackId())).toList(),
        tf.neighbours().stream()
            .filter(n -> !VANISHING.contains(n.trackI()) && !VANISHING.contains(n.trackJ()))
            .toList(),
        tf.events(),
        tf.labels(),
        tf.pixelSizeUm());
  }

  /**
   * Retirement with the IV estimator (eq. 3 keeps retired cells whole) and under eq. 1 (the
   * modelled cell is never retired): restoring from the stored records, deletions applied, changes
   * nothing, and the published γ lists exactly the cells expected.
   */
  @Test
  void retirementRestoresIdenticallyUnderIvAndEq1() throws Exception {
    ConsensusSettings base = ConsensusSettings.defaults().withRetireAfterFrames(3);
    ConsensusSettings iv =
        base.withCrlsm(CrlsmConfig.paper().withEstimator(CrlsmConfig.Estimator.IV));
    ConsensusSettings eq1 = base.withCrlsm(CrlsmConfig.paper().withSingleCell(8));
    for (ConsensusSettings s : List.of(base, iv, eq1)) {
      ConsensusEstimate last = restoresIdentically(s, true);
      boolean isEq1 = s.crlsm().parameterisation() == CrlsmConfig.Parameterisation.EQ1;
      if (isEq1) {
        // the modelled cell vanished but keeps its γ: it is never retired
        assertThat(last.gamma().keySet()).containsExactly(8L);
      } else {
        assertThat(last.gamma().keySet()).doesNotContainAnyElementsOf(VANISHING).isNotEmpty();
      }
    }
  }

  private static void restoresIdentically(ConsensusSettings s) throws Exception {
    restoresIdentically(s, false);
  }

  /** Returns the last estimate. */
  private static ConsensusEstimate restoresIdentically(ConsensusSettings s, boolean vanish)
      throws Exception {
    ConsensusModelFrames a = new ConsensusModelFrames(6, 0.05, 0.5, 0.003, 9);
    ConsensusModelFrames b = new ConsensusModelFrames(6, 0.05, 0.5, 0.003, 9);
    AnomalyConfig ac = AnomalyConfig.defaults();
    FovConsensus straight = FovConsensus.create("m", s, ac);
    FovConsensus restored = FovConsensus.create("m", s, ac);
    Map<Long, String> cellJson = new HashMap<>();
    ConsensusEstimate last = null;
    int retired = 0;
    for (int t = 0; t < 50; t++) {
      TrackedFrame fa = a.next();
      TrackedFrame fb = b.next();
      FovConsensus.Step x = straight.step(vanish ? withoutVanished(fa) : fa);
      FovConsensus.Step y = restored.step(vanish ? withoutVanished(fb) : fb);
      last = x.estimate();
      assertThat(Json.mapper().writeValueAsString(y.states()))
          .isEqualTo(Json.mapper().writeValueAsString(x.states()));
      assertThat(y.anomalies()).isEqualTo(x.anomalies());
      assertThat(Json.mapper().writeValueAsString(y.estimate()))
          .isEqualTo(Json.mapper().writeValueAsString(x.estimate()));
      for (CellRecord r : y.changedCells()) {
        cellJson.put(r.trackId(), Json.mapper().writeValueAsString(r));
      }
      for (long id : y.retiredCells()) {
        cellJson.remove(id);
        retired++;
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
    if (vanish) {
      boolean isEq1 = s.crlsm().parameterisation() == CrlsmConfig.Parameterisation.EQ1;
      for (long id : VANISHING) {
        String j = cellJson.get(id);
        if (isEq1 && id == 8) {
          // the modelled cell is never retired: its record stays live
          assertThat(Json.mapper().readValue(j, CellRecord.class).retired()).isFalse();
        } else if (isEq1) {
          // the other cells are inputs only (no CRLSM sums): their records are deleted
          assertThat(j).as("record of %d", id).isNull();
        } else {
          // eq. 3 keeps the (few) retired cells whole, as retired records
          assertThat(Json.mapper().readValue(j, CellRecord.class).retired()).isTrue();
        }
      }
      assertThat(retired).as("cell records deleted").isEqualTo(isEq1 ? VANISHING.size() - 1 : 0);
    }
    return last;
  }
}
