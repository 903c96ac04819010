package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

  @Test
  void batchedTilesMatchTilesOneByOne() {
    int w = 1100;
    int h = 600; // 3 × 2 tiles: batches of 4 leave a partial last batch
    float[] plane = cropData(ModelSegmenterBench.plane(1100, 5), w, h);
    Tiler tiler = Tiler.defaults();
    int[] calls = new int[1];
    try (ModelSegmenter.Worker wk = model.newWorker()) {
      Tiler.Net counted =
          (in, n, th, tw) -> {
            calls[0]++;
            return wk.run(in, n, th, tw);
          };
      float[][] one = tiler.maps(counted, plane, w, h, 1);
      int oneCalls = calls[0];
      calls[0] = 0;
      float[][] batched = tiler.maps(counted, plane, w, h, 4);
      assertThat(oneCalls).isEqualTo(6);
      assertThat(calls[0]).isEqualTo(2);
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < one[c].length; i++) {
          // the same network per tile; a batch may take other kernels: float rounding only
          assertThat(batched[c][i]).as("map %d at %d", c, i).isCloseTo(one[c][i], within(1e-5f));
        }
      }
    }
  }

  @Test
  void batchingPlacesEveryTileWhereItBelongs() {
    // a fake network whose output is its input (and the negated input): any misplaced tile shows
    int w = 1500;
    int h = 1031;
    float[] plane = new float[w * h];
    java.util.Random r = new java.util.Random(6);
    for (int i = 0; i < plane.length; i++) {
      plane[i] = r.nextFloat();
    }
    Tiler.Net echo =
        (in, n, th, tw) -> {
          float[] o = new float[2 * in.length];
          for (int i = 0; i < in.length; i++) {
            o[2 * i] = in[i];
            o[2 * i + 1] = -in[i];
          }
          return o;
        };
    for (int batch : new int[] {1, 3, 7, 100}) {
      float[][] m = Tiler.defaults().maps(echo, plane, w, h, batch);
      assertThat(m[0]).as("batch %d", batch).isEqualTo(plane);
      for (int i = 0; i < plane.length; i++) {
        assertThat(m[1][i]).isEqualTo(-plane[i]);
      }
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
