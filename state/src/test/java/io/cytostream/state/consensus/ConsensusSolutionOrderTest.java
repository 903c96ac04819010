package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The solution's γ maps iterate in track id order, whatever the JVM: the stream publishes them in
 * this order ({@code consensus.fov}), so a restarted service must list them as the one before it.
 * They used to be {@code Map.copyOf} copies, iterated in an order salted per JVM start.
 */
class ConsensusSolutionOrderTest {

  @Test
  void gammaAndItsErrorsIterateInTrackIdOrder() {
    List<RegressionRow> rows = new ArrayList<>();
    // 64 cells, added in a scrambled order, three rows each
    for (int i = 0; i < 64; i++) {
      long track = 1 + (i * 37L) % 64;
      for (int r = 0; r < 3; r++) {
        rows.add(new RegressionRow(track, 1, 0.1 * (r + 1) + 0.01 * i, 0.02 * r - 0.001 * i, 1.0));
      }
    }
    StreamingCrlsm s = new StreamingCrlsm(CrlsmConfig.paper().withBounds(-10, 10, -10, 10));
    s.update(1, rows);
    ConsensusSolution solved = s.solve();
    ConsensusSolution batch =
        BatchCrlsmSolver.solve(rows, CrlsmConfig.paper().withBounds(-10, 10, -10, 10));
    for (ConsensusSolution c : List.of(solved, batch)) {
      assertThat(c.gamma()).hasSize(64);
      assertThat(new ArrayList<>(c.gamma().keySet())).isSorted();
      assertThat(new ArrayList<>(c.gammaStandardError().keySet())).isSorted();
    }
  }
}
