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
    }
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
    assertThat(rls.k()).isCloseTo(0.02, within(0.001));
    assertThat(rls.gamma()).isCloseTo(0.01, within(0.01));
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
    assertThat(d.snapshot().pKK()).isCloseTo(100 * parent.snapshot().pKK(), within(1e-18));
    for (RegressionRow r : rows(9, 100, 0.03, 0.05, 0.05)) {
      d.update(r);
    }
    assertThat(d.k()).isCloseTo(0.03, within(0.002));
    assertThat(d.gamma()).isCloseTo(0.05, within(0.01));
  }
}
