package io.cytostream.processors.denoise;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code jdk.incubator.vector} kernel of {@link MedianFilter3x3} for uint16 and uint8 planes:
 * the same median of nine (replicate edge, exact) on 16-bit (32 lanes with AVX-512) or 8-bit lanes.
 * Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector} ({@link
 * MedianFilter3x3} checks before touching this class).
 *
 * <p><b>Method.</b> Unsigned samples are biased into signed order ({@code v ^ 0x8000}, {@code v ^
 * 0x80}) while a row is copied into a padded scratch row (one replicated pixel each side). For each
 * output vector at x the three columns x−1, x, x+1 of the three rows are loaded, each column is
 * sorted with a 3-element min/max network, and the median is {@code med3(max of lows, med3 of
 * middles, min of highs)} — 18 + 12 lane-wise min/max per vector, no branches. Recomputing the
 * column sorts for the shifted loads measured faster than storing them once (fewer passes over
 * memory). The last vector of a row overlaps the one before it when the width is not a multiple of
 * the lane count; rows narrower than one vector take a scalar path with the same network.
 *
 * <p>Not thread-safe per scratch: each thread passes its own rows.
 */
final class VectorMedian3x3 {
  private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> S8 = ByteVector.SPECIES_PREFERRED;

  private VectorMedian3x3() {}

  /**
   * Filters output rows {@code [y0, y1)} of a uint16 plane.
   *
   * @param r0 scratch rows of length ≥ {@code w + 2} (three distinct arrays)
   */
  static void uint16(
      short[] src, short[] dst, int w, int h, int y0, int y1, short[] r0, short[] r1, short[] r2) {
    short[] up = r0;
    short[] cur = r1;
    short[] down = r2;
    fill16(src, Math.max(y0 - 1, 0), w, up);
    fill16(src, y0, w, cur);
    int lanes = S16.length();
    for (int y = y0; y < y1; y++) {
      fill16(src, Math.min(y + 1, h - 1), w, down);
      int off = y * w;
      if (w < lanes) {
        for (int x = 0; x < w; x++) {
          dst[off + x] = (short) (scalar(up, cur, down, x) ^ 0x8000);
        }
      } else {
        for (int x = 0; x < w; x += lanes) {
          int v = Math.min(x, w - lanes);
          med16(up, cur, down, v).intoArray(dst, off + v);
        }
      }
      short[] t = up;
      up = cur;
      cur = down;
      down = t;
    }
  }

  /**
   * Filters output rows {@code [y0, y1)} of a uint8 plane.
   *
   * @param r0 scratch rows of length ≥ {@code w + 2} (three distinct arrays)
   */
  static void uint8(
      byte[] src, byte[] dst, int w, int h, int y0, int y1, byte[] r0, byte[] r1, byte[] r2) {
    byte[] up = r0;
    byte[] cur = r1;
    byte[] down = r2;
    fill8(src, Math.max(y0 - 1, 0), w, up);
    fill8(src, y0, w, cur);
    int lanes = S8.length();
    for (int y = y0; y < y1; y++) {
      fill8(src, Math.min(y + 1, h - 1), w, down);
      int off = y * w;
      if (w < lanes) {
        for (int x = 0; x < w; x++) {
          dst[off + x] = (byte) (scalar(up, cur, down, x) ^ 0x80);
        }
      } else {
        for (int x = 0; x < w; x += lanes) {
          int v = Math.min(x, w - lanes);
          med8(up, cur, down, v).intoArray(dst, off + v);
        }
      }
      byte[] t = up;
      up = cur;
      cur = down;
      down = t;
    }
  }

  /** Medians of output pixels x..x+lanes-1 (padded index x is pixel x-1), un-biased. */
  private static ShortVector med16(short[] up, short[] cur, short[] down, int x) {
    ShortVector a0 = ShortVector.fromArray(S16, up, x);
    ShortVector b0 = ShortVector.fromArray(S16, cur, x);
    ShortVector c0 = ShortVector.fromArray(S16, down, x);
    ShortVector a1 = ShortVector.fromArray(S16, up, x + 1);
    ShortVector b1 = ShortVector.fromArray(S16, cur, x + 1);
    ShortVector c1 = ShortVector.fromArray(S16, down, x + 1);
    ShortVector a2 = ShortVector.fromArray(S16, up, x + 2);
    ShortVector b2 = ShortVector.fromArray(S16, cur, x + 2);
    ShortVector c2 = ShortVector.fromArray(S16, down, x + 2);
    ShortVector l0 = a0.min(b0);
    ShortVector h0 = a0.max(b0);
    ShortVector t0 = l0.max(c0);
    ShortVector l1 = a1.min(b1);
    ShortVector h1 = a1.max(b1);
    ShortVector t1 = l1.max(c1);
    ShortVector l2 = a2.min(b2);
    ShortVector h2 = a2.max(b2);
    ShortVector t2 = l2.max(c2);
    // lows, middles and highs of the three columns
    ShortVector lo = l0.min(c0).max(l1.min(c1)).max(l2.min(c2));
    ShortVector hi = h0.max(t0).min(h1.max(t1)).min(h2.max(t2));
    ShortVector m0 = h0.min(t0);
    ShortVector m1 = h1.min(t1);
    ShortVector m2 = h2.min(t2);
    ShortVector mid = m0.min(m1).max(m0.max(m1).min(m2));
    return lo.min(mid).max(lo.max(mid).min(hi)).lanewise(VectorOperators.XOR, (short) 0x8000);
  }

  private static ByteVector med8(byte[] up, byte[] cur, byte[] down, int x) {
    ByteVector a0 = ByteVector.fromArray(S8, up, x);
    ByteVector b0 = ByteVector.fromArray(S8, cur, x);
    ByteVector c0 = ByteVector.fromArray(S8, down, x);
    ByteVector a1 = ByteVector.fromArray(S8, up, x + 1);
    ByteVector b1 = ByteVector.fromArray(S8, cur, x + 1);
    ByteVector c1 = ByteVector.fromArray(S8, down, x + 1);
    ByteVector a2 = ByteVector.fromArray(S8, up, x + 2);
    ByteVector b2 = ByteVector.fromArray(S8, cur, x + 2);
    ByteVector c2 = ByteVector.fromArray(S8, down, x + 2);
    ByteVector l0 = a0.min(b0);
    ByteVector h0 = a0.max(b0);
    ByteVector t0 = l0.max(c0);
    ByteVector l1 = a1.min(b1);
    ByteVector h1 = a1.max(b1);
    ByteVector t1 = l1.max(c1);
    ByteVector l2 = a2.min(b2);
    ByteVector h2 = a2.max(b2);
    ByteVector t2 = l2.max(c2);
    ByteVector lo = l0.min(c0).max(l1.min(c1)).max(l2.min(c2));
    ByteVector hi = h0.max(t0).min(h1.max(t1)).min(h2.max(t2));
    ByteVector m0 = h0.min(t0);
    ByteVector m1 = h1.min(t1);
    ByteVector m2 = h2.min(t2);
    ByteVector mid = m0.min(m1).max(m0.max(m1).min(m2));
    return lo.min(mid).max(lo.max(mid).min(hi)).lanewise(VectorOperators.XOR, (byte) 0x80);
  }

  /** Row y biased into signed order at [1, w], edges replicated into 0 and w + 1. */
  private static void fill16(short[] src, int y, int w, short[] row) {
    int off = y * w;
    for (int x = 0; x < w; x++) {
      row[x + 1] = (short) (src[off + x] ^ 0x8000);
    }
    row[0] = row[1];
    row[w + 1] = row[w];
  }

  private static void fill8(byte[] src, int y, int w, byte[] row) {
    int off = y * w;
    for (int x = 0; x < w; x++) {
      row[x + 1] = (byte) (src[off + x] ^ 0x80);
    }
    row[0] = row[1];
    row[w + 1] = row[w];
  }

  /** The same network on one pixel of biased (signed-order) padded rows. */
  private static int scalar(short[] up, short[] cur, short[] down, int x) {
    return med9(
        up[x],
        cur[x],
        down[x],
        up[x + 1],
        cur[x + 1],
        down[x + 1],
        up[x + 2],
        cur[x + 2],
        down[x + 2]);
  }

  private static int scalar(byte[] up, byte[] cur, byte[] down, int x) {
    return med9(
        up[x],
        cur[x],
        down[x],
        up[x + 1],
        cur[x + 1],
        down[x + 1],
        up[x + 2],
        cur[x + 2],
        down[x + 2]);
  }

  private static int med9(int a0, int b0, int c0, int a1, int b1, int c1, int a2, int b2, int c2) {
    int lo = Math.max(Math.max(min3(a0, b0, c0), min3(a1, b1, c1)), min3(a2, b2, c2));
    int hi = Math.min(Math.min(max3(a0, b0, c0), max3(a1, b1, c1)), max3(a2, b2, c2));
    int mid = med3(med3(a0, b0, c0), med3(a1, b1, c1), med3(a2, b2, c2));
    return med3(lo, mid, hi);
  }

  private static int min3(int a, int b, int c) {
    return Math.min(Math.min(a, b), c);
  }

  private static int max3(int a, int b, int c) {
    return Math.max(Math.max(a, b), c);
  }

  private static int med3(int a, int b, int c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
