package io.cytostream.ingest.tiff;

import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One 2-D gray plane exactly as it travels on the wire: {@code width × height} pixels of {@code
 * type}, little-endian, row-major (byte offset of pixel (x, y) = {@code (y * width + x) *
 * type.bytesPerPixel()}).
 *
 * <p>The record holds the array it is given (no defensive copy, so that 8 MiB frames are not copied
 * twice); callers must not modify it afterwards. {@link #equals} and {@link #hashCode} compare
 * contents.
 *
 * @param width pixels per row, at least 1
 * @param height rows, at least 1
 * @param type pixel encoding
 * @param pixels {@code width * height * type.bytesPerPixel()} bytes
 */
public record RawPlane(int width, int height, PixelType type, byte[] pixels) {

  /** Validates the dimensions and the length of {@code pixels}. */
  public RawPlane {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(pixels, "pixels");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("plane size must be positive: " + width + "x" + height);
    }
    long expected = (long) width * height * type.bytesPerPixel();
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "a "
              + width
              + "x"
              + height
              + " "
              + type.wireName()
              + " plane needs "
              + expected
              + " bytes, got "
              + pixels.length);
    }
  }

  /** A UINT16 plane from unsigned 16-bit samples held in {@code short}s (row-major). */
  public static RawPlane ofUint16(int width, int height, short[] samples) {
    checkCount(width, height, samples.length);
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.asShortBuffer().put(samples);
    return new RawPlane(width, height, PixelType.UINT16, b.array());
  }

  /** A UINT8 plane from unsigned 8-bit samples (row-major); the array is copied. */
  public static RawPlane ofUint8(int width, int height, byte[] samples) {
    checkCount(width, height, samples.length);
    return new RawPlane(width, height, PixelType.UINT8, samples.clone());
  }

  /** A FLOAT32 plane from samples (row-major). */
  public static RawPlane ofFloat32(int width, int height, float[] samples) {
    checkCount(width, height, samples.length);
    ByteBuffer b = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(samples);
    return new RawPlane(width, height, PixelType.FLOAT32, b.array());
  }

  private static void checkCount(int width, int height, int count) {
    if (width < 1 || height < 1 || (long) width * height != count) {
      throw new IllegalArgumentException(
          count + " samples do not make a " + width + "x" + height + " plane");
    }
  }

  /** Number of pixels, {@code width * height}. */
  public int pixelCount() {
    return width * height;
  }

  /**
   * A copy of the samples as {@code short}s: for UINT16 the raw 16 bits (read them unsigned with
   * {@link Short#toUnsignedInt}); for UINT8 the values 0..255. FLOAT32 planes are refused.
   */
  public short[] toShortArray() {
    short[] out = new short[pixelCount()];
    switch (type) {
      case UINT16 ->
          ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
      case UINT8 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = (short) (pixels[i] & 0xFF);
        }
      }
      default -> throw new IllegalStateException("a float32 plane has no short view");
    }
    return out;
  }

  /** A copy of the samples as {@code float}s (unsigned integers are converted exactly). */
  public float[] toFloatArray() {
    float[] out = new float[pixelCount()];
    switch (type) {
      case FLOAT32 ->
          ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      case UINT16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = (pixels[2 * i] & 0xFF) | (pixels[2 * i + 1] & 0xFF) << 8;
        }
      }
      case UINT8 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = pixels[i] & 0xFF;
        }
      }
    }
    return out;
  }

  /** The value of pixel (x, y), unsigned for the integer types. */
  public double valueAt(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException("(" + x + "," + y + ") outside " + width + "x" + height);
    }
    int i = y * width + x;
    return switch (type) {
      case UINT8 -> pixels[i] & 0xFF;
      case UINT16 -> (pixels[2 * i] & 0xFF) | (pixels[2 * i + 1] & 0xFF) << 8;
      case FLOAT32 -> ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN).getFloat(4 * i);
    };
  }

  /** Sum of all pixel values (exact for the integer types up to 2^53). */
  public double sum() {
    if (type == PixelType.FLOAT32) {
      double s = 0;
      for (float v : toFloatArray()) {
        s += v;
      }
      return s;
    }
    long s = 0;
    if (type == PixelType.UINT8) {
      for (byte b : pixels) {
        s += b & 0xFF;
      }
    } else {
      for (int i = 0; i < pixels.length; i += 2) {
        s += (pixels[i] & 0xFF) | (pixels[i + 1] & 0xFF) << 8;
      }
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawPlane p
        && p.width == width
        && p.height == height
        && p.type == type
        && Arrays.equals(p.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, type, Arrays.hashCode(pixels));
  }

  @Override
  public String toString() {
    return "RawPlane[" + width + "x" + height + " " + type.wireName() + "]";
  }
}
