package io.cytostream.ml.pinn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConsensusPinnTest {

  @Test
  void recoversKOnATinyNoiselessCulture() {
    // 4 × 3 grid: 2 interior cells, Δt = 1 s, 60 frames, true k = 0.05 /s; the paper's network
    // and optimiser (4 × 32 tanh, Adam 0.001, batch 20, 500 epochs = 1500 steps), k from 0.01
    SimulatedCulture.Run run =
        SimulatedCulture.run(new SimulatedCulture.Params(4, 3, 0.05, 1e-4, 5e-4, 1, 0.0, 5), 60);
    List<Long> ids = List.copyOf(new TreeSet<>(run.gamma().keySet()));
    ConsensusPinn.Fit fit =
        ConsensusPinn.train(
            MethodComparison.data(run.frames(), ids), ConsensusPinn.Config.paper(1));
    assertThat(fit.steps()).isEqualTo(1500);
    assertThat(fit.k()).isBetween(0.05 * 0.95, 0.05 * 1.05);
    assertThat(fit.dataLoss()).isLessThan(1e-5);
    assertThat(fit.gamma()).hasSize(2);
  }
}
