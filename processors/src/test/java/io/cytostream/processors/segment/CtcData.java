package io.cytostream.processors.segment;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.eval.CtcFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Test helper for Cell Tracking Challenge folders: reads 16-bit TIFF frames and label images with
 * plain ImageIO (TwelveMonkeys' TIFF plugin) and writes 16-bit label TIFFs.
 */
public final class CtcData {
  private CtcData() {}

  /** The shared data folder ({@code cytostream.shared} system property, else ../../shared). */
  public static Path sharedData() {
    return CtcFiles.sharedData();
  }

  /** Reads a single-plane gray TIFF as float samples (raw units). */
  public static FloatImage readFloat(Path p) {
    Raster r = read(p).getRaster();
    int w = r.getWidth();
    int h = r.getHeight();
    float[] out = new float[w * h];
    r.getSamples(0, 0, w, h, 0, out);
    return new FloatImage(w, h, out);
  }

  /** Reads a 16-bit TIFF as unsigned samples in a short[] (row-major). */
  public static short[] readUint16(Path p, int[] sizeOut) {
    BufferedImage img = read(p);
    sizeOut[0] = img.getWidth();
    sizeOut[1] = img.getHeight();
    if (img.getRaster().getDataBuffer() instanceof DataBufferUShort d
        && img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
      return d.getData().clone();
    }
    int[] s = img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
    short[] out = new short[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (short) s[i];
    }
    return out;
  }

  /** Reads a label TIFF (0 = background) as raw labels (not relabelled). */
  public static int[] readLabels(Path p, int[] sizeOut) {
    BufferedImage img = read(p);
    sizeOut[0] = img.getWidth();
    sizeOut[1] = img.getHeight();
    return img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
  }

  /** Writes labels as a 16-bit gray TIFF (labels must be below 65536). */
  public static void writeLabels(Path p, int w, int h, int[] labels) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    short[] d = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 65535) {
        throw new IllegalArgumentException("label above 65535");
      }
      d[i] = (short) labels[i];
    }
    try {
      if (!ImageIO.write(img, "tiff", p.toFile())) {
        throw new IllegalStateException("no TIFF writer on the classpath");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frames {@code tTTT.tif} of a sequence folder, sorted by TTT. */
  public static List<Path> frames(Path dir) {
    return numbered(dir, Pattern.compile("t(\\d+)\\.tif"));
  }

  /** Files of a folder matching {@code pattern} (group 1 = frame number), sorted by number. */
  public static List<Path> numbered(Path dir, Pattern pattern) {
    return CtcFiles.numbered(dir, pattern);
  }

  /** The frame number in a file name. */
  public static int number(Path f, Pattern pattern) {
    return CtcFiles.number(f, pattern);
  }

  /** {@code maskTTT.tif} name for frame t (3 digits, or 4 when t >= 1000). */
  public static String maskName(int t) {
    return String.format(Locale.ROOT, t >= 1000 ? "mask%04d.tif" : "mask%03d.tif", t);
  }

  /** A label image as raw ints (for writing). */
  public static int[] labelsOf(LabelImage l) {
    return l.labels();
  }

  private static BufferedImage read(Path p) {
    try {
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new IllegalStateException("no ImageIO reader for " + p);
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
