package io.cytostream.processors.segment.eval;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cell Tracking Challenge folders: numbered files, label images, and frames normalised exactly as
 * the service does it (median 3×3 on the raw uint16 plane, then {@link IntensityNormalizer} with
 * its default per-sequence calibration window).
 */
public final class CtcFiles {
  private static final Pattern FRAME = Pattern.compile("t(\\d+)\\.tif");

  private CtcFiles() {}

  /** The shared data folder ({@code cytostream.shared} system property, else ../../shared). */
  public static Path sharedData() {
    return Path.of(System.getProperty("cytostream.shared", "../../shared")).resolve("data");
  }

  /** Files of a folder matching {@code pattern} (group 1 = frame number), sorted by number. */
  public static List<Path> numbered(Path dir, Pattern pattern) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(f -> pattern.matcher(f.getFileName().toString()).matches()).forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort((a, b) -> Integer.compare(number(a, pattern), number(b, pattern)));
    return out;
  }

  /** The frame number in a file name. */
  public static int number(Path f, Pattern pattern) {
    Matcher m = pattern.matcher(f.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(f.toString());
    }
    return Integer.parseInt(m.group(1));
  }

  /** Reads a label TIFF (0 = background) as raw unsigned labels; size[0]=w, size[1]=h. */
  public static int[] readLabels(Path p, int[] size) {
    RawPlane plane = read(p);
    size[0] = plane.width();
    size[1] = plane.height();
    short[] s = plane.toShortArray();
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = Short.toUnsignedInt(s[i]);
    }
    return out;
  }

  /** The frame numbers of the annotated SEG ground truth ({@code SEG/man_segTTT.tif}). */
  public static List<Integer> segFrames(Path gtDir) {
    Pattern seg = Pattern.compile("man_seg(\\d+)\\.tif");
    return numbered(gtDir.resolve("SEG"), seg).stream().map(f -> number(f, seg)).toList();
  }

  /** The SEG ground truth of frame t. */
  public static int[] segLabels(Path gtDir, int t, int[] size) {
    return readLabels(
        gtDir.resolve("SEG").resolve(String.format(java.util.Locale.ROOT, "man_seg%03d.tif", t)),
        size);
  }

  /**
   * Normalised planes of the frames of a sequence for which {@code wanted} holds, keyed by frame
   * number (the calibration frames are always read, as they set the scale).
   */
  public static TreeMap<Integer, FloatImage> normalizedFrames(Path seqDir, IntPredicate wanted) {
    IntensityNormalizer norm = IntensityNormalizer.defaults();
    NormalizerState state = norm.initial();
    MedianFilter3x3 median = MedianFilter3x3.sequential();
    TreeMap<Integer, FloatImage> out = new TreeMap<>();
    for (Path f : numbered(seqDir, FRAME)) {
      int t = number(f, FRAME);
      boolean want = wanted.test(t);
      if (!want && state.frozen()) {
        continue;
      }
      RawPlane raw = read(f);
      short[] med = median.uint16(raw.toShortArray(), raw.width(), raw.height());
      float[] mf = new float[med.length];
      for (int k = 0; k < mf.length; k++) {
        mf[k] = med[k] & 0xFFFF;
      }
      IntensityNormalizer.Step step =
          norm.step(state, new FloatImage(raw.width(), raw.height(), mf));
      state = step.state();
      if (want) {
        out.put(t, step.normalized());
      }
    }
    return out;
  }

  private static RawPlane read(Path p) {
    try {
      return TiffSequenceReader.readPlane(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
