package io.cytostream.processors.track;

import io.cytostream.processors.segment.eval.CtcFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/** Test helpers for Cell Tracking Challenge folders: label images, track files, detections. */
final class CtcData {
  private CtcData() {}

  /** The shared data folder, or a skipped assumption when it is absent. */
  static Path sharedData() {
    Path data = CtcFiles.sharedData();
    Assumptions.assumeTrue(
        Files.isDirectory(data.resolve("ctc")),
        "shared CTC data not found at " + data.toAbsolutePath() + "; skipping real-data test");
    return data;
  }

  /** A label image: {@code labels[y * width + x]}, 0 = background. */
  record LabelImage(int width, int height, int[] labels) {
    int maxLabel() {
      int mx = 0;
      for (int v : labels) {
        mx = Math.max(mx, v);
      }
      return mx;
    }
  }

  /** One line {@code L B E P} of a CTC track file. */
  record CtcTrack(int label, int begin, int end, int parent) {}

  static LabelImage readLabels(Path tif) {
    try {
      BufferedImage img = ImageIO.read(tif.toFile());
      if (img == null) {
        throw new IOException("no ImageIO reader for " + tif);
      }
      Raster r = img.getRaster();
      int w = r.getWidth();
      int h = r.getHeight();
      int[] out = new int[w * h];
      DataBuffer db = r.getDataBuffer();
      if (db instanceof DataBufferUShort us && r.getNumBands() == 1 && us.getNumBanks() == 1) {
        short[] s = us.getData();
        if (s.length == w * h) {
          for (int k = 0; k < out.length; k++) {
            out[k] = s[k] & 0xFFFF;
          }
          return new LabelImage(w, h, out);
        }
      }
      r.getSamples(0, 0, w, h, 0, out);
      return new LabelImage(w, h, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeLabels16(Path tif, LabelImage img) {
    BufferedImage out =
        new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = out.getRaster();
    short[] s = ((DataBufferUShort) r.getDataBuffer()).getData();
    for (int k = 0; k < s.length; k++) {
      int v = img.labels()[k];
      if (v < 0 || v > 0xFFFF) {
        throw new IllegalArgumentException("label does not fit 16 bits: " + v);
      }
      s[k] = (short) v;
    }
    try {
      if (!ImageIO.write(out, "TIFF", tif.toFile())) {
        throw new IOException("no TIFF writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<CtcTrack> readTracks(Path file) {
    try {
      List<CtcTrack> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String t = line.trim();
        if (t.isEmpty()) {
          continue;
        }
        String[] p = t.split("\\s+");
        out.add(
            new CtcTrack(
                Integer.parseInt(p[0]),
                Integer.parseInt(p[1]),
                Integer.parseInt(p[2]),
                Integer.parseInt(p[3])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Per-label centroid (px, pixel centres at integer coordinates) and area (px); mean intensity is
   * taken from {@code intensity} when given, else 0. Sorted by label.
   */
  static List<Detection> detections(LabelImage labels, LabelImage intensity) {
    TreeMap<Integer, double[]> acc = new TreeMap<>();
    int w = labels.width();
    int[] lab = labels.labels();
    for (int k = 0; k < lab.length; k++) {
      int l = lab[k];
      if (l == 0) {
        continue;
      }
      double[] a = acc.computeIfAbsent(l, x -> new double[4]);
      a[0] += k % w;
      a[1] += k / w;
      a[2] += 1;
      a[3] += intensity == null ? 0 : intensity.labels()[k];
    }
    List<Detection> out = new ArrayList<>();
    acc.forEach((l, a) -> out.add(new Detection(l, a[0] / a[2], a[1] / a[2], a[2], a[3] / a[2])));
    return out;
  }

  static String ttt(int t) {
    return String.format(java.util.Locale.ROOT, "%03d", t);
  }
}
