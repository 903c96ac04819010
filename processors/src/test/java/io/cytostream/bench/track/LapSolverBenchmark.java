package io.cytostream.bench.track;

import io.cytostream.processors.track.LapSolver;
import io.cytostream.processors.track.SparseCostMatrix;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sparse LAP alone on a gated frame-to-frame problem: n points at nuclear density (one per 45 ×
 * 45 px²), moved by ~3 px, candidates within 30 px, cost = squared distance / 30², non-link cost 1.
 * Isolates the solver's share of {@link TrackLinkBenchmark}.
 *
 * <p>Run: {@code scripts/bench processors 'LapSolverBenchmark' -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LapSolverBenchmark {
  @Param({"100", "1000", "10000"})
  public int n;

  private SparseCostMatrix costs;
  private double[] alone;

  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(2);
    double side = 45 * Math.sqrt(n);
    double[] x = new double[n];
    double[] y = new double[n];
    double[] x2 = new double[n];
    double[] y2 = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = side * rnd.nextDouble();
      y[i] = side * rnd.nextDouble();
      x2[i] = x[i] + 3 * rnd.nextGaussian();
      y2[i] = y[i] + 3 * rnd.nextGaussian();
    }
    // brute-force gating is fine in the setup; the benchmark measures the solver only
    SparseCostMatrix.Builder b = SparseCostMatrix.builder(n, n);
    int[] order = new int[n];
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (p, q) -> Double.compare(x2[p], x2[q]));
    for (int i = 0; i < n; i++) {
      order[i] = idx[i];
    }
    for (int i = 0; i < n; i++) {
      for (int k : order) {
        double dx = x2[k] - x[i];
        if (dx < -30) {
          continue;
        }
        if (dx > 30) {
          break;
        }
        double dy = y2[k] - y[i];
        double d2 = dx * dx + dy * dy;
        if (d2 <= 900) {
          b.add(i, k, d2 / 900);
        }
      }
    }
    costs = b.build();
    alone = new double[n];
    Arrays.fill(alone, 1.0);
  }

  @Benchmark
  public LapSolver.Assignment solve() {
    return LapSolver.solve(costs, alone, alone);
  }
}
