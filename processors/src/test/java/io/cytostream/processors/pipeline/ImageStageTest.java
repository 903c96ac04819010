package io.cytostream.processors.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.InvalidPlaneException;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.processors.measure.CellMeasurement;
import io.cytostream.schemas.PixelType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageStageTest {
  /**
   * Three bright disks (radius 15) on a noisy background, uint16 little-endian, with a hot pixel.
   */
  static byte[] frame(int w, int h, long seed) {
    Random rnd = new Random(seed);
    short[] s = new short[w * h];
    double[][] disks = {{40, 40}, {120, 50}, {80, 110}};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 100 + 4 * rnd.nextGaussian();
        for (double[] d : disks) {
          if (Math.hypot(x - d[0], y - d[1]) <= 15) {
            v += 200;
          }
        }
        s[y * w + x] = (short) Math.round(v);
      }
    }
    s[5 * w + 150] = (short) 60000;
    return PlaneDecoder.fromUint16(s);
  }

  @Test
  void processesFramesAndSettlesTheNormaliser() {
    ImageStage stage = ImageStage.defaults();
    NormalizerState st = stage.normalizer().initial();
    ImageStage.Result r = null;
    for (int t = 0; t < 12; t++) {
      r = stage.process(frame(160, 140, t), 160, 140, PixelType.UINT16, st);
      st = r.state();
      assertThat(r.settled()).isEqualTo(t >= 9);
    }
    assertThat(r.quality().hotPixels()).isGreaterThanOrEqualTo(1);
    assertThat(r.measurements().cells()).hasSize(3);
    double[][] centres = {{40, 40}, {120, 50}, {80, 110}};
    for (CellMeasurement c : r.measurements().cells()) {
      // pi * 15^2 = 707; the low triangle threshold on a smoothed step edge places the boundary
      // 1-3 px outside a sharp disk, so the area is larger and the mean a bit lower
      assertThat(c.areaPx()).isBetween(650, 1100);
      assertThat(c.meanIntensity()).isBetween(220.0, 305.0);
      double best = Double.MAX_VALUE;
      for (double[] d : centres) {
        best = Math.min(best, Math.hypot(c.centroidX() - d[0], c.centroidY() - d[1]));
      }
      assertThat(best).isLessThan(1.0);
      assertThat(c.onBorder()).isFalse();
    }
    NormalizerState last = st;
    assertThatThrownBy(() -> stage.process(new byte[3], 2, 2, PixelType.UINT16, last))
        .isInstanceOf(InvalidPlaneException.class);
  }
}
