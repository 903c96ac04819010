package io.cytostream.processors.denoise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HotPixelDetectorTest {

  @Test
  void aThinDarkLineBetweenBrightCellsIsNotHot() {
    int w = 40;
    int h = 40;
    short[] img = new short[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img[y * w + x] = (short) (x == 20 ? 100 : 800); // a 1 px dark line between two cells
      }
    }
    img[10 * w + 5] = (short) 4000;
    RawFrameAssessment q =
        HotPixelDetector.defaults().assess(PlaneDecoder.fromUint16(img), w, h, PixelType.UINT16);
    assertThat(q.hotPixels()).isEqualTo(1);
  }

  @Test
  void countsInjectedHotAndSaturatedPixels() {
    int w = 128;
    int h = 96;
    Random rnd = new Random(21);
    short[] img = new short[w * h];
    for (int i = 0; i < img.length; i++) {
      img[i] = (short) (1000 + Math.round(20 * rnd.nextGaussian()));
    }
    int[] hot = {5 * w + 5, 50 * w + 60, 90 * w + 120};
    for (int p : hot) {
      img[p] = (short) 5000;
    }
    img[30 * w + 30] = (short) 65535; // hot at the maximum: hot, not a saturated region
    for (int y = 60; y < 63; y++) {
      for (int x = 60; x < 63; x++) {
        img[y * w + x] = (short) 65535; // a clipped 3x3 region: saturated, not hot
      }
    }
    img[70 * w + 10] = (short) 0; // a dead pixel is not hot
    RawFrameAssessment q =
        HotPixelDetector.defaults().assess(PlaneDecoder.fromUint16(img), w, h, PixelType.UINT16);
    assertThat(q.hotPixels()).isEqualTo(4);
    assertThat(q.saturatedPixels()).isEqualTo(9);
    assertThat(q.saturatedFraction()).isCloseTo(9.0 / (w * h), within(1e-12));
    assertThat(q.maxRaw()).isEqualTo(65535);
    assertThat(q.minRaw()).isEqualTo(0);
    // the residual of a 3x3 median on N(0, 20) noise has a spread of the same order
    assertThat(q.noiseSigma()).isBetween(10.0, 30.0);
    double mean = 0;
    for (short s : img) {
      mean += s & 0xFFFF;
    }
    assertThat(q.meanRaw()).isCloseTo(mean / img.length, within(1e-6));
  }

  @Test
  void sharpnessDropsWhenBlurred() {
    int w = 64;
    int h = 64;
    float[] sharp = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        sharp[y * w + x] = ((x / 4 + y / 4) % 2 == 0) ? 100 : 200;
      }
    }
    var s = new io.cytostream.processors.image.FloatImage(w, h, sharp);
    var blurred = io.cytostream.processors.segment.GaussianBlur.blur(s, 2);
    HotPixelDetector d = HotPixelDetector.defaults();
    RawFrameAssessment a = d.assess(s, s, Double.POSITIVE_INFINITY);
    RawFrameAssessment b = d.assess(blurred, blurred, Double.POSITIVE_INFINITY);
    assertThat(b.sharpness()).isLessThan(a.sharpness() / 4);
    assertThat(a.hotPixels()).isZero();
    assertThat(a.saturatedPixels()).isZero();
  }
}
