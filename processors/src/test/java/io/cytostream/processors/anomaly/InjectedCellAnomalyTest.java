package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spikes and γ steps injected into the simulated culture are found within 3 frames of onset. */
class InjectedCellAnomalyTest {

  static List<CellPipeline.Event> eventsOf(CellPipeline p, long track, AnomalyType type) {
    return p.events.stream()
        .filter(e -> e.anomaly().trackId() == track && e.anomaly().type() == type)
        .toList();
  }

  @Test
  void spikeInOneCellIsReportedAtOnsetAndDoesNotMoveItsFilter() {
    GridCultureFrames sim = new GridCultureFrames(12, 0.002, 5);
    List<Long> cells = sim.interior();
    long[] targets = {cells.get(3), cells.get(40), cells.get(77)};
    for (long t : targets) {
      sim.spike(t, 500, 0.05); // 25 σ_y on one frame
    }
    // the row test as the pipeline wires it: the cell's own filter's outlier rule
    CellPipeline p =
        new CellPipeline(
            AnomalyConfig.defaults().toBuilder()
                .spikeThreshold(AnomalyPipeline.ROW_OUTLIER_SIGMAS)
                .build());
    for (int f = 0; f < 500; f++) {
      p.accept(sim.next());
    }
    double kBefore = p.filters.get(targets[0]).k();
    p.accept(sim.next()); // frame 500: the spike
    assertThat(p.filters.get(targets[0]).k()).as("spike row rejected").isEqualTo(kBefore);
    for (int f = 501; f < 510; f++) {
      p.accept(sim.next());
    }
    for (long t : targets) {
      List<CellPipeline.Event> ev = eventsOf(p, t, AnomalyType.UNEXPLAINED_SPIKE);
      assertThat(ev).as("spike of %d", t).isNotEmpty();
      assertThat(ev.get(0).frame()).isBetween(500L, 502L);
      assertThat(ev.get(0).anomaly().value()).isGreaterThan(5);
    }
    assertThat(p.events).as("nothing before the onset").allMatch(e -> e.frame() >= 500);
  }

  @Test
  void stepInFeedIsReportedAsDriftWithin3Frames() {
    // the CUSUM's design (documented h = 6): a 4σ step is found in 2-3 rows
    stepInFeedIsReportedAsDrift(AnomalyConfig.documented(), 503);
  }

  @Test
  void withTheShippedCalibrationTheStepIsFoundAtMostOneRowLater() {
    // the calibrated h (7.81, from the false-alarm rate through the chain, innovations clipped at
    // 5 σ) is above the documented 6: a 4σ step adds about 3 per row, 3 or 4 rows
    assertThat(AnomalyConfig.defaults().cusumThreshold()).isBetween(6.0, 9.0);
    stepInFeedIsReportedAsDrift(AnomalyConfig.defaults(), 504);
  }

  private static void stepInFeedIsReportedAsDrift(AnomalyConfig config, long latestFrame) {
    GridCultureFrames sim = new GridCultureFrames(12, 0.002, 6);
    List<Long> cells = sim.interior();
    long[] targets = {cells.get(11), cells.get(35), cells.get(58), cells.get(62), cells.get(88)};
    CellPipeline p = new CellPipeline(config);
    for (int f = 0; f < 500; f++) {
      p.accept(sim.next());
    }
    for (long t : targets) {
      // a step of 4 residual standard deviations in dy/dt
      double sigma = Math.sqrt(p.filters.get(t).noiseVariance());
      sim.gammaStep(t, 500, 4 * sigma);
    }
    for (int f = 500; f < 520; f++) {
      p.accept(sim.next());
    }
    // the step acts on y from frame 501 on: rows of frame 501 are the first affected
    for (long t : targets) {
      List<CellPipeline.Event> ev = eventsOf(p, t, AnomalyType.MODEL_DRIFT);
      assertThat(ev).as("drift of %d", t).isNotEmpty();
      assertThat(ev.get(0).frame()).isBetween(501L, latestFrame);
      assertThat(ev.get(0).anomaly().statistic()).isEqualTo("cusum_upper");
    }
    assertThat(p.events).allMatch(e -> e.frame() >= 501);
  }
}
