package io.cytostream.processors.segment.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a fully convolutional two-map network over a plane of any size. Planes up to {@code
 * maxWhole} pixels on each side go through in one piece, padded (mirrored) to a multiple of {@code
 * multiple}; larger planes are cut into tiles of {@code tile × tile} whose central {@code tile - 2
 * margin} square is kept, so every kept pixel saw at least {@code margin} pixels of context
 * (mirrored beyond the plane edge). Tiles go to the network {@value #BATCH} at a time (one call
 * with n = {@value #BATCH}) unless a batch size is given. Not thread-safe only in so far as the
 * {@link Net} is not.
 *
 * @param tile tile side, a multiple of {@code multiple}
 * @param margin context kept around each tile's core
 * @param maxWhole largest side processed without tiling
 * @param multiple network input sides must be multiples of this (2^levels)
 */
public record Tiler(int tile, int margin, int maxWhole, int multiple) {
  /** Tiles per network call by default. */
  public static final int BATCH = 1;

  /** A network call: n planes of side h×w in, n×h×w×2 maps (channels last) out. */
  @FunctionalInterface
  public interface Net {
    /**
     * @param input n×h×w values, row-major per plane
     * @return n×h×w×2 values, channel fastest
     */
    float[] run(float[] input, int n, int h, int w);
  }

  /** Validates. */
  public Tiler {
    if (tile % multiple != 0 || 2 * margin >= tile || maxWhole < 1) {
      throw new IllegalArgumentException("bad tiling " + tile + "/" + margin);
    }
  }

  /** 512-pixel tiles with 48 pixels of context; whole planes up to 1024; sides multiples of 16. */
  public static Tiler defaults() {
    return new Tiler(512, 48, 1024, 16);
  }

  /**
   * @return {fg, boundary}, each w×h row-major
   */
  public float[][] maps(Net net, float[] plane, int w, int h) {
    return maps(net, plane, w, h, BATCH);
  }

  /**
   * @param batch tiles per network call (≥ 1; the last call may hold fewer); planes processed whole
   *     are one call whatever this is
   * @return {fg, boundary}, each w×h row-major
   */
  public float[][] maps(Net net, float[] plane, int w, int h, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch < 1");
    }
    float[] fg = new float[w * h];
    float[] bd = new float[w * h];
    if (w <= maxWhole && h <= maxWhole) {
      int pw = roundUp(w);
      int ph = roundUp(h);
      float[] in = crop(plane, w, h, 0, 0, pw, ph);
      float[] out = net.run(in, 1, ph, pw);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int o = 2 * (y * pw + x);
          fg[y * w + x] = out[o];
          bd[y * w + x] = out[o + 1];
        }
      }
      return new float[][] {fg, bd};
    }
    int core = tile - 2 * margin;
    List<int[]> origins = new ArrayList<>();
    for (int ty = 0; ty < h; ty += core) {
      for (int tx = 0; tx < w; tx += core) {
        origins.add(new int[] {tx, ty});
      }
    }
    int per = tile * tile;
    for (int b0 = 0; b0 < origins.size(); b0 += batch) {
      int n = Math.min(batch, origins.size() - b0);
      float[] in = new float[n * per];
      for (int k = 0; k < n; k++) {
        int[] o = origins.get(b0 + k);
        float[] c = crop(plane, w, h, o[0] - margin, o[1] - margin, tile, tile);
        System.arraycopy(c, 0, in, k * per, per);
      }
      float[] out = net.run(in, n, tile, tile);
      for (int k = 0; k < n; k++) {
        int tx = origins.get(b0 + k)[0];
        int ty = origins.get(b0 + k)[1];
        int base = 2 * k * per;
        for (int y = ty; y < Math.min(h, ty + core); y++) {
          for (int x = tx; x < Math.min(w, tx + core); x++) {
            int o = base + 2 * ((y - ty + margin) * tile + (x - tx + margin));
            fg[y * w + x] = out[o];
            bd[y * w + x] = out[o + 1];
          }
        }
      }
    }
    return new float[][] {fg, bd};
  }

  private int roundUp(int v) {
    return (v + multiple - 1) / multiple * multiple;
  }

  /** A cw×ch window at (x0, y0), mirrored beyond the plane edges. */
  static float[] crop(float[] plane, int w, int h, int x0, int y0, int cw, int ch) {
    float[] out = new float[cw * ch];
    for (int y = 0; y < ch; y++) {
      int sy = mirror(y0 + y, h);
      for (int x = 0; x < cw; x++) {
        out[y * cw + x] = plane[sy * w + mirror(x0 + x, w)];
      }
    }
    return out;
  }

  private static int mirror(int v, int n) {
    if (n == 1) {
      return 0;
    }
    int p = 2 * (n - 1);
    v = Math.floorMod(v, p);
    return v < n ? v : p - v;
  }
}
