package io.cytostream.processors.image;

import io.cytostream.processors.image.InvalidPlaneException.Reason;
import io.cytostream.schemas.PixelType;

/**
 * Decodes one raw little-endian 2-D plane as it travels on {@code frames.raw} (row-major, index =
 * {@code y * width + x}). Unsigned types keep their value range: a UINT16 sample 65535 decodes to
 * 65535 (in a {@code short[]} it is stored as {@code (short) 65535} and read back with {@code &
 * 0xFFFF}).
 *
 * <p>Every method validates first and throws {@link InvalidPlaneException} with a reason code when
 * the byte count does not match, the size is not positive, or a FLOAT32 sample is NaN/infinite.
 */
public final class PlaneDecoder {
  private PlaneDecoder() {}

  /**
   * Checks size and byte count.
   *
   * @throws InvalidPlaneException when they do not match
   */
  public static void validate(byte[] pixels, int width, int height, PixelType type) {
    if (type == null || pixels == null) {
      throw new InvalidPlaneException(
          Reason.MISSING, type == null ? "pixel type is null" : "pixel bytes are null");
    }
    if (width < 1 || height < 1) {
      throw new InvalidPlaneException(Reason.BAD_SIZE, "size " + width + "x" + height);
    }
    long n = (long) width * height;
    if (n > Integer.MAX_VALUE / 4) {
      throw new InvalidPlaneException(Reason.BAD_SIZE, "plane too large: " + n + " pixels");
    }
    long expected = n * type.bytesPerPixel();
    if (pixels.length != expected) {
      throw new InvalidPlaneException(
          Reason.WRONG_BYTE_COUNT,
          "expected "
              + expected
              + " bytes for "
              + width
              + "x"
              + height
              + " "
              + type.wireName()
              + ", got "
              + pixels.length);
    }
  }

  /** Decodes any supported type to float samples (raw units). */
  public static FloatImage toFloat(byte[] pixels, int width, int height, PixelType type) {
    validate(pixels, width, height, type);
    int n = width * height;
    float[] out = new float[n];
    switch (type) {
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = pixels[i] & 0xFF;
        }
      }
      case UINT16 -> {
        for (int i = 0, b = 0; i < n; i++, b += 2) {
          out[i] = (pixels[b] & 0xFF) | ((pixels[b + 1] & 0xFF) << 8);
        }
      }
      case FLOAT32 -> {
        for (int i = 0, b = 0; i < n; i++, b += 4) {
          int bits =
              (pixels[b] & 0xFF)
                  | ((pixels[b + 1] & 0xFF) << 8)
                  | ((pixels[b + 2] & 0xFF) << 16)
                  | ((pixels[b + 3] & 0xFF) << 24);
          float f = Float.intBitsToFloat(bits);
          if (!Float.isFinite(f)) {
            throw new InvalidPlaneException(
                Reason.NON_FINITE, "sample " + f + " at x=" + (i % width) + ", y=" + (i / width));
          }
          out[i] = f;
        }
      }
      default -> throw new InvalidPlaneException(Reason.MISSING, "unsupported type " + type);
    }
    return new FloatImage(width, height, out);
  }

  /** Decodes a UINT16 plane to unsigned samples held in a {@code short[]}. */
  public static short[] toUint16(byte[] pixels, int width, int height) {
    validate(pixels, width, height, PixelType.UINT16);
    int n = width * height;
    short[] out = new short[n];
    for (int i = 0, b = 0; i < n; i++, b += 2) {
      out[i] = (short) ((pixels[b] & 0xFF) | ((pixels[b + 1] & 0xFF) << 8));
    }
    return out;
  }

  /** Encodes unsigned 16-bit samples as little-endian bytes (the inverse of toUint16). */
  public static byte[] fromUint16(short[] samples) {
    byte[] out = new byte[samples.length * 2];
    for (int i = 0, b = 0; i < samples.length; i++, b += 2) {
      out[b] = (byte) samples[i];
      out[b + 1] = (byte) (samples[i] >>> 8);
    }
    return out;
  }

  /** Encodes float samples as little-endian IEEE-754 bytes. */
  public static byte[] fromFloat(float[] samples) {
    byte[] out = new byte[samples.length * 4];
    for (int i = 0, b = 0; i < samples.length; i++, b += 4) {
      int bits = Float.floatToRawIntBits(samples[i]);
      out[b] = (byte) bits;
      out[b + 1] = (byte) (bits >>> 8);
      out[b + 2] = (byte) (bits >>> 16);
      out[b + 3] = (byte) (bits >>> 24);
    }
    return out;
  }

  /** The largest representable sample of an integer type, or {@code Float.MAX_VALUE}. */
  public static double typeMax(PixelType type) {
    return switch (type) {
      case UINT8 -> 255;
      case UINT16 -> 65535;
      case FLOAT32 -> Float.MAX_VALUE;
    };
  }
}
