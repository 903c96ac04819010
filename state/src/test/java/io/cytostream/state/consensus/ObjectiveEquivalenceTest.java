package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper's objective (Tikhonov λ against rows Δy = Δt(φk + γ), eqs. 16, 18) and the rate
 * objective (λ against z = Δy/Δt) on the same simulated rows: with a constant Δt, ½‖Δt(Aθ − z)‖² +
 * (λ_paper/2)‖θ‖² = Δt²·[½‖Aθ − z‖² + (λ_paper/Δt²/2)‖θ‖²], so the two have the same optimum when
 * λ_paper = λ_rate·Δt²; with the same λ they differ unless Δt = 1 s.
 */
class ObjectiveEquivalenceTest {

  static List<RegressionRow> simulatedRows(double dt, int frames) {
    ConsensusSimulator sim =
        new ConsensusSimulator(ConsensusSimulator.Params.paperUnits(dt, 0.005, 3));
    RegressionRowBuilder b = new RegressionRowBuilder();
    List<RegressionRow> rows = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      rows.addAll(b.accept(sim.next()));
    }
    return rows;
  }

  static ConsensusSolution stream(List<RegressionRow> rows, CrlsmConfig c) {
    StreamingCrlsm s = new StreamingCrlsm(c);
    s.update(rows.get(rows.size() - 1).frameIndex(), rows);
    return s.solve();
  }

  @Test
  void lambdaOnDeltaYRowsIsLambdaOnRateRowsTimesDtSquared() {
    double dt = 10;
    // few frames and a λ large enough to matter, so that a wrong scaling would show
    List<RegressionRow> rows = simulatedRows(dt, 6);
    double lambdaRate = 2.0;
    CrlsmConfig wide = CrlsmConfig.paper().withBounds(-10, 10, -10, 10);
    CrlsmConfig rate = wide.withObjective(CrlsmConfig.Objective.RATE).withLambda(lambdaRate);
    CrlsmConfig paper =
        wide.withObjective(CrlsmConfig.Objective.DELTA_Y).withLambda(lambdaRate * dt * dt);
    ConsensusSolution r = stream(rows, rate);
    ConsensusSolution p = stream(rows, paper);
    ConsensusSolution pBatch = BatchCrlsmSolver.solve(rows, paper);
    assertThat(p.k()).isCloseTo(r.k(), within(1e-9 * Math.abs(r.k())));
    assertThat(pBatch.k()).isCloseTo(r.k(), within(1e-6 * Math.abs(r.k())));
    for (long id : r.gamma().keySet()) {
      assertThat(p.gammaOf(id)).isCloseTo(r.gammaOf(id), within(1e-9 * Math.abs(r.gammaOf(id))));
    }
    // the objectives differ by the factor Δt², and so do the residual variances
    assertThat(p.objective()).isCloseTo(dt * dt * r.objective(), within(1e-9 * p.objective()));
    assertThat(p.residualVariance())
        .isCloseTo(dt * dt * r.residualVariance(), within(1e-9 * p.residualVariance()));
    // the standard errors of the parameters are the same
    assertThat(p.kStandardError()).isCloseTo(r.kStandardError(), within(1e-9 * r.kStandardError()));

    // the same λ on both: the λ that the rate objective used to apply is the paper's λ·Δt²
    ConsensusSolution sameLambda = stream(rows, paper.withLambda(lambdaRate));
    assertThat(Math.abs(sameLambda.k() / r.k() - 1)).isGreaterThan(1e-3);
  }

  @Test
  void atOneSecondFramesTheObjectivesCoincide() {
    List<RegressionRow> rows = simulatedRows(1, 40);
    ConsensusSolution r =
        stream(rows, CrlsmConfig.paper().withObjective(CrlsmConfig.Objective.RATE));
    ConsensusSolution p = stream(rows, CrlsmConfig.paper());
    assertThat(p.k()).isCloseTo(r.k(), within(1e-12));
    assertThat(p.gamma()).isEqualTo(r.gamma());
  }
}
