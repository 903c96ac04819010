package io.cytostream.processors.denoise;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p><b>Vector kernel.</b> When the JVM runs with {@code --add-modules jdk.incubator.vector} (the
 * {@code cytostream} launcher, the tests and the benchmarks pass it), uint16 and uint8 planes go
 * through {@link VectorMedian3x3} instead: the same network on 16-bit (8-bit) lanes with hardware
 * min/max, 3–4× less CPU than the int rows above on JDK 17 (JMH {@code MedianBench}); the output is
 * identical (the median of nine values is unique). Without the module, or with {@code
 * -Dcytostream.median.vector=false}, the int rows are used. Float planes always use the int rows.
 *
 * <p><b>Memory.</b> Scratch rows are kept per thread and grown only when a wider plane arrives; a
 * call allocates only its output array.
 *
 * <p><b>Parallelism.</b> Rows are split into bands processed on the common fork-join pool when the
 * plane is large enough ({@link #parallelism()} bands, default the number of processors). Instances
 * are immutable and thread-safe.
 */
public final class MedianFilter3x3 {
  /** Planes below this many pixels run on the calling thread. */
  private static final int PARALLEL_MIN_PIXELS = 1 << 16;

  /**
   * Whether the {@code jdk.incubator.vector} kernel can run: the module is in the boot layer and
   * {@code cytostream.median.vector} is not {@code false}.
   */
  public static final boolean VECTOR_AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !"false".equals(System.getProperty("cytostream.median.vector"));

  private static final MedianFilter3x3 DEFAULT =
      new MedianFilter3x3(Runtime.getRuntime().availableProcessors());
  private static final MedianFilter3x3 SEQUENTIAL = new MedianFilter3x3(1);

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int parallelism;
  private final boolean vector;

  /**
   * A filter that uses the vector kernel when it is {@linkplain #VECTOR_AVAILABLE available}.
   *
   * @param parallelism number of row bands processed concurrently (1 = calling thread only)
   */
  public MedianFilter3x3(int parallelism) {
    this(parallelism, true);
  }

  /**
   * @param parallelism number of row bands processed concurrently (1 = calling thread only)
   * @param vector use the vector kernel for uint16 and uint8 planes when it is {@linkplain
   *     #VECTOR_AVAILABLE available}; {@code false} always uses the int rows (same output)
   */
  public MedianFilter3x3(int parallelism, boolean vector) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism < 1");
    }
    this.parallelism = parallelism;
    this.vector = vector && VECTOR_AVAILABLE;
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

  /** Whether uint16 and uint8 planes go through the vector kernel. */
  public boolean vectorized() {
    return vector;
  }

  /** Filters output rows {@code [y0, y1)} on the calling thread. */
  private interface Band {
    void rows(int y0, int y1);
  }

  /** One thread's scratch rows, grown on demand. */
  private static final class Scratch {
    private int[][] ints = new int[11][0];
    private short[][] shorts = new short[3][0];
    private byte[][] bytes = new byte[3][0];
    private final short[][] planes16 = new short[2][0];
    private byte[] plane8 = new byte[0];

    /** Scratch plane {@code i} (0 or 1) with room for n samples. */
    short[] plane16(int i, int n) {
      if (planes16[i].length < n) {
        planes16[i] = new short[n];
      }
      return planes16[i];
    }

    byte[] plane8(int n) {
      if (plane8.length < n) {
        plane8 = new byte[n];
      }
      return plane8;
    }

    int[][] ints(int w) {
      if (ints[0].length < w) {
        ints = new int[11][w];
      }
      return ints;
    }

    short[][] shorts(int w) {
      if (shorts[0].length < w) {
        shorts = new short[3][w];
      }
      return shorts;
    }

    byte[][] bytes(int w) {
      if (bytes[0].length < w) {
        bytes = new byte[3][w];
      }
      return bytes;
    }
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
    median16(src, dst, width, height);
    return dst;
  }

  /**
   * Median of an unsigned 16-bit plane into a caller's array (no allocation).
   *
   * @param src samples, unsigned; not modified
   * @param dst receives the medians; same length as {@code src}, not the same array
   */
  public void uint16(short[] src, int width, int height, short[] dst) {
    check(src.length, width, height);
    checkDst(src, dst);
    median16(src, dst, width, height);
  }

  /** Medians of the first {@code width * height} samples of src into dst. */
  private void median16(short[] src, short[] dst, int width, int height) {
    if (vector) {
      run(
          width,
          height,
          (y0, y1) -> {
            short[][] r = SCRATCH.get().shorts(width + 2);
            VectorMedian3x3.uint16(src, dst, width, height, y0, y1, r[0], r[1], r[2]);
          });
      return;
    }
    scalar(
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
    median8(src, dst, width, height);
    return dst;
  }

  /** Medians of the first {@code width * height} samples of src into dst. */
  private void median8(byte[] src, byte[] dst, int width, int height) {
    if (vector) {
      run(
          width,
          height,
          (y0, y1) -> {
            byte[][] r = SCRATCH.get().bytes(width + 2);
            VectorMedian3x3.uint8(src, dst, width, height, y0, y1, r[0], r[1], r[2]);
          });
      return;
    }
    scalar(
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
    scalar(
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
        // decoded samples and medians in this thread's scratch planes: only the result is new
        int n = width * height;
        Scratch s = SCRATCH.get();
        short[] in = s.plane16(0, n);
        short[] m = s.plane16(1, n);
        ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(in, 0, n);
        median16(in, m, width, height);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = m[i] & 0xFFFF;
        }
        return new FloatImage(width, height, f);
      }
      case UINT8 -> {
        int n = width * height;
        byte[] m = SCRATCH.get().plane8(n);
        median8(pixels, m, width, height);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = m[i] & 0xFF;
        }
        return new FloatImage(width, height, f);
      }
      default -> {
        return apply(PlaneDecoder.toFloat(pixels, width, height, type));
      }
    }
  }

  private static void checkDst(short[] src, short[] dst) {
    if (src == dst || dst.length != src.length) {
      throw new IllegalArgumentException("dst must be a distinct array of the source's length");
    }
  }

  private static void check(int len, int width, int height) {
    if (width < 1 || height < 1 || (long) width * height != len) {
      throw new IllegalArgumentException(
          "bad shape " + width + "x" + height + " for " + len + " samples");
    }
  }

  private void scalar(
      int width, int height, boolean small, IntRowMedian.RowReader in, IntRowMedian.RowWriter out) {
    run(
        width,
        height,
        (y0, y1) ->
            IntRowMedian.rows(width, height, y0, y1, small, in, out, SCRATCH.get().ints(width)));
  }

  private void run(int width, int height, Band band) {
    int bands =
        (long) width * height < PARALLEL_MIN_PIXELS ? 1 : Math.min(parallelism, height / 8 + 1);
    if (bands <= 1) {
      band.rows(0, height);
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
                band.rows(y0, y1);
              }
            });
  }
}
