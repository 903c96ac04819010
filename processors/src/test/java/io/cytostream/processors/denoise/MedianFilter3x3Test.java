package io.cytostream.processors.denoise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.InvalidPlaneException;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MedianFilter3x3Test {

  /** Straightforward reference: gather the nine replicate-edge neighbours, sort, take the 5th. */
  static double[] naive(double[] src, int w, int h) {
    double[] out = new double[src.length];
    double[] win = new double[9];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int k = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = Math.min(h - 1, Math.max(0, y + dy));
            int xx = Math.min(w - 1, Math.max(0, x + dx));
            win[k++] = src[yy * w + xx];
          }
        }
        Arrays.sort(win);
        out[y * w + x] = win[4];
      }
    }
    return out;
  }

  @Test
  void handComputed3x3() {
    // replicate edge: the window at the centre is the whole image
    short[] img = {1, 9, 2, 8, 3, 7, 4, 6, 5};
    short[] m = MedianFilter3x3.sequential().uint16(img, 3, 3);
    assertThat(m[4]).isEqualTo((short) 5);
    // corner (0,0): rows {1,1,9},{1,1,9},{8,8,3} -> sorted 1,1,1,1,3,8,8,9,9 -> 3
    assertThat(m[0]).isEqualTo((short) 3);
  }

  @Test
  void removesAHotPixel() {
    short[] img = new short[25];
    Arrays.fill(img, (short) 100);
    img[12] = (short) 65535;
    short[] m = MedianFilter3x3.sequential().uint16(img, 5, 5);
    for (short s : m) {
      assertThat(s & 0xFFFF).isEqualTo(100);
    }
  }

  @Test
  void uint16MatchesNaiveOnOddShapes() {
    Random rnd = new Random(1);
    int[][] shapes = {
      {1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 2}, {1, 200}, {200, 1}, {13, 9}, {257, 301}
    };
    for (int[] s : shapes) {
      int w = s[0];
      int h = s[1];
      short[] img = new short[w * h];
      double[] d = new double[w * h];
      for (int i = 0; i < img.length; i++) {
        int v = rnd.nextInt(65536);
        img[i] = (short) v;
        d[i] = v;
      }
      double[] ref = naive(d, w, h);
      for (MedianFilter3x3 f :
          new MedianFilter3x3[] {MedianFilter3x3.sequential(), new MedianFilter3x3(3)}) {
        short[] got = f.uint16(img, w, h);
        for (int i = 0; i < got.length; i++) {
          assertThat(got[i] & 0xFFFF).as("%dx%d at %d", w, h, i).isEqualTo((int) ref[i]);
        }
      }
    }
  }

  @Test
  void largeParallelMatchesSequentialAndNaive() {
    Random rnd = new Random(2);
    int w = 311;
    int h = 517; // above the parallel threshold, bands of uneven size
    short[] img = new short[w * h];
    double[] d = new double[w * h];
    for (int i = 0; i < img.length; i++) {
      int v = rnd.nextInt(4096) + (rnd.nextInt(100) == 0 ? 60000 : 0);
      img[i] = (short) v;
      d[i] = v;
    }
    double[] ref = naive(d, w, h);
    short[] par = new MedianFilter3x3(2).uint16(img, w, h);
    for (int i = 0; i < par.length; i++) {
      assertThat(par[i] & 0xFFFF).isEqualTo((int) ref[i]);
    }
  }

  @Test
  void uint8MatchesNaive() {
    Random rnd = new Random(3);
    for (int[] s : new int[][] {{1, 5}, {5, 1}, {2, 2}, {31, 17}}) {
      int w = s[0];
      int h = s[1];
      byte[] img = new byte[w * h];
      rnd.nextBytes(img);
      double[] d = new double[w * h];
      for (int i = 0; i < img.length; i++) {
        d[i] = img[i] & 0xFF;
      }
      double[] ref = naive(d, w, h);
      byte[] got = MedianFilter3x3.sequential().uint8(img, w, h);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i] & 0xFF).isEqualTo((int) ref[i]);
      }
    }
  }

  @Test
  void float32MatchesNaiveIncludingNegativesAndSignedZero() {
    Random rnd = new Random(4);
    for (int[] s : new int[][] {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {23, 19}, {300, 250}}) {
      int w = s[0];
      int h = s[1];
      float[] img = new float[w * h];
      double[] d = new double[w * h];
      for (int i = 0; i < img.length; i++) {
        float v = (float) (rnd.nextGaussian() * 1e3);
        if (rnd.nextInt(20) == 0) {
          v = 0f;
        }
        img[i] = v;
        d[i] = v;
      }
      double[] ref = naive(d, w, h);
      float[] got = new MedianFilter3x3(2).float32(img, w, h);
      for (int i = 0; i < got.length; i++) {
        assertThat((double) got[i]).isEqualTo(ref[i]);
      }
    }
  }

  @Test
  void decodesAndFiltersRawPlanes() {
    short[] u16 = {10, 20, 30, 40, 50, 60};
    FloatImage f =
        MedianFilter3x3.sequential().apply(PlaneDecoder.fromUint16(u16), 3, 2, PixelType.UINT16);
    double[] ref = naive(new double[] {10, 20, 30, 40, 50, 60}, 3, 2);
    for (int i = 0; i < 6; i++) {
      assertThat((double) f.data()[i]).isEqualTo(ref[i]);
    }
    assertThatThrownBy(
            () -> MedianFilter3x3.sequential().apply(new byte[5], 3, 2, PixelType.UINT16))
        .isInstanceOf(InvalidPlaneException.class)
        .hasMessageContaining("WRONG_BYTE_COUNT");
    byte[] nan = PlaneDecoder.fromFloat(new float[] {1, Float.NaN});
    assertThatThrownBy(() -> MedianFilter3x3.sequential().apply(nan, 2, 1, PixelType.FLOAT32))
        .isInstanceOfSatisfying(
            InvalidPlaneException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidPlaneException.Reason.NON_FINITE));
  }
}
