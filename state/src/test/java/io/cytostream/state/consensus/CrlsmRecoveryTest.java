package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery of k and γ_i from the simulated exact consensus model (60 cells on a jittered,
 * triangulated grid, 28 border cells driven by their own signals, l ∈ [10, 40] px, u ∈ [15, 40] px,
 * k = 0.0015, γ_i ∈ [0.002, 0.01], Δt = 0.4 s so that Δt·k·u·l ≤ 0.96 keeps forward Euler stable).
 * {@link CrlsmRecovery#main} prints the error table over frames and noise levels.
 */
class CrlsmRecoveryTest {

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void recoversKWithin5PercentAndGammaWithin10PercentAfter200NoisyFrames(long seed) {
    // Observation noise σ_y = 0.002 on intensities of amplitude ≈ 0.1–0.2.
    ConsensusSimulator.Params p = ConsensusSimulator.Params.defaults(0.002, seed);
    CrlsmRecovery.Errors e = CrlsmRecovery.run(p, 200).get(0);
    assertThat(e.rows()).isEqualTo(199L * 32);
    assertThat(e.kRelError()).isLessThan(0.05);
    assertThat(e.medianGammaRelError()).isLessThan(0.10);
  }

  @Test
  void noiselessRowsRecoverTheParametersUpToTheRegulariser() {
    List<CrlsmRecovery.Errors> e =
        CrlsmRecovery.run(ConsensusSimulator.Params.defaults(0.0, 5), 20, 100);
    for (CrlsmRecovery.Errors x : e) {
      assertThat(x.kRelError()).isLessThan(1e-4);
      assertThat(x.medianGammaRelError()).isLessThan(1e-3);
    }
  }

  @Test
  void errorShrinksFromFewToManyFramesAtModerateNoise() {
    // Averaged over seeds so that the comparison is about the estimator, not one draw.
    double early = 0;
    double late = 0;
    for (long seed = 21; seed < 26; seed++) {
      List<CrlsmRecovery.Errors> e =
          CrlsmRecovery.run(ConsensusSimulator.Params.defaults(0.001, seed), 20, 200);
      early += e.get(0).medianGammaRelError();
      late += e.get(1).medianGammaRelError();
    }
    assertThat(late).isLessThan(early);
  }

  /**
   * The done-when of issue 15: the paper's objective (Δy rows) with its default λ = 0.001, in the
   * paper's units (w = u·l/1000 px², k = 0.05 /s) at the paper's Δt = 10 s (σ_y = 0.002) and at Δt
   * = 1 s (σ_y = 0.001): k within 5 %, median γ_i within 10 % after 200 frames.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void thePapersObjectiveAndLambdaRecoverTheTruthAtTenAndOneSecondFrames(long seed) {
    CrlsmConfig paper = CrlsmConfig.paper();
    assertThat(paper.objective()).isEqualTo(CrlsmConfig.Objective.DELTA_Y);
    assertThat(paper.lambda()).isEqualTo(0.001);
    for (double[] dtNoise : new double[][] {{10, 0.002}, {1, 0.001}}) {
      ConsensusSimulator.Params p =
          ConsensusSimulator.Params.paperUnits(dtNoise[0], dtNoise[1], seed);
      CrlsmRecovery.Errors e = CrlsmRecovery.run(p, paper, 200).get(0);
      assertThat(e.kRelError()).as("Δt = %s s", dtNoise[0]).isLessThan(0.05);
      assertThat(e.medianGammaRelError()).as("Δt = %s s", dtNoise[0]).isLessThan(0.10);
    }
  }

  /**
   * The errors-in-variables remedy: at σ_y = 0.005 least squares overestimates k by more than 10 %
   * (noise enters both sides of the Euler rows), the IV estimator by less than 5 % (mean signed
   * error over 3 seeds, 200 frames), on the README table's culture (Δt = 0.4 s, rate rows) and in
   * the paper's units at Δt = 1 s.
   */
  @Test
  void instrumentalVariablesRemoveTheNoiseBiasOfK() {
    CrlsmConfig table = CrlsmConfig.paper().withObjective(CrlsmConfig.Objective.RATE);
    double[] lsBias = new double[2];
    double[] ivBias = new double[2];
    for (long seed = 11; seed <= 13; seed++) {
      ConsensusSimulator.Params[] sims = {
        ConsensusSimulator.Params.defaults(0.005, seed),
        ConsensusSimulator.Params.paperUnits(1, 0.005, seed)
      };
      CrlsmConfig[] fits = {table, CrlsmConfig.paper()};
      for (int i = 0; i < 2; i++) {
        ConsensusSimulator.Params p = sims[i];
        double ls = CrlsmRecovery.run(p, fits[i], 200).get(0).k();
        double iv =
            CrlsmRecovery.run(p, fits[i].withEstimator(CrlsmConfig.Estimator.IV), 200).get(0).k();
        lsBias[i] += (ls / p.k() - 1) / 3;
        ivBias[i] += (iv / p.k() - 1) / 3;
      }
    }
    for (int i = 0; i < 2; i++) {
      assertThat(lsBias[i]).as("least squares, culture %d", i).isGreaterThan(0.10);
      assertThat(Math.abs(ivBias[i])).as("IV, culture %d", i).isLessThan(0.05);
    }
  }
}
