package io.cytostream.processors.denoise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cytostream.processors.image.FloatImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The normaliser state and the frame quality survive a plain Jackson round trip (state stores). */
class NormalizerStateJsonTest {
  @Test
  void roundTrips() throws Exception {
    ObjectMapper om = new ObjectMapper();
    IntensityNormalizer n = new IntensityNormalizer(3, 64, 0, 16, 0);
    Random rnd = new Random(1);
    float[] d = new float[400];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (500 + 50 * rnd.nextGaussian());
    }
    NormalizerState s =
        n.update(n.initial(), IntensityNormalizer.logPlane(new FloatImage(20, 20, d)));
    String json = om.writeValueAsString(s);
    NormalizerState back = om.readValue(json, NormalizerState.class);
    assertThat(back).isEqualTo(s);
    assertThat(json).doesNotContain("hasScale");
    RawFrameAssessment q = new RawFrameAssessment(3, 1, 0.25, 10.5, 1, 65535, 2.5, 20, 0.01, 4);
    assertThat(om.readValue(om.writeValueAsString(q), RawFrameAssessment.class)).isEqualTo(q);
  }
}
