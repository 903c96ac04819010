package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.FloatImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiled inference agrees with whole-plane inference. (Native memory over a long run is measured by
 * {@link ModelSegmenterBench}, {@code scripts/bench-segmenter}: RSS is too noisy for a test.)
 */
class TilingTest {
  private static ModelSegmenter model;

  @BeforeAll
  static void load() {
    model = ModelSegmenter.loadBundled();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void tiledMapsMatchWholePlaneMaps() {
    int w = 1100;
    int h = 600;
    FloatImage img = ModelSegmenterBench.plane(1100, 3);
    float[] plane = cropData(img, w, h);
    Tiler whole = new Tiler(512, 48, 2048, 16);
    Tiler tiled = Tiler.defaults(); // 1100 > 1024: tiles of 512 with 48 px context
    try (ModelSegmenter.Worker wk = model.newWorker()) {
      float[][] a = whole.maps(wk::run, plane, w, h);
      float[][] b = tiled.maps(wk::run, plane, w, h);
      int differ = 0;
      double sumDiff = 0;
      for (int i = 0; i < a[0].length; i++) {
        if ((a[0][i] > 0.5) != (b[0][i] > 0.5)) {
          differ++;
        }
        sumDiff += Math.abs(a[0][i] - b[0][i]);
      }
      System.out.printf("tiled vs whole: %d of %d fg decisions differ%n", differ, a[0].length);
      assertThat(differ).as("foreground pixels that differ").isLessThan(a[0].length / 200);
      assertThat(sumDiff / a[0].length).as("mean |difference|").isLessThan(0.01);
    }
  }

  private static float[] cropData(FloatImage img, int w, int h) {
    float[] d = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(img.data(), y * img.width(), d, y * w, w);
    }
    return d;
  }
}
