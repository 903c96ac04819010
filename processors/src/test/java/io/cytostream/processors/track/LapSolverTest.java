package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LapSolverTest {

  @Test
  void handComputedSquareCase() {
    // rows x cols:   c0 c1
    //          r0:    1  2
    //          r1:    2  4
    // best full matching: r0-c1 (2) + r1-c0 (2) = 4 < 1 + 4 = 5
    SparseCostMatrix c =
        SparseCostMatrix.builder(2, 2).add(0, 0, 1).add(0, 1, 2).add(1, 0, 2).add(1, 1, 4).build();
    LapSolver.Assignment a = LapSolver.solve(c, new double[] {10, 10}, new double[] {10, 10});
    assertThat(a.rowToCol()).containsExactly(1, 0);
    assertThat(a.colToRow()).containsExactly(1, 0);
    assertThat(a.totalCost()).isEqualTo(4.0);
  }

  @Test
  void prefersNonAssignmentWhenCheaper() {
    // linking r0-c0 costs 5, but death (1) + birth (2) = 3 is cheaper
    SparseCostMatrix c = SparseCostMatrix.builder(1, 1).add(0, 0, 5).build();
    LapSolver.Assignment a = LapSolver.solve(c, new double[] {1}, new double[] {2});
    assertThat(a.rowToCol()).containsExactly(-1);
    assertThat(a.colToRow()).containsExactly(-1);
    assertThat(a.totalCost()).isEqualTo(3.0);
  }

  @Test
  void forbiddenEntriesAreNeverUsed() {
    // r0 may only go to c1, r1 only to c1: one of them must stay alone
    SparseCostMatrix c = SparseCostMatrix.builder(2, 2).add(0, 1, 1).add(1, 1, 0.5).build();
    LapSolver.Assignment a =
        LapSolver.solve(c, new double[] {3, 3}, new double[] {3, 3}); // c0 is always born
    assertThat(a.rowToCol()).containsExactly(-1, 1);
    assertThat(a.totalCost()).isEqualTo(0.5 + 3 + 3);
  }

  @Test
  void emptyAndRectangularProblems() {
    LapSolver.Assignment empty =
        LapSolver.solve(SparseCostMatrix.builder(0, 0).build(), new double[0], new double[0]);
    assertThat(empty.totalCost()).isZero();
    LapSolver.Assignment noCols =
        LapSolver.solve(SparseCostMatrix.builder(2, 0).build(), new double[] {1, 2}, new double[0]);
    assertThat(noCols.rowToCol()).containsExactly(-1, -1);
    assertThat(noCols.totalCost()).isEqualTo(3.0);
  }

  @Test
  void duplicateEntriesKeepTheCheaperCost() {
    SparseCostMatrix c = SparseCostMatrix.builder(1, 1).add(0, 0, 5).add(0, 0, 2).build();
    assertThat(c.entries()).isEqualTo(1);
    assertThat(c.get(0, 0)).isEqualTo(2.0);
  }

  @Test
  void rejectsNegativeOrNonFiniteCosts() {
    assertThatThrownBy(() -> SparseCostMatrix.builder(1, 1).add(0, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SparseCostMatrix.builder(1, 1).add(0, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    SparseCostMatrix c = SparseCostMatrix.builder(1, 1).build();
    assertThatThrownBy(() -> LapSolver.solve(c, new double[] {-1}, new double[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void matchesBruteForceOnRandomSparseProblems() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 3000; trial++) {
      int n = rnd.nextInt(7);
      int m = rnd.nextInt(7);
      double density = 0.2 + 0.8 * rnd.nextDouble();
      boolean integer = rnd.nextBoolean(); // integer costs produce many ties
      double[][] full = new double[n][m];
      SparseCostMatrix.Builder b = SparseCostMatrix.builder(n, m);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          if (rnd.nextDouble() < density) {
            full[i][j] = integer ? rnd.nextInt(6) : 5 * rnd.nextDouble();
            b.add(i, j, full[i][j]);
          } else {
            full[i][j] = Double.POSITIVE_INFINITY;
          }
        }
      }
      double[] rowAlone = new double[n];
      double[] colAlone = new double[m];
      for (int i = 0; i < n; i++) {
        rowAlone[i] = integer ? rnd.nextInt(4) : 3 * rnd.nextDouble();
      }
      for (int j = 0; j < m; j++) {
        colAlone[j] = integer ? rnd.nextInt(4) : 3 * rnd.nextDouble();
      }
      LapSolver.Assignment a = LapSolver.solve(b.build(), rowAlone, colAlone);

      double expected = bruteForce(full, rowAlone, colAlone, 0, new boolean[m]);
      assertThat(a.totalCost()).as("trial %d", trial).isCloseTo(expected, within(1e-9));
      // the returned matching is consistent, uses only allowed pairs and has the reported cost
      double recomputed = 0;
      boolean[] used = new boolean[m];
      for (int i = 0; i < n; i++) {
        int j = a.rowToCol()[i];
        if (j < 0) {
          recomputed += rowAlone[i];
        } else {
          assertThat(full[i][j]).isFinite();
          assertThat(used[j]).isFalse();
          used[j] = true;
          assertThat(a.colToRow()[j]).isEqualTo(i);
          recomputed += full[i][j];
        }
      }
      for (int j = 0; j < m; j++) {
        if (!used[j]) {
          assertThat(a.colToRow()[j]).isEqualTo(-1);
          recomputed += colAlone[j];
        }
      }
      assertThat(recomputed).isCloseTo(a.totalCost(), within(1e-9));
    }
  }

  @Test
  void largeGatedProblemMatchesOptimumOfIndependentBlocks() {
    // 2000 independent 3x3 blocks along a line: the optimum is the sum of block optima.
    Random rnd = new Random(7);
    int blocks = 2000;
    int n = 3 * blocks;
    SparseCostMatrix.Builder b = SparseCostMatrix.builder(n, n);
    double[][][] block = new double[blocks][3][3];
    for (int k = 0; k < blocks; k++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          block[k][i][j] = rnd.nextDouble();
          b.add(3 * k + i, 3 * k + j, block[k][i][j]);
        }
      }
    }
    double[] alone = new double[n];
    java.util.Arrays.fill(alone, 0.4);
    LapSolver.Assignment a = LapSolver.solve(b.build(), alone, alone);
    double expected = 0;
    for (int k = 0; k < blocks; k++) {
      double[] a3 = {0.4, 0.4, 0.4};
      expected += bruteForce(block[k], a3, a3, 0, new boolean[3]);
    }
    assertThat(a.totalCost()).isCloseTo(expected, within(1e-6));
  }

  /** Minimum over all partial matchings: row i either stays alone or takes a free allowed col. */
  static double bruteForce(
      double[][] c, double[] rowAlone, double[] colAlone, int row, boolean[] used) {
    int n = c.length;
    int m = colAlone.length;
    if (row == n) {
      double s = 0;
      for (int j = 0; j < m; j++) {
        if (!used[j]) {
          s += colAlone[j];
        }
      }
      return s;
    }
    double best = rowAlone[row] + bruteForce(c, rowAlone, colAlone, row + 1, used);
    for (int j = 0; j < m; j++) {
      if (!used[j] && Double.isFinite(c[row][j])) {
        used[j] = true;
        best = Math.min(best, c[row][j] + bruteForce(c, rowAlone, colAlone, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }
}
