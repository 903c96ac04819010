package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's re-simulation MSE against hand computations and a batch re-computation. */
class TraceFitTest {

  /** Cell 1 interior, linked to border cells 2 (w = 2·3 = 6) and 3 (w = 1·4 = 4). */
  static ConsensusFrame frame(long f, double t, double y1, double x2, double x3) {
    return new ConsensusFrame(
        f,
        t,
        List.of(
            new CellSample(1, y1, false, 0),
            new CellSample(2, x2, true, 0),
            new CellSample(3, x3, true, 0)),
        List.of(new NeighbourLink(1, 2, 2, 3), new NeighbourLink(1, 3, 1, 4)));
  }

  static TraceFit feed(TraceFit fit, List<ConsensusFrame> frames) {
    RegressionRowBuilder b = new RegressionRowBuilder();
    for (ConsensusFrame f : frames) {
      ConsensusFrame prev = b.previous();
      fit.record(prev, f, b.accept(f));
    }
    return fit;
  }

  final List<ConsensusFrame> three =
      List.of(frame(0, 0, 0.5, 0.9, 0.1), frame(1, 2, 0.6, 0.8, 0.2), frame(2, 4, 0.4, 0.7, 0.3));

  @Test
  void twoStepsByHand() {
    TraceFit fit = feed(new TraceFit(0), three);
    double k = 0.05;
    double g = 0.01;
    // S = (6 + 4)/2 = 5; X_0 = (6·0.9 + 4·0.1)/2 = 2.9; X_1 = (6·0.8 + 4·0.2)/2 = 2.8; Δt = 2 s
    double y1 = 0.5 + 2 * (k * (2.9 - 5 * 0.5) + g); // 0.56
    double y2 = y1 + 2 * (k * (2.8 - 5 * y1) + g);
    double mse = (Math.pow(y1 - 0.6, 2) + Math.pow(y2 - 0.4, 2)) / 2;
    TraceFit.Evaluation e = fit.evaluate(k, id -> g);
    assertThat(y1).isCloseTo(0.56, within(1e-12));
    assertThat(e.points()).isEqualTo(2);
    assertThat(e.cellMse()).containsOnlyKeys(1L);
    assertThat(e.cellMse().get(1L)).isCloseTo(mse, within(1e-15));
    assertThat(e.mse()).isCloseTo(mse, within(1e-15));
    assertThat(TraceFit.simulate(fit.traces().get(1L), k, g))
        .containsExactly(new double[] {y1, y2}, within(1e-15));
  }

  @Test
  void theStepsInputsGiveTheRegressionRowsPhi() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    TraceFit fit = new TraceFit(0);
    List<RegressionRow> all = new ArrayList<>();
    for (ConsensusFrame f : three) {
      ConsensusFrame prev = b.previous();
      List<RegressionRow> rows = b.accept(f);
      fit.record(prev, f, rows);
      all.addAll(rows);
    }
    TraceFit.CellTrace t = fit.traces().get(1L);
    for (int m = 0; m < t.steps(); m++) {
      // φ = X − S·y_{t−1} and z = (y_t − y_{t−1})/Δt: the same rows the CRLSM fits
      assertThat(t.drive()[m] - t.coupling()[m] * t.previousY()[m])
          .isCloseTo(all.get(m).phi(), within(1e-12));
      assertThat((t.y()[m] - t.previousY()[m]) / t.dt()[m])
          .isCloseTo(all.get(m).z(), within(1e-12));
    }
  }

  @Test
  void aGapRestartsFromTheMeasuredValueAndTheWindowDropsOldSteps() {
    List<ConsensusFrame> frames = new ArrayList<>(three);
    // frame 3 missing: frame 4 forms no row with frame 2, frame 5 restarts from the measured 0.45
    frames.add(frame(4, 8, 0.45, 0.6, 0.4));
    frames.add(frame(5, 10, 0.5, 0.6, 0.4));
    TraceFit fit = feed(new TraceFit(0), frames);
    double k = 0.02;
    double[] sim = TraceFit.simulate(fit.traces().get(1L), k, 0);
    assertThat(sim).hasSize(3);
    // S = 5, X_4 = (6·0.6 + 4·0.4)/2 = 2.6
    assertThat(sim[2]).isCloseTo(0.45 + 2 * k * (2.6 - 5 * 0.45), within(1e-15));

    TraceFit windowed = feed(new TraceFit(1), frames);
    TraceFit.CellTrace last = windowed.traces().get(1L);
    assertThat(last.steps()).isEqualTo(1);
    assertThat(last.frame()).containsExactly(5L);
    assertThat(windowed.evaluate(k, id -> 0).mse())
        .isCloseTo(Math.pow(sim[2] - 0.5, 2), within(1e-15));
  }

  @Test
  void theTrueParametersReproduceANoiselessSimulationAndAWrongKDoesNot() {
    ConsensusSimulator sim = new ConsensusSimulator(ConsensusSimulator.Params.defaults(0, 7));
    List<ConsensusFrame> frames = new ArrayList<>();
    for (int f = 0; f < 100; f++) {
      frames.add(sim.next());
    }
    TraceFit fit = feed(new TraceFit(0), frames);
    TraceFit.Evaluation truth = fit.evaluate(0.0015, sim::gamma);
    TraceFit.Evaluation wrong = fit.evaluate(0.0030, sim::gamma);
    // 4 × 8 interior cells, 99 steps each
    assertThat(truth.cellMse()).hasSize(32);
    assertThat(truth.points()).isEqualTo(32 * 99);
    assertThat(truth.mse()).isLessThan(1e-24);
    assertThat(wrong.mse()).isGreaterThan(1e-6);
    assertThat(wrong.medianCellMse()).isGreaterThan(1e-6);
  }

  @Test
  void streamedWithEachSolutionItEqualsTheBatchMetricOfThePrefix() {
    ConsensusSimulator sim = new ConsensusSimulator(ConsensusSimulator.Params.defaults(0.002, 3));
    RegressionRowBuilder b = new RegressionRowBuilder();
    StreamingCrlsm crlsm = new StreamingCrlsm(CrlsmConfig.paper().withBounds(0, 1, -1, 1));
    TraceFit fit = new TraceFit(0);
    List<ConsensusFrame> seen = new ArrayList<>();
    for (int f = 0; f < 60; f++) {
      ConsensusFrame frame = sim.next();
      seen.add(frame);
      ConsensusFrame prev = b.previous();
      List<RegressionRow> rows = b.accept(frame);
      fit.record(prev, frame, rows);
      ConsensusSolution s = crlsm.updateAndSolve(frame.frameIndex(), rows);
      if (f % 20 == 19) {
        TraceFit.Evaluation streamed = fit.evaluate(s);
        double batch = batchMse(seen, sim, s);
        assertThat(streamed.mse()).isCloseTo(batch, within(1e-12 * batch));
      }
    }
  }

  /** Straight from the frames: re-simulate each interior cell over the whole prefix. */
  static double batchMse(List<ConsensusFrame> frames, ConsensusSimulator sim, ConsensusSolution s) {
    double sum = 0;
    long n = 0;
    for (long id = 1; id <= sim.cells(); id++) {
      if (sim.border(id)) {
        continue;
      }
      double yh = frames.get(0).cells().get((int) id - 1).intensity();
      for (int t = 1; t < frames.size(); t++) {
        ConsensusFrame p = frames.get(t - 1);
        double sw = 0;
        double swx = 0;
        int deg = 0;
        for (NeighbourLink l : p.links()) {
          long j = l.trackI() == id ? l.trackJ() : l.trackJ() == id ? l.trackI() : -1;
          if (j > 0) {
            sw += l.weight();
            swx += l.weight() * p.cells().get((int) j - 1).intensity();
            deg++;
          }
        }
        double dt = frames.get(t).timeSeconds() - p.timeSeconds();
        yh += dt * (s.k() * (swx - sw * yh) / deg + s.gammaOf(id));
        double e = yh - frames.get(t).cells().get((int) id - 1).intensity();
        sum += e * e;
        n++;
      }
    }
    return sum / n;
  }
}
