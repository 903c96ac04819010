package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellRlsTest {

  static List<RegressionRow> rows(long seed, int count, double k, double gamma, double noise) {
    Random rnd = new Random(seed);
    List<RegressionRow> out = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      double phi = 5 + 20 * rnd.nextGaussian();
      out.add(new RegressionRow(9, t, phi, k * phi + gamma + noise * rnd.nextGaussian(), 1));
    }
    return out;
  }

  /**
   * Batch weighted least squares with the same prior: M = Σ ρ^(t−s) x xᵀ + ρ^t P0⁻¹, θ = M⁻¹ (Σ
   * ρ^(t−s) x z + ρ^t P0⁻¹ θ0), P = M⁻¹, J = Σ ρ^(t−s) (z − xᵀθ)² + ρ^t (θ−θ0)ᵀ P0⁻¹ (θ−θ0).
   */
  static double[] batch(List<RegressionRow> rows, CellRls.Config c) {
    int t = rows.size();
    double rho = c.forgetting();
    double decay = Math.pow(rho, t);
    DMatrixRMaj m = new DMatrixRMaj(2, 2);
    DMatrixRMaj b = new DMatrixRMaj(2, 1);
    m.set(0, 0, decay / c.priorVarianceK());
    m.set(1, 1, decay / c.priorVarianceGamma());
    b.set(0, 0, decay * c.priorK() / c.priorVarianceK());
    b.set(1, 0, decay * c.priorGamma() / c.priorVarianceGamma());
    for (int s = 0; s < t; s++) {
      RegressionRow r = rows.get(s);
      double w = Math.pow(rho, t - 1 - s);
      double[] x = {r.phi(), 1};
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          m.add(i, j, w * x[i] * x[j]);
        }
        b.add(i, 0, w * x[i] * r.z());
      }
    }
    DMatrixRMaj p = new DMatrixRMaj(2, 2);
    CommonOps_DDRM.invert(m, p);
    DMatrixRMaj theta = new DMatrixRMaj(2, 1);
    CommonOps_DDRM.mult(p, b, theta);
    double j = 0;
    for (int s = 0; s < t; s++) {
      RegressionRow r = rows.get(s);
      double e = r.z() - r.phi() * theta.get(0) - theta.get(1);
      j += Math.pow(rho, t - 1 - s) * e * e;
    }
    double dk = theta.get(0) - c.priorK();
    double dg = theta.get(1) - c.priorGamma();
    j += decay * (dk * dk / c.priorVarianceK() + dg * dg / c.priorVarianceGamma());
    return new double[] {theta.get(0), theta.get(1), p.get(0, 0), p.get(0, 1), p.get(1, 1), j};
  }

  @ParameterizedTest
  @CsvSource({"1.0, 10000", "0.97, 10000", "1.0, 0.5", "0.9, 0.01"})
  void recursionEqualsBatchLeastSquaresWithThePrior(double rho, double prior) {
    CellRls.Config c = new CellRls.Config(rho, 0.01, 0.002, prior, prior, 100);
    List<RegressionRow> rows = rows(5, 150, 0.02, 0.01, 0.05);
    CellRls rls = new CellRls(9, c);
    for (int t = 0; t < rows.size(); t++) {
      rls.update(rows.get(t));
      double[] ref = batch(rows.subList(0, t + 1), c);
      CellRls.State s = rls.snapshot();
      assertThat(s.k()).isCloseTo(ref[0], within(1e-8 * Math.abs(ref[0]) + 1e-12));
      assertThat(s.gamma()).isCloseTo(ref[1], within(1e-8 * Math.abs(ref[1]) + 1e-12));
      assertThat(s.pKK()).isCloseTo(ref[2], within(1e-7 * Math.abs(ref[2])));
      assertThat(s.pKGamma()).isCloseTo(ref[3], within(1e-7 * Math.abs(ref[3]) + 1e-15));
      assertThat(s.pGammaGamma()).isCloseTo(ref[4], within(1e-7 * Math.abs(ref[4])));
      assertThat(s.weightedRss()).isCloseTo(ref[5], within(1e-6 * ref[5] + 1e-14));
      assertThat(rls.rows()).isEqualTo(t + 1);
      if (t + 1 < rows.size()) {
        // the next row's predicted variance σ̂² (1 + xᵀPx/ρ), σ̂² = J / (n − 2), n = Σ ρ^(t−s)
        RegressionRow next = rows.get(t + 1);
        double n = rho == 1.0 ? t + 1 : (1 - Math.pow(rho, t + 1)) / (1 - rho);
        double xPx = next.phi() * next.phi() * ref[2] + 2 * next.phi() * ref[3] + ref[4];
        Innovation in = rls.innovate(next);
        if (n > 3) {
          double var = ref[5] / (n - 2) * (1 + xPx / rho);
          assertThat(in.predictedVariance()).isCloseTo(var, within(1e-6 * var));
          assertThat(in.normalised())
              .isCloseTo(in.error() / Math.sqrt(var), within(1e-6 * Math.abs(in.normalised())));
        } else {
          assertThat(in.predictedVariance()).as("σ̂² unknown from %s rows", n).isNaN();
        }
      }
    }
  }

  @Test
  void inflateScalesTheCovarianceKeepsTheEstimateAndStopsAtThePrior() {
    CellRls rls = new CellRls(9, CellRls.Config.defaults());
    for (RegressionRow r : rows(4, 60, 0.02, 0.01, 0.05)) {
      rls.update(r);
    }
    CellRls.State before = rls.snapshot();
    assertThat(before.pKGamma()).isNotZero();
    rls.inflate(100);
    CellRls.State after = rls.snapshot();
    assertThat(after.k()).isEqualTo(before.k());
    assertThat(after.gamma()).isEqualTo(before.gamma());
    assertThat(after.pKK()).isCloseTo(100 * before.pKK(), within(1e-12 * after.pKK()));
    assertThat(after.pGammaGamma())
        .isCloseTo(100 * before.pGammaGamma(), within(1e-12 * after.pGammaGamma()));
    assertThat(after.pKGamma())
        .isCloseTo(100 * before.pKGamma(), within(1e-12 * Math.abs(after.pKGamma())));
    rls.inflate(1e30);
    assertThat(rls.snapshot().pKK()).isEqualTo(CellRls.Config.defaults().priorVarianceK());
    assertThat(rls.snapshot().pGammaGamma())
        .isEqualTo(CellRls.Config.defaults().priorVarianceGamma());
    // the correlation survives the cap: p12 = corr · √(p11 p22)
    double corr = before.pKGamma() / Math.sqrt(before.pKK() * before.pGammaGamma());
    assertThat(rls.snapshot().pKGamma()).isCloseTo(corr * 1e4, within(1e-9 * 1e4));
  }

  @Test
  void noiseVarianceNeedsMoreThanThreeEffectiveRows() {
    CellRls rls = new CellRls(9, CellRls.Config.defaults().withForgetting(1.0));
    List<RegressionRow> rows = rows(2, 4, 0.02, 0.01, 0.05);
    for (int t = 0; t < 3; t++) {
      rls.update(rows.get(t));
    }
    assertThat(rls.noiseVariance()).isNaN();
    rls.update(rows.get(3));
    assertThat(rls.noiseVariance())
        .isCloseTo(rls.snapshot().weightedRss() / 2, within(1e-15))
        .isPositive();
  }

  @Test
  void innovateDoesNotChangeTheFilterAndSnapshotsRestore() {
    List<RegressionRow> rows = rows(6, 50, 0.02, 0.01, 0.05);
    CellRls a = new CellRls(9, CellRls.Config.defaults());
    CellRls b = new CellRls(9, CellRls.Config.defaults());
    for (RegressionRow r : rows) {
      CellRls.State before = a.snapshot();
      Innovation spike = a.innovate(new RegressionRow(9, r.frameIndex(), r.phi(), 100, 1));
      assertThat(a.snapshot()).isEqualTo(before);
      assertThat(Math.abs(spike.error())).isGreaterThan(50);
      Innovation ia = a.update(r);
      b = CellRls.restore(b.snapshot(), CellRls.Config.defaults());
      assertThat(b.update(r)).isEqualTo(ia);
    }
    assertThat(a.snapshot()).isEqualTo(b.snapshot());
  }

  @Test
  void normalisedInnovationsHaveUnitVarianceOnTheExactModel() {
    CellRls rls = new CellRls(9, CellRls.Config.defaults());
    double sum2 = 0;
    int count = 0;
    for (RegressionRow r : rows(7, 5000, 0.02, 0.01, 0.05)) {
      Innovation in = rls.update(r);
      if (in.rowsBefore() >= 30) {
        sum2 += in.normalised() * in.normalised();
        count++;
      }
    }
    assertThat(sum2 / count).isBetween(0.93, 1.07);
  }

  /**
   * With forgetting ρ the filter weighs row t−s by ρ^s, so in steady state Cov(θ̂) = σ² (1 − ρ) /
   * (1 + ρ) · E[x xᵀ]⁻¹ (Σ w² / (Σ w)² = (1 − ρ)/(1 + ρ)). For the rows here (φ ~ N(5, 20²), σ =
   * 0.05) and ρ = 0.995 that is sd(k̂) = 1.25e−4 and sd(γ̂) = 0.05·√(0.0025·425/400) = 2.58e−3: a
   * single run cannot place γ = 0.01 closer than about ±0.01 (4 sd). Over 200 independent runs the
   * estimates must be unbiased to 4 sd / √200 (γ: ±7.3e−4, so a filter that learnt γ = 0, or half
   * of it, fails) and their spread must be that precision (±20 %), neither better nor worse.
   */
  @Test
  void estimatesAreUnbiasedWithThePrecisionTheForgettingAllows() {
    int reps = 200;
    double rho = CellRls.Config.defaults().forgetting();
    double[] ks = new double[reps];
    double[] gs = new double[reps];
    for (int r = 0; r < reps; r++) {
      CellRls rls = new CellRls(9, CellRls.Config.defaults());
      for (RegressionRow row : rows(1000 + r, 2000, 0.02, 0.01, 0.05)) {
        rls.update(row);
      }
      ks[r] = rls.k();
      gs[r] = rls.gamma();
    }
    double shrink = (1 - rho) / (1 + rho);
    double sdK = 0.05 * Math.sqrt(shrink / 400);
    double sdGamma = 0.05 * Math.sqrt(shrink * 425 / 400);
    assertThat(mean(ks)).isCloseTo(0.02, within(4 * sdK / Math.sqrt(reps)));
    assertThat(mean(gs)).isCloseTo(0.01, within(4 * sdGamma / Math.sqrt(reps)));
    assertThat(sd(ks) / sdK).isBetween(0.8, 1.2);
    assertThat(sd(gs) / sdGamma).isBetween(0.8, 1.2);
  }

  @Test
  void withoutForgettingOneRunPinsTheParametersToTheLeastSquaresPrecision() {
    // ρ = 1 over 5 000 rows: sd(k̂) = 0.05/√(5000·400) = 3.5e−5, sd(γ̂) = 0.05·√(425/400/5000)
    // = 7.3e−4; 4 sd each
    CellRls rls = new CellRls(9, CellRls.Config.defaults().withForgetting(1.0));
    for (RegressionRow r : rows(7, 5000, 0.02, 0.01, 0.05)) {
      rls.update(r);
    }
    assertThat(rls.k()).isCloseTo(0.02, within(1.4e-4));
    assertThat(rls.gamma()).isCloseTo(0.01, within(2.9e-3));
  }

  static double mean(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x / v.length;
    }
    return m;
  }

  @Test
  void standardErrorsMatchTheSpreadOfEstimates() {
    int reps = 300;
    double[] ks = new double[reps];
    double[] gs = new double[reps];
    double seK = 0;
    double seG = 0;
    for (int r = 0; r < reps; r++) {
      CellRls rls = new CellRls(9, CellRls.Config.defaults().withForgetting(1.0));
      for (RegressionRow row : rows(100 + r, 200, 0.02, 0.01, 0.05)) {
        rls.update(row);
      }
      ks[r] = rls.k();
      gs[r] = rls.gamma();
      seK += rls.kStandardError() / reps;
      seG += rls.gammaStandardError() / reps;
    }
    assertThat(sd(ks) / seK).isBetween(0.85, 1.15);
    assertThat(sd(gs) / seG).isBetween(0.85, 1.15);
  }

  static double sd(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x / v.length;
    }
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  @Test
  void daughterStartsFromItsParentAndLearnsItsOwnParameters() {
    CellRls parent = new CellRls(9, CellRls.Config.defaults());
    for (RegressionRow r : rows(8, 300, 0.02, 0.01, 0.05)) {
      parent.update(r);
    }
    CellRls d = CellRls.daughterOf(10, parent.snapshot(), CellRls.Config.defaults());
    assertThat(d.k()).isEqualTo(parent.k());
    assertThat(d.gamma()).isEqualTo(parent.gamma());
    assertThat(d.rows()).isZero();
    assertThat(d.trackId()).isEqualTo(10);
    assertThat(d.snapshot().pKK()).isCloseTo(100 * parent.snapshot().pKK(), within(1e-18));
    assertThat(d.snapshot().pGammaGamma())
        .isCloseTo(
            100 * parent.snapshot().pGammaGamma(), within(1e-12 * d.snapshot().pGammaGamma()));
    // the parent's correlation is kept: p12 scales like the variances
    assertThat(d.snapshot().pKGamma())
        .isCloseTo(
            100 * parent.snapshot().pKGamma(), within(1e-12 * Math.abs(d.snapshot().pKGamma())))
        .isNotZero();
    // a vague parent: the daughter's variances stop at the prior
    CellRls young = new CellRls(11, CellRls.Config.defaults());
    young.update(rows(3, 1, 0.02, 0.01, 0.05).get(0));
    CellRls.State y =
        CellRls.daughterOf(12, young.snapshot(), CellRls.Config.defaults()).snapshot();
    assertThat(y.pKK()).isEqualTo(CellRls.Config.defaults().priorVarianceK());
    assertThat(y.pGammaGamma()).isEqualTo(CellRls.Config.defaults().priorVarianceGamma());
    for (RegressionRow r : rows(9, 100, 0.03, 0.05, 0.05)) {
      d.update(r);
    }
    assertThat(d.k()).isCloseTo(0.03, within(0.002));
    assertThat(d.gamma()).isCloseTo(0.05, within(0.01));
  }
}
