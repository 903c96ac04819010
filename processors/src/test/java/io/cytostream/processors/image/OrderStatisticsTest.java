package io.cytostream.processors.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderStatisticsTest {
  @Test
  void everyRankOfSmallArraysEqualsTheSortedValue() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 400; trial++) {
      int n = 1 + rnd.nextInt(40);
      float[] a = new float[n];
      int distinct = 1 + rnd.nextInt(6); // many ties
      for (int i = 0; i < n; i++) {
        a[i] = trial % 3 == 0 ? rnd.nextInt(distinct) : (float) rnd.nextGaussian();
      }
      float[] sorted = a.clone();
      Arrays.sort(sorted);
      for (int k = 0; k < n; k++) {
        float[] b = a.clone();
        assertThat(OrderStatistics.select(b, n, k))
            .as("trial %d, n %d, k %d", trial, n, k)
            .isEqualTo(sorted[k]);
        for (int i = 0; i < k; i++) {
          assertThat(b[i]).isLessThanOrEqualTo(b[k]);
        }
        for (int i = k + 1; i < n; i++) {
          assertThat(b[i]).isGreaterThanOrEqualTo(b[k]);
        }
        float[] reordered = b.clone();
        Arrays.sort(reordered);
        assertThat(reordered).as("a permutation of the input").containsExactly(sorted);
      }
    }
  }

  @Test
  void mediansOfLargeSortedReversedAndConstantArrays() {
    int n = 65_536;
    float[] up = new float[n];
    float[] down = new float[n];
    float[] same = new float[n];
    Random rnd = new Random(3);
    float[] noise = new float[n];
    for (int i = 0; i < n; i++) {
      up[i] = i;
      down[i] = n - i;
      same[i] = 7;
      noise[i] = (float) rnd.nextGaussian();
    }
    assertThat(OrderStatistics.select(up, n, n / 2)).isEqualTo(n / 2f);
    assertThat(OrderStatistics.select(down, n, n / 2)).isEqualTo(n / 2f + 1); // values 1..n
    assertThat(OrderStatistics.select(same, n, n / 2)).isEqualTo(7f);
    float[] sorted = noise.clone();
    Arrays.sort(sorted);
    assertThat(OrderStatistics.select(noise, n, n / 2)).isEqualTo(sorted[n / 2]);
  }

  @Test
  void onlyTheFirstNValuesCount() {
    float[] a = {5, 1, 4, -100, -100};
    assertThat(OrderStatistics.select(a, 3, 1)).isEqualTo(4f);
    assertThat(a[3]).isEqualTo(-100f);
  }

  @Test
  void refusesARankOutsideTheValues() {
    assertThatThrownBy(() -> OrderStatistics.select(new float[3], 3, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OrderStatistics.select(new float[3], 4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void radixSelectionEqualsTheSortedValueAndLeavesTheArray() {
    Random rnd = new Random(13);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + rnd.nextInt(trial % 10 == 0 ? 3000 : 60);
      float[] a = new float[n];
      int distinct = 1 + rnd.nextInt(6);
      for (int i = 0; i < n; i++) {
        a[i] =
            switch (trial % 4) {
              case 0 -> rnd.nextInt(distinct) - 2; // ties, both signs, zeros
              case 1 -> (float) rnd.nextGaussian() * 1e-3f; // one exponent range
              case 2 -> (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10));
              default -> rnd.nextFloat();
            };
      }
      if (trial % 7 == 0 && n > 1) {
        a[0] = Float.NEGATIVE_INFINITY;
        a[n - 1] = Float.POSITIVE_INFINITY;
      }
      float[] before = a.clone();
      float[] sorted = a.clone();
      Arrays.sort(sorted);
      for (int k = 0; k < n; k += Math.max(1, n / 50)) {
        assertThat(OrderStatistics.selectRadix(a, n, k))
            .as("trial %d, n %d, k %d", trial, n, k)
            .isEqualTo(sorted[k] + 0.0f);
      }
      assertThat(a).isEqualTo(before);
    }
    assertThat(Float.floatToRawIntBits(OrderStatistics.selectRadix(new float[] {-0.0f}, 1, 0)))
        .isZero();
    assertThatThrownBy(() -> OrderStatistics.selectRadix(new float[3], 4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
