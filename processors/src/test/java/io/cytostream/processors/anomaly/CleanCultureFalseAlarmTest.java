package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The default thresholds on a clean culture: 100 interior cells × 1 000 frames of the exact
 * consensus model with Gaussian observation noise must give fewer than 1 spike event per 10 000
 * cell-frames (here: fewer than 10), and the drift test likewise.
 */
class CleanCultureFalseAlarmTest {

  @Test
  void fewerThanOneFalseEventPer10000CellFrames() {
    GridCultureFrames sim = new GridCultureFrames(12, 0.002, 77);
    assertThat(sim.interior()).hasSize(100);
    // the row test as the pipeline wires it: the cell's own filter's outlier rule
    CellPipeline p =
        new CellPipeline(
            AnomalyConfig.defaults().toBuilder()
                .spikeThreshold(AnomalyPipeline.ROW_OUTLIER_SIGMAS)
                .build());
    for (int f = 0; f < 1000; f++) {
      p.accept(sim.next());
    }
    assertThat(p.cellFrames).isEqualTo(100L * 999);
    long spikes =
        p.events.stream().filter(e -> e.anomaly().type() == AnomalyType.UNEXPLAINED_SPIKE).count();
    long drifts =
        p.events.stream().filter(e -> e.anomaly().type() == AnomalyType.MODEL_DRIFT).count();
    System.out.printf(
        "clean culture: %d spikes, %d drift alarms in %d cell-frames%n",
        spikes, drifts, p.cellFrames);
    assertThat(spikes).isLessThan(10);
    assertThat(drifts).isLessThan(10);
  }

  @Test
  void normalisedInnovationsAreCalibratedSoTheQuietIsNotFromAnInflatedSigma() {
    // At a threshold of 3 a Gaussian gives 2·(1 − Φ(3)) = 0.27 % of rows: the count must be of
    // that order (a σ_t ten times too large would give none).
    AnomalyConfig three = AnomalyConfig.builder().spikeThreshold(3.0).build();
    GridCultureFrames sim = new GridCultureFrames(12, 0.002, 78);
    CellPipeline p = new CellPipeline(three);
    for (int f = 0; f < 1000; f++) {
      p.accept(sim.next());
    }
    long tested = p.cellFrames - 100L * 30;
    double expected = 0.0027 * tested;
    long spikes =
        p.events.stream().filter(e -> e.anomaly().type() == AnomalyType.UNEXPLAINED_SPIKE).count();
    assertThat((double) spikes).isBetween(0.5 * expected, 2.0 * expected);
  }
}
