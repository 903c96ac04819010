package io.cytostream.processors.denoise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.FloatImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntensityNormalizerTest {
  static FloatImage frame(Random rnd, double mean, double sd, int w, int h) {
    float[] d = new float[w * h];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.max(0, mean + sd * rnd.nextGaussian());
    }
    return new FloatImage(w, h, d);
  }

  /** Exact quantile of sorted values (linear interpolation between order statistics). */
  static double quantile(float[] v, double p) {
    float[] s = v.clone();
    Arrays.sort(s);
    double pos = p * (s.length - 1);
    int i = (int) pos;
    return s[i] + (pos - i) * (s[Math.min(i + 1, s.length - 1)] - s[i]);
  }

  @Test
  void quartilesMatchSortedReferenceWithinABin() {
    IntensityNormalizer n = IntensityNormalizer.defaults();
    Random rnd = new Random(11);
    FloatImage v = IntensityNormalizer.logPlane(frame(rnd, 1000, 300, 97, 53));
    NormalizerState s = n.update(n.initial(), v);
    double bin = 16.0 / 4096;
    assertThat(s.q1()).isCloseTo(quantile(v.data(), 0.25), within(2 * bin));
    assertThat(s.q3()).isCloseTo(quantile(v.data(), 0.75), within(2 * bin));
    double iqr = s.q3() - s.q1();
    assertThat(s.lo()).isCloseTo(s.q1() - 2 * iqr, within(1e-12));
    assertThat(s.hi()).isCloseTo(s.q3() + 2 * iqr, within(1e-12));
    assertThat(s.frozen()).isFalse();
    // q1 maps to 2/5, q3 to 3/5
    float[] two = {(float) Math.expm1(s.q1()), (float) Math.expm1(s.q3())};
    float[] out = n.apply(s, new FloatImage(2, 1, two)).data();
    assertThat((double) out[0]).isCloseTo(0.4, within(1e-4));
    assertThat((double) out[1]).isCloseTo(0.6, within(1e-4));
  }

  @Test
  void settlesAfterTheWindowThenHoldsStill() {
    IntensityNormalizer n = new IntensityNormalizer(5, 4096, 0, 16, 0);
    Random rnd = new Random(12);
    NormalizerState s = n.initial();
    assertThatThrownBy(() -> n.apply(n.initial(), frame(rnd, 10, 1, 4, 4)))
        .isInstanceOf(IllegalStateException.class);
    for (int t = 0; t < 5; t++) {
      s = n.update(s, IntensityNormalizer.logPlane(frame(rnd, 1000, 100, 64, 64)));
      assertThat(s.frozen()).isEqualTo(t == 4);
      assertThat(s.frames()).isEqualTo(t + 1);
    }
    NormalizerState settled = s;
    // a much brighter frame afterwards changes nothing
    NormalizerState after = n.update(s, IntensityNormalizer.logPlane(frame(rnd, 5000, 10, 64, 64)));
    assertThat(after).isSameAs(settled);
    assertThat(settled.q1()).isCloseTo(Math.log1p(1000 - 0.674 * 100), within(0.01));
    assertThat(settled.q3()).isCloseTo(Math.log1p(1000 + 0.674 * 100), within(0.01));
  }

  @Test
  void calibrationPoolsFramesAndEmaMovesSlowly() {
    IntensityNormalizer n = new IntensityNormalizer(2, 4096, 0, 16, 0.1);
    Random rnd = new Random(13);
    NormalizerState s =
        n.update(n.initial(), IntensityNormalizer.logPlane(frame(rnd, 100, 1, 50, 50)));
    double q1First = s.q1();
    s = n.update(s, IntensityNormalizer.logPlane(frame(rnd, 10000, 1, 50, 50)));
    // pooled over two equal frames: q1 in the dark frame, q3 in the bright one
    assertThat(s.q1()).isCloseTo(Math.log1p(100), within(0.02));
    assertThat(s.q3()).isCloseTo(Math.log1p(10000), within(0.02));
    assertThat(q1First).isCloseTo(Math.log1p(100 - 0.674), within(0.01));
    assertThat(s.frozen()).isTrue();
    double before = s.q1();
    FloatImage bright = IntensityNormalizer.logPlane(frame(rnd, 10000, 1, 50, 50));
    NormalizerState moved = n.update(s, bright);
    double frameQ1 = Math.log1p(10000 - 0.674);
    assertThat(moved.q1()).isCloseTo(0.9 * before + 0.1 * frameQ1, within(0.01));
    assertThat(moved.frozen()).isTrue();
  }

  @Test
  void constantPlaneStaysFinite() {
    IntensityNormalizer n = IntensityNormalizer.defaults();
    float[] c = new float[100];
    Arrays.fill(c, 42f);
    IntensityNormalizer.Step st = n.step(n.initial(), new FloatImage(10, 10, c));
    for (float f : st.normalized().data()) {
      assertThat(Float.isFinite(f)).isTrue();
    }
  }
}
