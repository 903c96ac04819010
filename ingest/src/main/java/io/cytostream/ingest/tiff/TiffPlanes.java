package io.cytostream.ingest.tiff;

import io.cytostream.schemas.PixelType;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;

/** Conversions between ImageIO images and {@link RawPlane}s, and the choice of TIFF plugin. */
final class TiffPlanes {
  private static final String TWELVEMONKEYS = "com.twelvemonkeys.";

  private TiffPlanes() {}

  /** A TIFF reader, TwelveMonkeys' when it is registered (the JDK also ships one). */
  static ImageReader newReader() {
    ImageReader fallback = null;
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
      ImageReader r = it.next();
      if (r.getClass().getName().startsWith(TWELVEMONKEYS)) {
        return r;
      }
      if (fallback == null) {
        fallback = r;
      }
    }
    if (fallback == null) {
      throw new IllegalStateException("no TIFF ImageReader registered with ImageIO");
    }
    return fallback;
  }

  /** A TIFF writer, TwelveMonkeys' when it is registered. */
  static ImageWriter newWriter() {
    ImageWriter fallback = null;
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith(TWELVEMONKEYS)) {
        return w;
      }
      if (fallback == null) {
        fallback = w;
      }
    }
    if (fallback == null) {
      throw new IllegalStateException("no TIFF ImageWriter registered with ImageIO");
    }
    return fallback;
  }

  /**
   * Decodes page {@code page} of the reader's input as a plane.
   *
   * <p>Float samples are read with {@link ImageReader#readRaster}, which TwelveMonkeys leaves
   * unnormalised ({@code read} clamps them to [0, 1] for display); integer samples with {@link
   * ImageReader#read}, which applies the photometric interpretation (e.g. WhiteIsZero).
   *
   * @param label the file (and page) named in error messages
   * @throws IOException naming {@code label} when the page cannot be decoded or is not 8-bit
   *     unsigned, 16-bit unsigned or 32-bit float gray
   */
  static RawPlane readPlane(ImageReader reader, int page, String label) throws IOException {
    try {
      ImageTypeSpecifier raw = reader.getRawImageType(page);
      if (raw != null
          && raw.getSampleModel().getDataType() == DataBuffer.TYPE_FLOAT
          && reader.canReadRaster()) {
        return toPlane(reader.readRaster(page, null), raw.getColorModel(), label);
      }
      BufferedImage image = reader.read(page);
      return toPlane(image.getRaster(), image.getColorModel(), label);
    } catch (IIOException e) {
      throw new IOException(label + ": cannot decode: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IOException(label + ": cannot decode: " + e, e);
    }
  }

  private static RawPlane toPlane(Raster r, ColorModel colorModel, String where)
      throws IOException {
    int w = r.getWidth();
    int h = r.getHeight();
    if (r.getNumBands() != 1) {
      throw new IOException(
          where + ": " + r.getNumBands() + " samples per pixel; only single-channel gray is read");
    }
    if (colorModel instanceof IndexColorModel) {
      throw new IOException(where + ": palette (indexed colour) image; only gray is read");
    }
    int bits = r.getSampleModel().getSampleSize(0);
    int dataType = r.getDataBuffer().getDataType();
    PixelType type;
    if (dataType == DataBuffer.TYPE_BYTE && bits == 8) {
      type = PixelType.UINT8;
    } else if (dataType == DataBuffer.TYPE_USHORT && bits == 16) {
      type = PixelType.UINT16;
    } else if (dataType == DataBuffer.TYPE_FLOAT && bits == 32) {
      type = PixelType.FLOAT32;
    } else {
      throw new IOException(
          where
              + ": unsupported sample format ("
              + bits
              + "-bit, "
              + dataTypeName(dataType)
              + "); supported: 8-bit unsigned, 16-bit unsigned, 32-bit float gray");
    }
    boolean packed =
        r.getSampleModel() instanceof ComponentSampleModel csm
            && csm.getPixelStride() == 1
            && csm.getScanlineStride() == w
            && csm.getBandOffsets()[0] == 0
            && r.getSampleModelTranslateX() == 0
            && r.getSampleModelTranslateY() == 0
            && r.getDataBuffer().getNumBanks() == 1
            && r.getDataBuffer().getOffset() == 0;
    int n = w * h;
    switch (type) {
      case UINT8 -> {
        byte[] px =
            packed
                ? ((DataBufferByte) r.getDataBuffer()).getData()
                : toBytes(r.getSamples(0, 0, w, h, 0, (int[]) null));
        return new RawPlane(w, h, type, Arrays.copyOf(px, n));
      }
      case UINT16 -> {
        short[] px;
        if (packed) {
          px = ((DataBufferUShort) r.getDataBuffer()).getData();
        } else {
          int[] s = r.getSamples(0, 0, w, h, 0, (int[]) null);
          px = new short[n];
          for (int i = 0; i < n; i++) {
            px[i] = (short) s[i];
          }
        }
        return RawPlane.ofUint16(w, h, px.length == n ? px : Arrays.copyOf(px, n));
      }
      default -> {
        float[] px =
            packed
                ? ((DataBufferFloat) r.getDataBuffer()).getData()
                : r.getSamples(0, 0, w, h, 0, (float[]) null);
        return RawPlane.ofFloat32(w, h, px.length == n ? px : Arrays.copyOf(px, n));
      }
    }
  }

  private static byte[] toBytes(int[] samples) {
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = (byte) samples[i];
    }
    return out;
  }

  private static String dataTypeName(int dataType) {
    return switch (dataType) {
      case DataBuffer.TYPE_BYTE -> "unsigned byte";
      case DataBuffer.TYPE_USHORT -> "unsigned short";
      case DataBuffer.TYPE_SHORT -> "signed short";
      case DataBuffer.TYPE_INT -> "int";
      case DataBuffer.TYPE_FLOAT -> "float";
      case DataBuffer.TYPE_DOUBLE -> "double";
      default -> "data type " + dataType;
    };
  }
}
