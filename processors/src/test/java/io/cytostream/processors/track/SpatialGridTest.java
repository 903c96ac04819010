package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpatialGridTest {

  @Test
  void radiusQueriesMatchBruteForce() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = rnd.nextInt(300);
      double spread = trial % 3 == 0 ? 1e5 : 500; // also very sparse point sets
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int k = 0; k < n; k++) {
        xs[k] = spread * rnd.nextDouble() - 50;
        ys[k] = spread * rnd.nextDouble() - 50;
      }
      double cell = 1 + 60 * rnd.nextDouble();
      SpatialGrid g = new SpatialGrid(xs, ys, cell);
      for (int q = 0; q < 20; q++) {
        double x = spread * 1.2 * rnd.nextDouble() - 100;
        double y = spread * 1.2 * rnd.nextDouble() - 100;
        double r = 100 * rnd.nextDouble();
        List<Integer> got = new ArrayList<>();
        g.forEachWithin(x, y, r, got::add);
        List<Integer> want = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          if ((xs[k] - x) * (xs[k] - x) + (ys[k] - y) * (ys[k] - y) <= r * r) {
            want.add(k);
          }
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(want);
      }
    }
  }

  @Test
  void boundaryIsIncludedAndEmptyGridIsFine() {
    SpatialGrid g = new SpatialGrid(new double[] {0, 3}, new double[] {0, 4}, 10);
    List<Integer> got = new ArrayList<>();
    g.forEachWithin(0, 0, 5, got::add);
    assertThat(got).containsExactlyInAnyOrder(0, 1);
    new SpatialGrid(new double[0], new double[0], 5).forEachWithin(0, 0, 5, got::add);
    assertThat(got).hasSize(2);
  }
}
