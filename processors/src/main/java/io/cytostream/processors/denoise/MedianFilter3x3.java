package io.cytostream.processors.denoise;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;
import java.util.stream.IntStream;

/**
 * 3×3 median filter for uint8, uint16 and float32 planes (row-major, index = {@code y * width +
 * x}); the output has the input's type and units.
 *
 * <p><b>Border rule: replicate edge.</b> Pixels outside the image take the value of the nearest
 * edge pixel (OpenCV {@code BORDER_REPLICATE}, which is also what {@code cv2.medianBlur} uses, and
 * scipy's {@code mode='nearest'}), so every output pixel is the median of exactly nine values. For
 * a 1×N, N×1 or 2×2 image this rule still applies (e.g. a 1-pixel image is its own median).
 *
 * <p><b>Method.</b> The three rows of a window are sorted per column once with a branch-free
 * 3-element sorting network (min/max), giving per column its low, middle and high value; the median
 * of the 3×3 window at x is then {@code med3(max(lo[x-1..x+1]), med3(mid[x-1..x+1]),
 * min(hi[x-1..x+1]))} (the classic Paeth/Devillard "median of 9 from column sorts"). Each column
 * sort is reused by three adjacent windows. Every loop is a straight pass over {@code int} rows
 * that reads and writes at the same index (the x±1 neighbours come from {@link
 * System#arraycopy}-shifted copies), because JDK 17's C2 superword pass vectorises neither {@link
 * Math#min(int, int)} nor loads of one array at different offsets; for uint8/uint16 min and max are
 * branch-free integer arithmetic, which it does vectorise (no {@code jdk.incubator.vector}, no JVM
 * flag). Floats are mapped to order-preserving ints ({@code bits ^ ((bits >> 31) & 0x7fffffff)})
 * and back and use {@link Math#min}, so their median is exact but slower (about 2.5× uint16); the
 * median is always exact; NaN inputs sort beyond ±infinity (their output is unspecified but not an
 * exception).
 *
 * <p><b>Parallelism.</b> Rows are split into bands processed on the common fork-join pool when the
 * plane is large enough ({@link #parallelism()} bands, default the number of processors). Instances
 * are immutable and thread-safe.
 */
public final class MedianFilter3x3 {
  /** Planes below this many pixels run on the calling thread. */
  private static final int PARALLEL_MIN_PIXELS = 1 << 16;

  private static final MedianFilter3x3 DEFAULT =
      new MedianFilter3x3(Runtime.getRuntime().availableProcessors());
  private static final MedianFilter3x3 SEQUENTIAL = new MedianFilter3x3(1);

  private final int parallelism;

  /**
   * @param parallelism number of row bands processed concurrently (1 = calling thread only)
   */
  public MedianFilter3x3(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism < 1");
    }
    this.parallelism = parallelism;
  }

  /** A filter using all available processors. */
  public static MedianFilter3x3 parallel() {
    return DEFAULT;
  }

  /** A filter running on the calling thread only. */
  public static MedianFilter3x3 sequential() {
    return SEQUENTIAL;
  }

  /** Number of row bands used for large planes. */
  public int parallelism() {
    return parallelism;
  }

  /** Reads row {@code y} into {@code dst[0..w-1]} as order-preserving ints. */
  private interface RowReader {
    void read(int y, int[] dst);
  }

  /** Writes medians {@code src[0..w-1]} of row {@code y}. */
  private interface RowWriter {
    void write(int y, int[] src);
  }

  /**
   * Median of an unsigned 16-bit plane.
   *
   * @param src samples, unsigned (read with {@code & 0xFFFF}); not modified
   * @return a new array of the same length
   */
  public short[] uint16(short[] src, int width, int height) {
    check(src.length, width, height);
    short[] dst = new short[src.length];
    run(
        width,
        height,
        true,
        (y, row) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            row[x] = src[off + x] & 0xFFFF;
          }
        },
        (y, med) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            dst[off + x] = (short) med[x];
          }
        });
    return dst;
  }

  /**
   * Median of an unsigned 8-bit plane.
   *
   * @param src samples, unsigned (read with {@code & 0xFF}); not modified
   * @return a new array of the same length
   */
  public byte[] uint8(byte[] src, int width, int height) {
    check(src.length, width, height);
    byte[] dst = new byte[src.length];
    run(
        width,
        height,
        true,
        (y, row) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            row[x] = src[off + x] & 0xFF;
          }
        },
        (y, med) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            dst[off + x] = (byte) med[x];
          }
        });
    return dst;
  }

  /**
   * Median of a float plane (exact: the output values are input values).
   *
   * @param src samples; not modified
   * @return a new array of the same length
   */
  public float[] float32(float[] src, int width, int height) {
    check(src.length, width, height);
    float[] dst = new float[src.length];
    run(
        width,
        height,
        false,
        (y, row) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            int b = Float.floatToRawIntBits(src[off + x]);
            row[x] = b ^ ((b >> 31) & 0x7fffffff);
          }
        },
        (y, med) -> {
          int off = y * width;
          for (int x = 0; x < width; x++) {
            int b = med[x];
            dst[off + x] = Float.intBitsToFloat(b ^ ((b >> 31) & 0x7fffffff));
          }
        });
    return dst;
  }

  /** Median of a float image (same units). */
  public FloatImage apply(FloatImage img) {
    return new FloatImage(
        img.width(), img.height(), float32(img.data(), img.width(), img.height()));
  }

  /**
   * Decodes a raw little-endian plane, filters it in its own type, and returns the result as floats
   * in raw units.
   *
   * @throws io.cytostream.processors.image.InvalidPlaneException when the plane is invalid
   */
  public FloatImage apply(byte[] pixels, int width, int height, PixelType type) {
    PlaneDecoder.validate(pixels, width, height, type);
    switch (type) {
      case UINT16 -> {
        short[] m = uint16(PlaneDecoder.toUint16(pixels, width, height), width, height);
        float[] f = new float[m.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = m[i] & 0xFFFF;
        }
        return new FloatImage(width, height, f);
      }
      case UINT8 -> {
        byte[] m = uint8(pixels, width, height);
        float[] f = new float[m.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = m[i] & 0xFF;
        }
        return new FloatImage(width, height, f);
      }
      default -> {
        return apply(PlaneDecoder.toFloat(pixels, width, height, type));
      }
    }
  }

  private static void check(int len, int width, int height) {
    if (width < 1 || height < 1 || (long) width * height != len) {
      throw new IllegalArgumentException(
          "bad shape " + width + "x" + height + " for " + len + " samples");
    }
  }

  private void run(int width, int height, boolean small, RowReader in, RowWriter out) {
    int bands =
        (long) width * height < PARALLEL_MIN_PIXELS ? 1 : Math.min(parallelism, height / 8 + 1);
    if (bands <= 1) {
      band(width, height, 0, height, small, in, out);
      return;
    }
    int per = (height + bands - 1) / bands;
    IntStream.range(0, bands)
        .parallel()
        .forEach(
            b -> {
              int y0 = b * per;
              int y1 = Math.min(height, y0 + per);
              if (y0 < y1) {
                band(width, height, y0, y1, small, in, out);
              }
            });
  }

  /**
   * Filters rows {@code [y0, y1)}. Every loop below reads and writes its arrays at the same index x
   * (shifted neighbours come from {@link System#arraycopy}), which is what HotSpot's superword pass
   * needs to vectorise on JDK 17. With {@code small} (all values in {@code [0, 2^30)}) min and max
   * use branch-free integer arithmetic, which vectorises; otherwise {@link Math#min}.
   */
  private static void band(
      int w, int h, int y0, int y1, boolean small, RowReader in, RowWriter out) {
    int[] up = new int[w];
    int[] cur = new int[w];
    int[] down = new int[w];
    int[] lo = new int[w];
    int[] mid = new int[w];
    int[] hi = new int[w];
    int[] left = new int[w];
    int[] right = new int[w];
    int[] a = new int[w];
    int[] b = new int[w];
    int[] c = new int[w];
    in.read(Math.max(y0 - 1, 0), up);
    in.read(y0, cur);
    for (int y = y0; y < y1; y++) {
      in.read(Math.min(y + 1, h - 1), down);
      if (small) {
        sort3Small(up, cur, down, lo, mid, hi, w);
        shift(lo, left, right, w);
        max3Small(left, lo, right, a, w);
        shift(mid, left, right, w);
        med3Small(left, mid, right, b, w);
        shift(hi, left, right, w);
        min3Small(left, hi, right, c, w);
        med3Small(a, b, c, lo, w);
      } else {
        sort3(up, cur, down, lo, mid, hi, w);
        shift(lo, left, right, w);
        max3(left, lo, right, a, w);
        shift(mid, left, right, w);
        med3(left, mid, right, b, w);
        shift(hi, left, right, w);
        min3(left, hi, right, c, w);
        med3(a, b, c, lo, w);
      }
      out.write(y, lo);
      int[] t = up;
      up = cur;
      cur = down;
      down = t;
    }
  }

  /** left[x] = a[x-1], right[x] = a[x+1], replicating the edge. */
  private static void shift(int[] a, int[] left, int[] right, int w) {
    left[0] = a[0];
    System.arraycopy(a, 0, left, 1, w - 1);
    System.arraycopy(a, 1, right, 0, w - 1);
    right[w - 1] = a[w - 1];
  }

  // Branch-free min/max, exact when |a - b| < 2^31 (values in [0, 2^30)).
  private static int mn(int a, int b) {
    int d = a - b;
    return b + (d & (d >> 31));
  }

  private static int mx(int a, int b) {
    int d = a - b;
    return a - (d & (d >> 31));
  }

  private static void sort3Small(int[] a, int[] b, int[] c, int[] lo, int[] mid, int[] hi, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      int r = c[x];
      int l1 = mn(p, q);
      int h1 = mx(p, q);
      int t = mx(l1, r);
      lo[x] = mn(l1, r);
      mid[x] = mn(h1, t);
      hi[x] = mx(h1, t);
    }
  }

  private static void max3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = mx(mx(a[x], b[x]), c[x]);
    }
  }

  private static void min3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = mn(mn(a[x], b[x]), c[x]);
    }
  }

  private static void med3Small(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      o[x] = mx(mn(p, q), mn(mx(p, q), c[x]));
    }
  }

  private static void sort3(int[] a, int[] b, int[] c, int[] lo, int[] mid, int[] hi, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      int r = c[x];
      int l1 = Math.min(p, q);
      int h1 = Math.max(p, q);
      int t = Math.max(l1, r);
      lo[x] = Math.min(l1, r);
      mid[x] = Math.min(h1, t);
      hi[x] = Math.max(h1, t);
    }
  }

  private static void max3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = Math.max(Math.max(a[x], b[x]), c[x]);
    }
  }

  private static void min3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      o[x] = Math.min(Math.min(a[x], b[x]), c[x]);
    }
  }

  private static void med3(int[] a, int[] b, int[] c, int[] o, int w) {
    for (int x = 0; x < w; x++) {
      int p = a[x];
      int q = b[x];
      o[x] = Math.max(Math.min(p, q), Math.min(Math.max(p, q), c[x]));
    }
  }
}
