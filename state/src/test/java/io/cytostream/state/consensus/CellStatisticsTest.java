package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sufficient statistics against the rows they summarise, with and without forgetting. */
class CellStatisticsTest {

  static List<RegressionRow> rows(long seed) {
    Random rnd = new Random(seed);
    List<RegressionRow> out = new ArrayList<>();
    for (int f = 2; f < 40; f += 1 + rnd.nextInt(3)) {
      double phi = 3 + 10 * rnd.nextGaussian();
      out.add(new RegressionRow(4, f, phi, 0.02 * phi + 0.01 + 0.3 * rnd.nextGaussian(), 1));
    }
    return out;
  }

  /** Σ ρ^(frame − f_r) (φ_r k + γ − z_r)², summed row by row. */
  static double directRss(List<RegressionRow> rows, double rho, long frame, double k, double g) {
    double sum = 0;
    for (RegressionRow r : rows) {
      double e = r.phi() * k + g - r.z();
      sum += Math.pow(rho, frame - r.frameIndex()) * e * e;
    }
    return sum;
  }

  @Test
  void residualSumOfSquaresIsTheWeightedSumOverTheRows() {
    for (double rho : new double[] {1.0, 0.9}) {
      List<RegressionRow> rows = rows(3);
      CellStatistics s = CellStatistics.empty(4, 0);
      for (RegressionRow r : rows) {
        s = s.plus(r, rho);
      }
      assertThat(s.rows()).isEqualTo(rows.size());
      long last = rows.get(rows.size() - 1).frameIndex();
      assertThat(s.frame()).isEqualTo(last);
      for (double[] kg : new double[][] {{0, 0}, {0.02, 0.01}, {-0.3, 2}, {0.1, -0.05}}) {
        double direct = directRss(rows, rho, last, kg[0], kg[1]);
        assertThat(s.residualSumOfSquares(kg[0], kg[1]))
            .as("ρ = %s, k = %s, γ = %s", rho, kg[0], kg[1])
            .isCloseTo(direct, within(1e-9 * direct));
        // decayed to a later frame: every weight takes ρ^5 more
        double later = directRss(rows, rho, last + 5, kg[0], kg[1]);
        assertThat(s.decayedTo(last + 5, rho).residualSumOfSquares(kg[0], kg[1]))
            .isCloseTo(later, within(1e-9 * later));
      }
    }
  }

  @Test
  void theStreamingFitsResidualVarianceIsTheRssOfItsSolution() {
    // eq. 3, wide bounds so that every parameter is free: σ² = RSS / (N − (1 + G))
    CrlsmConfig c = CrlsmConfig.paper().withBounds(-10, 10, -10, 10);
    List<RegressionRow> all = new ArrayList<>();
    for (long cell = 1; cell <= 3; cell++) {
      for (RegressionRow r : rows(10 + cell)) {
        all.add(new RegressionRow(cell, r.frameIndex(), r.phi(), r.z() + 0.1 * cell, 1));
      }
    }
    all.sort((a, b) -> Long.compare(a.frameIndex(), b.frameIndex()));
    StreamingCrlsm s = new StreamingCrlsm(c);
    s.update(all.get(all.size() - 1).frameIndex(), all);
    ConsensusSolution sol = s.solve();
    double rss = 0;
    for (RegressionRow r : all) {
      double e = sol.k() * r.phi() + sol.gammaOf(r.trackId()) - r.z();
      rss += e * e;
    }
    assertThat(sol.residualVariance()).isCloseTo(rss / (all.size() - 4), within(1e-9 * rss));
    // eq. 2 (k and the shared γ free) and eq. 1 (k and the one cell's γ free, its rows only)
    for (CrlsmConfig e :
        new CrlsmConfig[] {
          c.withParameterisation(CrlsmConfig.Parameterisation.EQ2), c.withSingleCell(2)
        }) {
      StreamingCrlsm t = new StreamingCrlsm(e);
      t.update(all.get(all.size() - 1).frameIndex(), all);
      ConsensusSolution u = t.solve();
      double r2 = 0;
      long n = 0;
      for (RegressionRow r : all) {
        if (e.fits(r.trackId())) {
          double err = u.k() * r.phi() + u.gammaOf(r.trackId()) - r.z();
          r2 += err * err;
          n++;
        }
      }
      assertThat(u.residualVariance())
          .as("%s", e.parameterisation())
          .isCloseTo(r2 / (n - 2), within(1e-9 * r2));
    }
  }
}
