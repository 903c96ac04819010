package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngTest {

  @Test
  void streamsAreReproducibleAndDistinct() {
    assertThat(Rng.of(1, 2, 3).nextLong()).isEqualTo(Rng.of(1, 2, 3).nextLong());
    assertThat(Rng.of(1, 2, 3).nextLong()).isNotEqualTo(Rng.of(1, 2, 4).nextLong());
    assertThat(Rng.of(1, 2, 3).nextLong()).isNotEqualTo(Rng.of(1, 3, 3).nextLong());
  }

  @Test
  void gaussianHasUnitMomentsAndNormalTails() {
    Rng r = new Rng(42);
    int n = 1_000_000;
    double s = 0;
    double s2 = 0;
    int beyond3 = 0;
    for (int i = 0; i < n; i++) {
      double g = r.gaussian();
      s += g;
      s2 += g * g;
      if (Math.abs(g) > 3) {
        beyond3++;
      }
    }
    assertThat(s / n).isCloseTo(0, within(0.005));
    assertThat(s2 / n).isCloseTo(1, within(0.005));
    // P(|Z| > 3) = 0.0026998
    assertThat(beyond3 / (double) n).isCloseTo(0.0027, within(0.0003));
  }

  @Test
  void poissonSamplersHaveMeanEqualToVariance() {
    for (double mu : new double[] {0.3, 4.5, 10.0, 50.0, 364.0, 20_000.0}) {
      Rng r = new Rng(7);
      PoissonTable table = PoissonTable.of(mu);
      int n = 200_000;
      double[] sum = new double[2];
      double[] sum2 = new double[2];
      for (int i = 0; i < n; i++) {
        double a = r.poisson(mu);
        double b = table.sample(r.nextDouble());
        sum[0] += a;
        sum2[0] += a * a;
        sum[1] += b;
        sum2[1] += b * b;
      }
      for (int k = 0; k < 2; k++) {
        double mean = sum[k] / n;
        double var = sum2[k] / n - mean * mean;
        assertThat(mean)
            .as("mean, mu=%s, sampler %d", mu, k)
            .isCloseTo(mu, within(5 * Math.sqrt(mu / n)));
        assertThat(var).as("variance, mu=%s, sampler %d", mu, k).isCloseTo(mu, within(0.03 * mu));
      }
    }
    assertThat(PoissonTable.of(0).sample(0.999)).isZero();
  }

  @Test
  void logGammaMatchesKnownValues() {
    assertThat(Rng.logGamma(1)).isZero();
    assertThat(Rng.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    assertThat(Rng.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-12));
    assertThat(Rng.logGamma(101)).isCloseTo(363.73937555556347, within(1e-9));
  }
}
