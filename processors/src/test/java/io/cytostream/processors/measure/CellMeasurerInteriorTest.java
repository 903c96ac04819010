package io.cytostream.processors.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Intensities over the cell's interior (the inset), against a naive square erosion. */
class CellMeasurerInteriorTest {

  static boolean[] naive(int[] lab, int w, int h, int e) {
    boolean[] out = new boolean[lab.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = lab[y * w + x];
        boolean ok = l != 0;
        for (int dy = -e; dy <= e && ok; dy++) {
          for (int dx = -e; dx <= e && ok; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            ok = xx >= 0 && yy >= 0 && xx < w && yy < h && lab[yy * w + xx] == l;
          }
        }
        out[y * w + x] = ok;
      }
    }
    return out;
  }

  @Test
  void interiorIsTheSquareErosionOfEachLabel() {
    Random r = new Random(4);
    for (int n = 0; n < 200; n++) {
      int w = 1 + r.nextInt(20);
      int h = 1 + r.nextInt(20);
      int[] lab = new int[w * h];
      // blocky random labels so that runs are long enough to survive erosion
      int bs = 1 + r.nextInt(6);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          lab[y * w + x] = Math.floorMod((x / bs) * 7 + (y / bs) * 13 + n, 4);
        }
      }
      int e = r.nextInt(4);
      assertThat(CellMeasurer.interior(lab, w, h, e)).isEqualTo(naive(lab, w, h, e));
    }
  }

  @Test
  void aDarkRimDoesNotEnterTheMeanIntensity() {
    int w = 20;
    int h = 20;
    int[] lab = new int[w * h];
    float[] raw = new float[w * h];
    for (int y = 2; y < 18; y++) {
      for (int x = 2; x < 18; x++) {
        lab[y * w + x] = 1;
        boolean rim = x == 2 || y == 2 || x == 17 || y == 17;
        raw[y * w + x] = rim ? 10 : 500;
      }
    }
    LabelImage labels = new LabelImage(w, h, lab, 1);
    FloatImage img = new FloatImage(w, h, raw);
    CellMeasurement inset =
        CellMeasurer.measure(labels, img, img, MeasureConfig.defaults()).cells().get(0);
    CellMeasurement all =
        CellMeasurer.measure(labels, img, img, MeasureConfig.defaults().withIntensityInset(0))
            .cells()
            .get(0);
    assertThat(inset.meanIntensity()).isEqualTo(500.0);
    assertThat(inset.areaPx()).isEqualTo(256);
    assertThat(all.meanIntensity()).isCloseTo((196 * 500.0 + 60 * 10.0) / 256, within(1e-9));
  }
}
