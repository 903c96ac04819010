package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming CRLSM (arrow structure, sufficient statistics) against the independent batch solver
 * (full design matrix, EJML normal equations, primal active set) on every prefix of random row
 * sequences, including active bounds.
 */
class CrlsmStreamingVsBatchTest {

  static final double TOL = 1e-6;

  /** Random rows z = k φ + γ_i + noise for cells that appear and end at random frames. */
  static List<List<RegressionRow>> randomFrames(
      long seed, int cells, int frames, double k, double gammaLo, double gammaHi, double noise) {
    Random rnd = new Random(seed);
    int[] start = new int[cells];
    int[] end = new int[cells];
    double[] gamma = new double[cells];
    double[] phiMean = new double[cells];
    for (int i = 0; i < cells; i++) {
      start[i] = rnd.nextInt(frames / 2);
      end[i] = start[i] + 1 + rnd.nextInt(frames);
      gamma[i] = gammaLo + (gammaHi - gammaLo) * rnd.nextDouble();
      phiMean[i] = 20 * rnd.nextGaussian();
    }
    List<List<RegressionRow>> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      List<RegressionRow> rows = new ArrayList<>();
      // Δt varies from frame to frame (0.5–10 s), so the Δy and rate objectives differ
      double dt = 0.5 + 9.5 * rnd.nextDouble();
      for (int i = 0; i < cells; i++) {
        if (f >= start[i] && f < end[i] && rnd.nextDouble() < 0.9) {
          double phi = phiMean[i] + 30 * rnd.nextGaussian();
          double z = k * phi + gamma[i] + noise * rnd.nextGaussian();
          // an instrument correlated with φ, missing on some rows
          double zeta = rnd.nextDouble() < 0.1 ? Double.NaN : 0.8 * phi + 10 * rnd.nextGaussian();
          rows.add(new RegressionRow(100 + i, f, phi, z, dt, zeta));
        }
      }
      out.add(rows);
    }
    return out;
  }

  static Arguments[] cases() {
    CrlsmConfig paper = CrlsmConfig.paper();
    return new Arguments[] {
      // name, config, seed, k, gamma range, noise
      Arguments.of("interior", paper, 1L, 0.02, 0.0, 0.01, 0.05),
      Arguments.of("k above bound", paper, 2L, 0.3, 0.0, 0.02, 0.05),
      Arguments.of("k below bound", paper, 3L, 0.0001, 0.0, 0.02, 0.05),
      Arguments.of("gamma at lower bound", paper, 4L, 0.01, -0.02, 0.01, 0.01),
      Arguments.of("gamma at upper bound", paper, 5L, 0.01, 0.05, 0.2, 0.01),
      Arguments.of("noisy, many bounds", paper, 6L, 0.05, -0.1, 0.2, 1.0),
      Arguments.of("forgetting", paper.withForgetting(0.95), 7L, 0.03, -0.01, 0.05, 0.1),
      Arguments.of("forgetting at bounds", paper.withForgetting(0.9), 8L, 0.2, -0.05, 0.2, 0.1),
      Arguments.of("strong lambda", paper.withLambda(50), 9L, 0.03, -0.01, 0.05, 0.1),
      Arguments.of(
          "shared feed",
          paper.withParameterisation(CrlsmConfig.Parameterisation.EQ2),
          10L,
          0.03,
          0.0,
          0.02,
          0.1),
      Arguments.of(
          "shared feed at bound",
          paper.withParameterisation(CrlsmConfig.Parameterisation.EQ2),
          11L,
          0.3,
          -0.05,
          -0.01,
          0.1),
      Arguments.of(
          "rate objective",
          paper.withObjective(CrlsmConfig.Objective.RATE),
          14L,
          0.02,
          0,
          0.01,
          0.05),
      Arguments.of(
          "rate objective, strong lambda",
          paper.withObjective(CrlsmConfig.Objective.RATE).withLambda(50),
          15L,
          0.03,
          -0.01,
          0.05,
          0.1),
      Arguments.of("iv", paper.withEstimator(CrlsmConfig.Estimator.IV), 16L, 0.02, 0, 0.01, 0.05),
      Arguments.of(
          "iv, many bounds",
          paper.withEstimator(CrlsmConfig.Estimator.IV),
          17L,
          0.05,
          -0.1,
          0.2,
          1.0),
      Arguments.of(
          "iv, rate objective, forgetting",
          paper
              .withEstimator(CrlsmConfig.Estimator.IV)
              .withObjective(CrlsmConfig.Objective.RATE)
              .withForgetting(0.95),
          18L,
          0.03,
          -0.01,
          0.05,
          0.1),
      Arguments.of(
          "iv, shared feed",
          paper
              .withEstimator(CrlsmConfig.Estimator.IV)
              .withParameterisation(CrlsmConfig.Parameterisation.EQ2),
          19L,
          0.03,
          0.0,
          0.02,
          0.1),
      Arguments.of(
          "iv, single cell",
          paper.withEstimator(CrlsmConfig.Estimator.IV).withSingleCell(103),
          20L,
          0.03,
          0.0,
          0.02,
          0.1),
      Arguments.of("single cell", paper.withSingleCell(103), 12L, 0.03, 0.0, 0.0, 0.1),
      Arguments.of("single cell at bound", paper.withSingleCell(103), 13L, 0.5, 0.0, 0.0, 0.1),
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void streamingEqualsBatchOnEveryPrefix(
      String name, CrlsmConfig config, long seed, double k, double gLo, double gHi, double noise) {
    List<List<RegressionRow>> frames = randomFrames(seed, 25, 60, k, gLo, gHi, noise);
    StreamingCrlsm streaming = new StreamingCrlsm(config);
    List<RegressionRow> all = new ArrayList<>();
    int kBound = 0;
    int gammaBound = 0;
    for (int f = 0; f < frames.size(); f++) {
      all.addAll(frames.get(f));
      ConsensusSolution s = streaming.updateAndSolve(f, frames.get(f));
      ConsensusSolution b = BatchCrlsmSolver.solve(all, config, f);
      assertSame(s, b, config);
      kBound += s.kAtBound() ? 1 : 0;
      for (double g : s.gamma().values()) {
        gammaBound += (g <= config.gammaMin() || g >= config.gammaMax()) ? 1 : 0;
      }
    }
    if (name.contains("k above") || name.contains("k below") || name.contains("single cell at")) {
      assertThat(kBound).as("k clipped on most prefixes").isGreaterThan(frames.size() / 2);
    }
    if (name.contains("gamma at") || name.contains("many bounds")) {
      assertThat(gammaBound).as("some γ at a bound").isGreaterThan(10);
    }
  }

  static void assertSame(ConsensusSolution s, ConsensusSolution b, CrlsmConfig config) {
    assertThat(s.k()).isCloseTo(b.k(), within(TOL * Math.abs(b.k())));
    assertThat(s.gamma().keySet()).isEqualTo(b.gamma().keySet());
    for (Map.Entry<Long, Double> e : b.gamma().entrySet()) {
      double gb = e.getValue();
      double scale = Math.max(Math.abs(gb), 1e-3 * (config.gammaMax() - config.gammaMin()));
      assertThat(s.gamma().get(e.getKey()))
          .as("γ of %d", e.getKey())
          .isCloseTo(gb, within(TOL * scale));
    }
    assertThat(s.rowsUsed()).isEqualTo(b.rowsUsed());
    assertThat(s.framesUsed()).isEqualTo(b.framesUsed());
    if (b.rowsUsed() > 0) {
      assertThat(s.meanDtSeconds()).isCloseTo(b.meanDtSeconds(), within(1e-12));
    }
    assertThat(s.effectiveRows())
        .isCloseTo(b.effectiveRows(), within(1e-9 * b.effectiveRows() + 1e-12));
    assertThat(s.objective())
        .isCloseTo(b.objective(), within(1e-6 * Math.abs(b.objective()) + 1e-12));
    if (Double.isNaN(b.residualVariance())) {
      assertThat(s.residualVariance()).isNaN();
    } else {
      assertThat(s.residualVariance())
          .isCloseTo(b.residualVariance(), within(1e-6 * b.residualVariance() + 1e-15));
    }
    if (Double.isNaN(b.kStandardError())) {
      assertThat(s.kStandardError()).isNaN();
    } else {
      assertThat(s.kStandardError())
          .isCloseTo(b.kStandardError(), within(1e-5 * b.kStandardError()));
    }
    for (Map.Entry<Long, Double> e : b.gammaStandardError().entrySet()) {
      double sb = e.getValue();
      double ss = s.gammaStandardError().get(e.getKey());
      if (Double.isNaN(sb)) {
        assertThat(ss).isNaN();
      } else {
        assertThat(ss).isCloseTo(sb, within(1e-5 * sb));
      }
    }
  }

  @Test
  void simulatedFramesThroughRowBuilderMatchBatch() {
    ConsensusSimulator sim = new ConsensusSimulator(ConsensusSimulator.Params.defaults(0.002, 21));
    RegressionRowBuilder builder = new RegressionRowBuilder();
    CrlsmConfig config = CrlsmConfig.paper();
    StreamingCrlsm streaming = new StreamingCrlsm(config);
    List<RegressionRow> all = new ArrayList<>();
    for (int f = 0; f < 80; f++) {
      ConsensusFrame frame = sim.next();
      List<RegressionRow> rows = builder.accept(frame);
      all.addAll(rows);
      ConsensusSolution s = streaming.updateAndSolve(frame.frameIndex(), rows);
      ConsensusSolution b = BatchCrlsmSolver.solve(all, config, frame.frameIndex());
      assertSame(s, b, config);
    }
    assertThat(all).isNotEmpty();
  }

  @Test
  void snapshotRestoreContinuesIdentically() {
    List<List<RegressionRow>> frames = randomFrames(31, 15, 40, 0.02, 0.0, 0.01, 0.05);
    CrlsmConfig config = CrlsmConfig.paper().withForgetting(0.97);
    StreamingCrlsm a = new StreamingCrlsm(config);
    StreamingCrlsm b = new StreamingCrlsm(config);
    for (int f = 0; f < frames.size(); f++) {
      a.update(f, frames.get(f));
      b.update(f, frames.get(f));
      b = StreamingCrlsm.restore(b.snapshot());
      assertThat(b.solve()).isEqualTo(a.solve());
    }
  }

  @Test
  void retentionDropsIdleCellsLikeABatchWithoutThem() {
    List<List<RegressionRow>> frames = randomFrames(41, 20, 60, 0.02, 0.0, 0.01, 0.05);
    CrlsmConfig config = CrlsmConfig.paper().withForgetting(0.98).withMaxIdleFrames(5);
    StreamingCrlsm streaming = new StreamingCrlsm(config);
    List<RegressionRow> all = new ArrayList<>();
    int dropped = 0;
    for (int f = 0; f < frames.size(); f++) {
      all.addAll(frames.get(f));
      ConsensusSolution s = streaming.updateAndSolve(f, frames.get(f));
      long now = f;
      List<RegressionRow> kept = new ArrayList<>();
      for (RegressionRow r : all) {
        long last =
            all.stream()
                .filter(x -> x.trackId() == r.trackId())
                .mapToLong(RegressionRow::frameIndex)
                .max()
                .orElseThrow();
        if (now - last <= 5) {
          kept.add(r);
        }
      }
      dropped = Math.max(dropped, all.size() - kept.size());
      ConsensusSolution b = BatchCrlsmSolver.solve(kept, config, f);
      assertThat(s.k()).isCloseTo(b.k(), within(TOL * b.k()));
      assertThat(s.gamma().keySet()).isEqualTo(b.gamma().keySet());
      assertThat(s.rowsUsed()).as("rows of the kept cells").isEqualTo(kept.size());
    }
    assertThat(dropped).isPositive();
  }

  /**
   * A fresh solver and many cells whose γ_i(k) crosses both γ bounds inside [kmin, kmax]: the
   * breakpoint search sees 2G + 2 points at once (more than its initial work array holds).
   */
  @Test
  void everyCellsBothBreakpointsInsideTheKRange() {
    Random rnd = new Random(17);
    List<RegressionRow> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double gamma = 0.09 * i / 11;
      for (int r = 0; r < 20; r++) {
        double phi = 20 + 5 * rnd.nextGaussian();
        rows.add(
            new RegressionRow(i + 1, 1, phi, 0.05 * phi + gamma + 1e-3 * rnd.nextGaussian(), 1));
      }
    }
    CrlsmConfig c = CrlsmConfig.paper();
    StreamingCrlsm s = new StreamingCrlsm(c);
    s.update(1, rows);
    ConsensusSolution streaming = s.solve();
    assertSame(streaming, BatchCrlsmSolver.solve(rows, c), c);
    assertThat(streaming.k()).isCloseTo(0.05, within(1e-3));
  }
}
