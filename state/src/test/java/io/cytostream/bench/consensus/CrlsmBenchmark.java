package io.cytostream.bench.consensus;

import io.cytostream.state.consensus.BatchCrlsmSolver;
import io.cytostream.state.consensus.CrlsmConfig;
import io.cytostream.state.consensus.RegressionRow;
import io.cytostream.state.consensus.StreamingCrlsm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of the streaming CRLSM per frame against re-solving the batch problem, for one field of
 * view of {@code cells} interior cells over 361 frames (360 frames of rows; README: 108 cells), eq.
 * 3 with the paper's configuration (λ = 0.001, k ∈ [0.001, 0.1], γ ∈ [−3e−5, 0.1], no forgetting).
 *
 * <p>Rows: each cell gives a row in each frame with probability 0.95 (a missed detection skips
 * one), z = k φ + γ_i + noise with k = 0.02, γ_i uniform in [0, 0.01], φ ~ N(μ_i, 30²), μ_i ~ N(0,
 * 20²), noise σ = 0.05 (the random sequences of {@code CrlsmStreamingVsBatchTest}); the cost does
 * not depend on the values, only on the row and cell counts and on which bounds are active.
 *
 * <ul>
 *   <li>{@link #streamingPerFrame}: a fresh {@link StreamingCrlsm} takes the whole sequence frame
 *       by frame, updating with the frame's rows and solving exactly after each; reported per frame
 *       (O(rows of the frame) + O(G log G)).
 *   <li>{@link #batchResolve}: {@link BatchCrlsmSolver} re-solves the problem over all rows once
 *       (dense design matrix, normal equations, active set: O(N p²)), what a non-streaming
 *       consensus stage would have to do at every frame.
 * </ul>
 *
 * <p>Run (one thread, one fork; the same as {@code scripts/bench state CrlsmBenchmark -f 1 -wi 3 -i
 * 5}, without installing the modules):
 *
 * <pre>
 * mvn -o -B -q -pl state -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=/tmp/state.cp -Dspotless.check.skip -Dcheckstyle.skip
 * java -cp state/target/test-classes:state/target/classes:$(cat /tmp/state.cp) \
 *     io.cytostream.bench.consensus.CrlsmBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrlsmBenchmark {
  /** Frames with rows: the first of {@code frames} frames only starts the rows. */
  private static final int ROW_FRAMES = 360;

  @Param({"108"})
  public int cells;

  private final CrlsmConfig config = CrlsmConfig.paper();
  private List<List<RegressionRow>> byFrame;
  private List<RegressionRow> all;

  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(1);
    double[] gamma = new double[cells];
    double[] phiMean = new double[cells];
    for (int i = 0; i < cells; i++) {
      gamma[i] = 0.01 * rnd.nextDouble();
      phiMean[i] = 20 * rnd.nextGaussian();
    }
    byFrame = new ArrayList<>(ROW_FRAMES);
    all = new ArrayList<>();
    for (int f = 1; f <= ROW_FRAMES; f++) {
      List<RegressionRow> rows = new ArrayList<>(cells);
      for (int i = 0; i < cells; i++) {
        if (rnd.nextDouble() < 0.95) {
          double phi = phiMean[i] + 30 * rnd.nextGaussian();
          double z = 0.02 * phi + gamma[i] + 0.05 * rnd.nextGaussian();
          rows.add(new RegressionRow(100 + i, f, phi, z, 1.0));
        }
      }
      byFrame.add(rows);
      all.addAll(rows);
    }
  }

  /** Per frame: add the frame's rows to the streaming fit and solve it exactly. */
  @Benchmark
  @OperationsPerInvocation(ROW_FRAMES)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public double streamingPerFrame() {
    StreamingCrlsm s = new StreamingCrlsm(config);
    double sum = 0;
    for (int f = 0; f < ROW_FRAMES; f++) {
      sum += s.updateAndSolve(f + 1, byFrame.get(f)).k();
    }
    return sum;
  }

  /** Re-solving the batch problem over every row of the sequence, once. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public double batchResolve() {
    return BatchCrlsmSolver.solve(all, config).k();
  }

  /** Runs this benchmark with its annotations' settings. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(CrlsmBenchmark.class.getName()).build()).run();
  }
}
