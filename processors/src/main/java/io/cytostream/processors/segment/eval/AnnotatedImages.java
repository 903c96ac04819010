package io.cytostream.processors.segment.eval;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.image.FloatImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder of single annotated images in the layout of {@code shared/data/train} ({@code
 * images/NAME.tif} one grey plane, {@code masks/NAME.tif} uint16 instance labels, {@code
 * manifest.csv} with columns {@code name,height,width,...,split,...}), and the service's
 * normalisation of one such image: median 3×3 on the raw plane, then {@link IntensityNormalizer}
 * with a fresh state (a single image is the first frame of its FOV, scaled by its own quartiles).
 */
public final class AnnotatedImages {
  /**
   * One image of a set.
   *
   * @param set the set's folder name
   * @param name the image name (no extension)
   * @param width width, px
   * @param height height, px
   * @param heldOut whether {@link DataSplits} holds it out
   */
  public record Entry(String set, String name, int width, int height, boolean heldOut) {}

  private AnnotatedImages() {}

  /** The entries of {@code dir/manifest.csv}, in file order, with their {@link DataSplits} side. */
  public static List<Entry> entries(Path dir) {
    String set = dir.getFileName().toString();
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve("manifest.csv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Integer> col = new HashMap<>();
    String[] head = lines.get(0).split(",", -1);
    for (int i = 0; i < head.length; i++) {
      col.put(head[i].trim(), i);
    }
    List<Entry> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      String name = f[col.get("name")];
      int w = Integer.parseInt(f[col.get("width")].trim());
      int h = Integer.parseInt(f[col.get("height")].trim());
      String split = col.containsKey("split") ? f[col.get("split")] : "";
      out.add(new Entry(set, name, w, h, DataSplits.heldOut(set, name, w, h, split)));
    }
    return out;
  }

  /** The raw plane of an entry, as float raw counts. */
  public static FloatImage raw(Path dir, Entry e) {
    RawPlane p = read(dir.resolve("images").resolve(e.name() + ".tif"));
    return new FloatImage(p.width(), p.height(), p.toFloatArray());
  }

  /** The instance labels of an entry (0 = background), row-major. */
  public static int[] labels(Path dir, Entry e) {
    return CtcFiles.readLabels(dir.resolve("masks").resolve(e.name() + ".tif"), new int[2]);
  }

  /**
   * The service's normalisation of one image in raw counts: median 3×3, then a fresh {@link
   * IntensityNormalizer#defaults()} state folded with this plane alone.
   */
  public static FloatImage normalizeSingle(FloatImage raw) {
    float[] med = MedianFilter3x3.sequential().float32(raw.data(), raw.width(), raw.height());
    IntensityNormalizer norm = IntensityNormalizer.defaults();
    return norm.step(norm.initial(), new FloatImage(raw.width(), raw.height(), med)).normalized();
  }

  private static RawPlane read(Path p) {
    try {
      return TiffSequenceReader.readPlane(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
