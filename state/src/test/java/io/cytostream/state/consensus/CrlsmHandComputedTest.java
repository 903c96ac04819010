package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Small CRLSM problems solved by hand (Cramer's rule and KKT checks written out). */
class CrlsmHandComputedTest {

  static final double LAMBDA = 0.001;

  static List<RegressionRow> rows(long track, double[][] phiZ) {
    return java.util.Arrays.stream(phiZ)
        .map(r -> new RegressionRow(track, 1, r[0], r[1], 1.0))
        .toList();
  }

  static ConsensusSolution stream(CrlsmConfig c, List<RegressionRow> rows) {
    StreamingCrlsm s = new StreamingCrlsm(c);
    s.update(1, rows);
    return s.solve();
  }

  final List<RegressionRow> cellA = rows(1, new double[][] {{1, 2}, {2, 3}, {3, 4}});

  @Test
  void perCellFeedWithoutActiveBoundsIsTheRidgeSolution() {
    CrlsmConfig c = CrlsmConfig.paper().withBounds(-10, 10, -10, 10);
    // [[Σφ²+λ, Σφ], [Σφ, n+λ]] [k, γ] = [Σφz, Σz] with Σφ² = 14, Σφ = 6, n = 3, Σφz = 20, Σz = 9
    double det = (14 + LAMBDA) * (3 + LAMBDA) - 36;
    double k = (20 * (3 + LAMBDA) - 6 * 9) / det;
    double gamma = ((14 + LAMBDA) * 9 - 6 * 20) / det;
    for (ConsensusSolution s : List.of(stream(c, cellA), BatchCrlsmSolver.solve(cellA, c))) {
      assertThat(s.k()).isCloseTo(k, within(1e-12));
      assertThat(s.gammaOf(1)).isCloseTo(gamma, within(1e-12));
      assertThat(s.rowsUsed()).isEqualTo(3);
      assertThat(s.kAtBound()).isFalse();
      // RSS at the ridge solution, objective ½ RSS + λ/2 ‖θ‖²
      double rss = 0;
      for (RegressionRow r : cellA) {
        rss += Math.pow(k * r.phi() + gamma - r.z(), 2);
      }
      assertThat(s.objective())
          .isCloseTo(0.5 * rss + 0.5 * LAMBDA * (k * k + gamma * gamma), within(1e-12));
    }
  }

  @Test
  void paperBoundsClipBothParametersAtTheirUpperBound() {
    // Unconstrained k ≈ 1, γ ≈ 1 lie above both upper bounds: k = 0.1, and then
    // γ = clip((Σz − Σφ k)/(n + λ)) = clip(8.4/3.001) = 0.1. KKT: ∂f/∂k = (14+λ)0.1 + 6·0.1 − 20 <
    // 0
    // and ∂f/∂γ = 6·0.1 + (3+λ)0.1 − 9 < 0, both pushing up against the upper bounds.
    CrlsmConfig c = CrlsmConfig.paper();
    for (ConsensusSolution s : List.of(stream(c, cellA), BatchCrlsmSolver.solve(cellA, c))) {
      assertThat(s.k()).isEqualTo(0.1);
      assertThat(s.gammaOf(1)).isEqualTo(0.1);
      assertThat(s.kAtBound()).isTrue();
      assertThat(s.kStandardError()).isNaN();
      assertThat(s.gammaStandardError().get(1L)).isNaN();
    }
  }

  @Test
  void aFeedClippedAtItsLowerBoundDropsOutOfTheSchurComplement() {
    // Cell 1: z = 0.5 φ + 1 exactly; cell 2: z = 0.5 φ − 1, whose γ wants −1 < 0 = γmin.
    // With γ_2 = 0 fixed: [[Σ_all φ², Σ_1 φ], [Σ_1 φ, n_1]] [k, γ_1] = [Σ_all φz, Σ_1 z]
    // = [[19, 6], [6, 3]] [k, γ_1] = [12.5, 6] ⇒ k = 1.5/21 = 1/14, γ_1 = 39/21 = 13/7 (λ → 0).
    List<RegressionRow> rows = new java.util.ArrayList<>();
    rows.addAll(rows(1, new double[][] {{1, 1.5}, {2, 2}, {3, 2.5}}));
    rows.addAll(rows(2, new double[][] {{1, -0.5}, {2, 0}}));
    CrlsmConfig c = CrlsmConfig.paper().withLambda(1e-12).withBounds(-10, 10, 0, 10);
    for (ConsensusSolution s : List.of(stream(c, rows), BatchCrlsmSolver.solve(rows, c))) {
      // KKT at the solver's own solution: k and γ_1 free (zero gradient); γ_2 at its lower bound
      // with ∂f/∂γ_2 = Σ_2 (k φ + γ_2 − z) + λ γ_2 = 3k + 0.5 = 3/14 + 0.5 > 0 (pushing down)
      double[] grad = gradient(rows, c, s);
      assertThat(grad[0]).as("∂f/∂k").isCloseTo(0, within(1e-9));
      assertThat(grad[1]).as("∂f/∂γ_1").isCloseTo(0, within(1e-9));
      assertThat(s.gammaOf(2)).isEqualTo(0.0);
      assertThat(grad[2]).as("∂f/∂γ_2").isCloseTo(3.0 / 14 + 0.5, within(1e-9)).isPositive();
      assertThat(s.k()).isCloseTo(1.0 / 14, within(1e-9));
      assertThat(s.gammaOf(1)).isCloseTo(13.0 / 7, within(1e-9));
    }
  }

  /**
   * The gradient of ½ Σ (k φ + γ_i − z)² + (λ/2)(k² + Σ γ_i²) at a setup-III solution: [∂f/∂k,
   * ∂f/∂γ_1, ∂f/∂γ_2, …] for tracks 1, 2, ….
   */
  static double[] gradient(List<RegressionRow> rows, CrlsmConfig c, ConsensusSolution s) {
    int cells = (int) rows.stream().mapToLong(RegressionRow::trackId).max().orElse(0);
    double[] g = new double[1 + cells];
    g[0] = c.lambda() * s.k();
    for (int i = 1; i <= cells; i++) {
      g[i] = c.lambda() * s.gammaOf(i);
    }
    for (RegressionRow r : rows) {
      double e = s.k() * r.phi() + s.gammaOf(r.trackId()) - r.z();
      g[0] += e * r.phi();
      g[(int) r.trackId()] += e;
    }
    return g;
  }

  @Test
  void theSingleCellFitOfEquationOneEstimatesKAndGammaFromThatCellAlone() {
    // Eq. 1 / eq. 12: θ = [k, γ] over cell 1's rows only; cell 2's rows (which would pull k
    // elsewhere) are ignored. Ridge: [[Σφ²+λ, Σφ], [Σφ, n+λ]] [k, γ] = [Σφz, Σz].
    List<RegressionRow> two = new java.util.ArrayList<>(cellA);
    two.addAll(rows(2, new double[][] {{1, -5}, {2, -9}}));
    CrlsmConfig wide = CrlsmConfig.paper().withSingleCell(1).withBounds(-10, 10, -10, 10);
    double det = (14 + LAMBDA) * (3 + LAMBDA) - 36;
    for (ConsensusSolution s : List.of(stream(wide, two), BatchCrlsmSolver.solve(two, wide))) {
      assertThat(s.k()).isCloseTo((20 * (3 + LAMBDA) - 6 * 9) / det, within(1e-12));
      assertThat(s.gamma()).containsOnlyKeys(1L);
      assertThat(s.gammaOf(1)).isCloseTo(((14 + LAMBDA) * 9 - 6 * 20) / det, within(1e-12));
      assertThat(s.rowsUsed()).isEqualTo(3);
    }
    CrlsmConfig paper = CrlsmConfig.paper().withSingleCell(1);
    assertThat(stream(paper, cellA).k()).isEqualTo(0.1);
  }

  @Test
  void sharedFeedPoolsAllCells() {
    // Two cells with the same γ: pooling equals one cell holding all the rows.
    List<RegressionRow> two = new java.util.ArrayList<>();
    two.addAll(rows(1, new double[][] {{1, 2}, {2, 3}}));
    two.addAll(rows(2, new double[][] {{3, 4}}));
    CrlsmConfig shared =
        CrlsmConfig.paper()
            .withParameterisation(CrlsmConfig.Parameterisation.EQ2)
            .withBounds(-10, 10, -10, 10);
    ConsensusSolution s = stream(shared, two);
    double det = (14 + LAMBDA) * (3 + LAMBDA) - 36;
    assertThat(s.k()).isCloseTo((20 * (3 + LAMBDA) - 54) / det, within(1e-12));
    assertThat(s.gammaOf(1)).isEqualTo(s.gammaOf(2));
    assertThat(s.gammaOf(2)).isCloseTo(((14 + LAMBDA) * 9 - 120) / det, within(1e-12));
  }

  @Test
  void noRowsGivesTheRegulariserOptimum() {
    ConsensusSolution s = new StreamingCrlsm(CrlsmConfig.paper()).solve();
    assertThat(s.k()).isEqualTo(0.001);
    assertThat(s.gamma()).isEmpty();
    assertThat(s.rowsUsed()).isZero();
    assertThat(s.residualVariance()).isNaN();
  }

  @Test
  void forgettingWeightsOldRowsByRhoPerFrame() {
    // Eq. 1 with γ pinned to 0 by its bounds, wide k bounds: k = Σ w φ z / (Σ w φ² + λ) with
    // w = ρ^(F − f).
    CrlsmConfig c =
        CrlsmConfig.paper().withSingleCell(7).withBounds(-10, 10, 0, 0).withForgetting(0.5);
    StreamingCrlsm s = new StreamingCrlsm(c);
    s.update(1, List.of(new RegressionRow(7, 1, 1, 1, 1)));
    s.update(2, List.of());
    s.update(3, List.of(new RegressionRow(7, 3, 2, 1, 1)));
    // weights 0.25 and 1: k = (0.25·1 + 1·2) / (0.25·1 + 1·4 + λ)
    assertThat(s.solve().k()).isCloseTo(2.25 / (4.25 + LAMBDA), within(1e-12));
    assertThat(s.solve().effectiveRows()).isCloseTo(1.25, within(1e-15));
  }

  @Test
  void aParameterAtABoundHasNoStandardErrorInEverySetup() {
    // rows that push k and every γ up (z ≈ φ + 1) or down (z ≈ −φ − 1) past the paper's bounds
    List<RegressionRow> up = rows(1, new double[][] {{1, 2}, {2, 3.1}, {3, 3.9}, {4, 5.2}});
    List<RegressionRow> down = rows(1, new double[][] {{1, -2}, {2, -3.1}, {3, -3.9}, {4, -5.2}});
    CrlsmConfig paper = CrlsmConfig.paper();
    for (CrlsmConfig c :
        List.of(
            paper,
            paper.withParameterisation(CrlsmConfig.Parameterisation.EQ2),
            paper.withSingleCell(1))) {
      CrlsmConfig.Parameterisation setup = c.parameterisation();
      ConsensusSolution hi = stream(c, up);
      ConsensusSolution lo = stream(c, down);
      assertThat(hi.k()).as("%s up", setup).isEqualTo(c.kMax());
      assertThat(lo.k()).as("%s down", setup).isEqualTo(c.kMin());
      for (ConsensusSolution s : List.of(hi, lo)) {
        assertThat(s.kAtBound()).isTrue();
        assertThat(s.kStandardError()).as("%s", setup).isNaN();
        assertThat(s.residualVariance()).isPositive();
        assertThat(s.gammaStandardError().get(1L)).as("%s", setup).isNaN();
        assertThat(s.kStandardErrorAbsentReason())
            .isEqualTo(s == hi ? "k_at_upper_bound" : "k_at_lower_bound");
      }
      assertThat(hi.gammaOf(1)).isEqualTo(c.gammaMax());
      assertThat(lo.gammaOf(1)).isEqualTo(c.gammaMin());
    }
  }

  @Test
  void theFitReportsItsFramesRowsAndMeanTimeStep() {
    CrlsmConfig c = CrlsmConfig.paper();
    List<RegressionRow> first =
        List.of(new RegressionRow(1, 4, 1, 1, 2.0), new RegressionRow(2, 4, 1, 1, 2.0));
    List<RegressionRow> third = List.of(new RegressionRow(1, 6, 2, 1, 0.5));
    StreamingCrlsm s = new StreamingCrlsm(c);
    assertThat(s.config()).isSameAs(c);
    s.update(4, first);
    s.update(5, List.of());
    s.update(6, third);
    assertThat(s.currentFrame()).isEqualTo(6);
    assertThat(s.statistics()).containsOnlyKeys(1L, 2L);
    assertThat(s.statistics().get(1L).rows()).isEqualTo(2);
    assertThat(s.statistics().get(1L).frame()).isEqualTo(6);
    ConsensusSolution sol = s.solve();
    assertThat(sol.rowsUsed()).isEqualTo(3);
    assertThat(sol.framesUsed()).as("frames with rows").isEqualTo(2);
    assertThat(sol.meanDtSeconds()).isCloseTo(4.5 / 3, within(1e-15));
    List<RegressionRow> all = new java.util.ArrayList<>(first);
    all.addAll(third);
    assertThat(BatchCrlsmSolver.solve(all, c).meanDtSeconds()).isCloseTo(4.5 / 3, within(1e-15));
    assertThat(new StreamingCrlsm(c).solve().meanDtSeconds()).isNaN();
  }

  @Test
  void configurationsOutsideTheirDomainAreRejectedAndTheEdgesAccepted() {
    CrlsmConfig p = CrlsmConfig.paper();
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> p.withLambda(0));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> p.withForgetting(0));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> p.withBounds(0.1, 0.05, 0, 1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> p.withBounds(0, 1, 0.1, 0.05));
    assertThat(p.withBounds(0.05, 0.05, 0.01, 0.01).kMin()).isEqualTo(0.05);
    assertThat(p.withForgetting(1.0).forgetting()).isEqualTo(1.0);
    CellRls.Config d = CellRls.Config.defaults();
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> d.withForgetting(0));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new CellRls.Config(1, 0, 0, 0, 1, 1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new CellRls.Config(1, 0, 0, 1, 0, 1));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new CellRls.Config(1, 0, 0, 1, 1, 0.99));
    assertThat(new CellRls.Config(1, 0, 0, 1, 1, 1).daughterInflation()).isEqualTo(1);
  }
}
