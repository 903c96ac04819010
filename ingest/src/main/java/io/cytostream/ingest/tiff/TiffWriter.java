package io.cytostream.ingest.tiff;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes one gray plane as a single-page baseline TIFF (one sample per pixel, BlackIsZero, one
 * strip set, no predictor) through ImageIO and TwelveMonkeys imageio-tiff.
 *
 * <p>UINT16 is the main use (frames and 16-bit label images in Cell Tracking Challenge layout);
 * UINT8 is written too. FLOAT32 is refused: TwelveMonkeys 3.12 cannot write float samples. The
 * files are read back by {@link TiffSequenceReader}, by Python {@code tifffile} (uncompressed and
 * {@link Compression#DEFLATE} need no extra codec; LZW does in Debian's build) and by the CTC
 * evaluator.
 */
public final class TiffWriter {

  /** Compression of the written strips. */
  public enum Compression {
    /** Uncompressed (TIFF compression 1): fastest, readable everywhere. */
    NONE("None"),
    /** Adobe deflate / zlib (TIFF compression 8): compact for label images, in every reader. */
    DEFLATE("ZLib"),
    /** LZW (TIFF compression 5), as the CTC data sets use. */
    LZW("LZW");

    private final String imageIoName;

    Compression(String imageIoName) {
      this.imageIoName = imageIoName;
    }
  }

  private TiffWriter() {}

  /** Writes {@code plane} uncompressed, replacing {@code file}. */
  public static void write(Path file, RawPlane plane) throws IOException {
    write(file, plane, Compression.NONE);
  }

  /**
   * Writes unsigned 16-bit samples ({@code short}s read unsigned, row-major) as a UINT16 TIFF.
   *
   * @throws IllegalArgumentException when {@code samples.length != width * height}
   */
  public static void writeUint16(
      Path file, int width, int height, short[] samples, Compression compression)
      throws IOException {
    if (width < 1 || height < 1 || (long) width * height != samples.length) {
      throw new IllegalArgumentException(
          samples.length + " samples do not make a " + width + "x" + height + " plane");
    }
    write(
        file, image(width, height, new DataBufferUShort(samples, samples.length), 16), compression);
  }

  /**
   * Writes a UINT8 or UINT16 {@code plane} with the given compression, replacing {@code file}.
   *
   * @throws IllegalArgumentException for a FLOAT32 plane
   */
  public static void write(Path file, RawPlane plane, Compression compression) throws IOException {
    Objects.requireNonNull(plane, "plane");
    int n = plane.pixelCount();
    BufferedImage image =
        switch (plane.type()) {
          case UINT8 ->
              image(plane.width(), plane.height(), new DataBufferByte(plane.pixels(), n), 8);
          case UINT16 ->
              image(
                  plane.width(), plane.height(), new DataBufferUShort(plane.toShortArray(), n), 16);
          case FLOAT32 ->
              throw new IllegalArgumentException(file + ": float32 TIFFs are not written");
        };
    write(file, image, compression);
  }

  private static BufferedImage image(int w, int h, DataBuffer buffer, int bits) {
    ColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            new int[] {bits},
            false,
            false,
            Transparency.OPAQUE,
            buffer.getDataType());
    WritableRaster raster =
        Raster.createWritableRaster(cm.createCompatibleSampleModel(w, h), buffer, null);
    return new BufferedImage(cm, raster, false, null);
  }

  private static void write(Path file, BufferedImage image, Compression compression)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(compression, "compression");
    ImageWriter writer = TiffPlanes.newWriter();
    Files.deleteIfExists(file);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      if (out == null) {
        throw new IOException(file + ": cannot open for writing");
      }
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionType(compression.imageIoName);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": cannot write TIFF: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }
}
