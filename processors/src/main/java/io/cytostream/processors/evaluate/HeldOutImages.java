package io.cytostream.processors.evaluate;

import io.cytostream.processors.segment.eval.DataSplits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The held-out images of an annotated set of {@code ../shared/data/train} (layout: {@code
 * images/NAME.tif}, {@code masks/NAME.tif}, {@code manifest.csv}), on the side {@link DataSplits}
 * holds out; the complement is what a segmenter may be trained on.
 */
public final class HeldOutImages {
  /** The annotated sets of {@code ../shared/data/train}. */
  public static final List<String> SETS =
      List.of("bbbc039", "dsb2018-stage1-fluo", "kromp-s-bsst265");

  /**
   * One held-out image.
   *
   * @param name file name without {@code .tif}
   * @param image the grey plane
   * @param mask its uint16 instance labels
   */
  public record Image(String name, Path image, Path mask) {}

  private HeldOutImages() {}

  /** The held-out images of {@code setDir}, sorted by name. */
  public static List<Image> of(Path setDir) throws IOException {
    String set = setDir.getFileName().toString();
    List<String> lines = Files.readAllLines(setDir.resolve("manifest.csv"), StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(setDir.resolve("manifest.csv") + " is empty");
    }
    List<String> header = Arrays.asList(lines.get(0).split(",", -1));
    int name = column(header, "name", setDir);
    int width = column(header, "width", setDir);
    int height = column(header, "height", setDir);
    int split = header.indexOf("split");
    List<Image> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] p = line.split(",", -1);
      String n = p[name].trim();
      if (DataSplits.heldOut(
          set,
          n,
          Integer.parseInt(p[width].trim()),
          Integer.parseInt(p[height].trim()),
          split < 0 ? "" : p[split])) {
        out.add(
            new Image(
                n,
                setDir.resolve("images").resolve(n + ".tif"),
                setDir.resolve("masks").resolve(n + ".tif")));
      }
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  private static int column(List<String> header, String name, Path dir) throws IOException {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IOException(dir.resolve("manifest.csv") + " has no column " + name);
    }
    return i;
  }
}
