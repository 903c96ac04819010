package io.cytostream.processors.denoise;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.PixelType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both kernels of {@link MedianFilter3x3} (the {@code jdk.incubator.vector} one and the int rows)
 * against a plain sort-nine reference on random planes: degenerate shapes (1×1, 1×N, N×1, 2×2), odd
 * sizes, widths around the vector lane counts (16, 32, 64) and value distributions with many ties
 * and with the extremes 0 and 2^16−1 (2^8−1), sequential and in bands.
 */
class MedianFilter3x3PropertyTest {
  private static final int[][] SHAPES = {
    {1, 1},
    {1, 2},
    {2, 1},
    {1, 37},
    {37, 1},
    {2, 2},
    {3, 3},
    {2, 9},
    {9, 2},
    {5, 7},
    {15, 4},
    {16, 3},
    {17, 5},
    {31, 6},
    {32, 2},
    {33, 9},
    {63, 3},
    {64, 4},
    {65, 7},
    {66, 1},
    {127, 5},
    {129, 11},
    {300, 1},
    {1, 300},
    {257, 263}
  };

  /** Replicate-edge median of nine by sorting, on unsigned ints. */
  static int[] reference(int[] src, int w, int h) {
    int[] out = new int[src.length];
    int[] win = new int[9];
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

  /** Random samples below {@code max}: uniform, few distinct levels, or mostly the extremes. */
  private static int[] sample(Random rnd, int n, int max, int kind) {
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] =
          switch (kind) {
            case 0 -> rnd.nextInt(max);
            case 1 -> rnd.nextInt(3) * (max / 2 - 1);
            default -> rnd.nextInt(4) == 0 ? rnd.nextInt(max) : (rnd.nextBoolean() ? 0 : max - 1);
          };
    }
    return v;
  }

  private static MedianFilter3x3[] filters() {
    return new MedianFilter3x3[] {
      new MedianFilter3x3(1, true),
      new MedianFilter3x3(1, false),
      new MedianFilter3x3(3, true),
      new MedianFilter3x3(2, false)
    };
  }

  @Test
  void theTestJvmRunsTheVectorKernel() {
    // the surefire argLine adds jdk.incubator.vector: without it only the int rows would be tested
    assertThat(MedianFilter3x3.VECTOR_AVAILABLE).isTrue();
    assertThat(new MedianFilter3x3(1).vectorized()).isTrue();
    assertThat(new MedianFilter3x3(1, false).vectorized()).isFalse();
  }

  @Test
  void uint16EqualsReferenceOnRandomPlanes() {
    Random rnd = new Random(11);
    for (int[] s : SHAPES) {
      for (int kind = 0; kind < 3; kind++) {
        int w = s[0];
        int h = s[1];
        int[] v = sample(rnd, w * h, 65536, kind);
        short[] img = new short[v.length];
        for (int i = 0; i < v.length; i++) {
          img[i] = (short) v[i];
        }
        int[] ref = reference(v, w, h);
        for (MedianFilter3x3 f : filters()) {
          short[] got = f.uint16(img, w, h);
          int[] g = new int[got.length];
          for (int i = 0; i < g.length; i++) {
            g[i] = got[i] & 0xFFFF;
          }
          assertThat(g).as("%dx%d kind %d vector %s", w, h, kind, f.vectorized()).isEqualTo(ref);
        }
      }
    }
  }

  @Test
  void uint8EqualsReferenceOnRandomPlanes() {
    Random rnd = new Random(12);
    for (int[] s : SHAPES) {
      for (int kind = 0; kind < 3; kind++) {
        int w = s[0];
        int h = s[1];
        int[] v = sample(rnd, w * h, 256, kind);
        byte[] img = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          img[i] = (byte) v[i];
        }
        int[] ref = reference(v, w, h);
        for (MedianFilter3x3 f : filters()) {
          byte[] got = f.uint8(img, w, h);
          int[] g = new int[got.length];
          for (int i = 0; i < g.length; i++) {
            g[i] = got[i] & 0xFF;
          }
          assertThat(g).as("%dx%d kind %d vector %s", w, h, kind, f.vectorized()).isEqualTo(ref);
        }
      }
    }
  }

  @Test
  void vectorAndIntKernelsAgreeOnALargePlaneInBands() {
    Random rnd = new Random(13);
    int w = 1031;
    int h = 517; // above the parallel threshold: uneven bands, a partial last vector per row
    short[] img = new short[w * h];
    for (int i = 0; i < img.length; i++) {
      img[i] = (short) rnd.nextInt(65536);
    }
    short[] vec = new MedianFilter3x3(2, true).uint16(img, w, h);
    short[] ints = new MedianFilter3x3(1, false).uint16(img, w, h);
    assertThat(vec).isEqualTo(ints);
    short[] into = new short[img.length];
    new MedianFilter3x3(2).uint16(img, w, h, into);
    assertThat(into).isEqualTo(ints);
  }

  @Test
  void rawPlanesDecodeThroughScratchPlanesOfAnySizeOrder() {
    // the per-thread scratch planes are reused across calls of different sizes
    Random rnd = new Random(14);
    MedianFilter3x3 f = new MedianFilter3x3(1);
    for (int[] s : new int[][] {{257, 263}, {5, 7}, {64, 4}, {1, 1}, {300, 1}}) {
      int w = s[0];
      int h = s[1];
      int[] v = sample(rnd, w * h, 65536, 0);
      byte[] raw = new byte[2 * v.length];
      byte[] raw8 = new byte[v.length];
      int[] v8 = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        raw[2 * i] = (byte) v[i];
        raw[2 * i + 1] = (byte) (v[i] >>> 8);
        v8[i] = v[i] & 0xFF;
        raw8[i] = (byte) v8[i];
      }
      int[] ref = reference(v, w, h);
      float[] got = f.apply(raw, w, h, PixelType.UINT16).data();
      int[] ref8 = reference(v8, w, h);
      float[] got8 = f.apply(raw8, w, h, PixelType.UINT8).data();
      for (int i = 0; i < ref.length; i++) {
        assertThat(got[i]).as("%dx%d uint16 at %d", w, h, i).isEqualTo((float) ref[i]);
        assertThat(got8[i]).as("%dx%d uint8 at %d", w, h, i).isEqualTo((float) ref8[i]);
      }
    }
  }
}
