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
}
