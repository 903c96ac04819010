package io.cytostream.ingest.tiff;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a movie of gray planes from TIFF, one frame at a time, in frame order.
 *
 * <p>Two layouts are understood:
 *
 * <ul>
 *   <li><b>A folder of single-plane TIFFs</b>, as in the Cell Tracking Challenge ({@code t000.tif},
 *       {@code t0000.tif}, {@code mask000.tif}, {@code man_seg000.tif}, {@code man_track000.tif}):
 *       the files whose names are {@code <prefix><digits>.tif} or {@code .tiff} (case-insensitive),
 *       sorted by the number the digits spell, which is the frame number (gaps are kept: a missing
 *       {@code t017.tif} means no frame 17). Other files (e.g. {@code man_track.txt}) are ignored.
 *       All frame files must share one prefix, or a prefix must be given.
 *   <li><b>One multi-page TIFF</b>: page {@code p} is frame {@code p} (0-based). A single-page file
 *       is a movie of one frame.
 * </ul>
 *
 * <p>Pixels may be 8-bit unsigned, 16-bit unsigned or 32-bit float, one sample per pixel; any
 * compression TwelveMonkeys imageio-tiff decodes (none, LZW, deflate, PackBits, …). Frames are
 * decoded on demand: iterating holds one frame at a time, never the whole movie. An unreadable or
 * unsupported frame fails with a message naming the file (and page).
 *
 * <p>Not thread-safe. Close the reader to release the multi-page file; folder readers hold no open
 * file between frames.
 */
public final class TiffSequenceReader implements Iterable<TiffSequenceReader.Frame>, Closeable {

  /**
   * One frame of the movie.
   *
   * @param frameNumber the number parsed from the file name, or the 0-based page index
   * @param source the file it came from
   * @param plane its pixels
   */
  public record Frame(int frameNumber, Path source, RawPlane plane) {}

  private static final Pattern FRAME_FILE =
      Pattern.compile("^(.*?)(\\d+)\\.tiff?$", Pattern.CASE_INSENSITIVE);

  private final Path source;
  private final List<Integer> frameNumbers;
  private final List<Path> files; // folder layout; null for a multi-page file
  private final ImageInputStream stream; // multi-page layout; null for a folder
  private final ImageReader reader; // multi-page layout; null for a folder
  private boolean closed;

  private TiffSequenceReader(
      Path source,
      List<Integer> frameNumbers,
      List<Path> files,
      ImageInputStream stream,
      ImageReader reader) {
    this.source = source;
    this.frameNumbers = List.copyOf(frameNumbers);
    this.files = files == null ? null : List.copyOf(files);
    this.stream = stream;
    this.reader = reader;
  }

  /**
   * Opens a folder of single-plane TIFFs (all frame files must share one prefix) or a multi-page
   * TIFF file.
   *
   * @throws IllegalArgumentException when the folder holds no frame files, frame files with
   *     different prefixes, or two files with the same frame number
   * @throws IOException when the path does not exist or the file is not a readable TIFF
   */
  public static TiffSequenceReader open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    if (Files.isDirectory(path)) {
      return openFolder(path, null);
    }
    return openMultiPage(path);
  }

  /**
   * Opens the frames of a folder whose names are {@code prefix<digits>.tif[f]}, e.g. {@code "t"}
   * for the raw frames or {@code "man_seg"} for CTC segmentation ground truth (prefix compared
   * case-insensitively).
   *
   * @throws IllegalArgumentException when no file has that prefix, or two share a frame number
   * @throws IOException when the folder cannot be listed
   */
  public static TiffSequenceReader open(Path dir, String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    return openFolder(dir, prefix);
  }

  /**
   * Reads the first plane of one TIFF file (a single CTC frame or label image).
   *
   * @throws IOException naming the file when it is missing, unreadable or unsupported
   */
  public static RawPlane readPlane(Path file) throws IOException {
    try (TiffSequenceReader r = openMultiPage(file)) {
      return r.read(0).plane();
    }
  }

  private static TiffSequenceReader openFolder(Path dir, String prefix) throws IOException {
    TreeMap<String, List<Path>> byPrefix = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted(Comparator.comparing(Path::toString)).toList()) {
        Matcher m = FRAME_FILE.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p)) {
          byPrefix
              .computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(p);
        }
      }
    }
    if (prefix != null) {
      byPrefix.keySet().retainAll(List.of(prefix.toLowerCase(Locale.ROOT)));
    }
    if (byPrefix.isEmpty()) {
      throw new IllegalArgumentException(
          dir
              + ": no TIFF frames named "
              + (prefix == null ? "<prefix><digits>" : prefix + "<digits>")
              + ".tif");
    }
    if (byPrefix.size() > 1) {
      throw new IllegalArgumentException(
          dir
              + ": frame files with different prefixes "
              + byPrefix.keySet()
              + "; open(dir, prefix) selects one");
    }
    TreeMap<Integer, Path> byNumber = new TreeMap<>();
    for (Path p : byPrefix.firstEntry().getValue()) {
      Matcher m = FRAME_FILE.matcher(p.getFileName().toString());
      if (!m.matches()) {
        throw new IllegalStateException(p.toString());
      }
      int number;
      try {
        number = Integer.parseInt(m.group(2));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(p + ": frame number out of range", e);
      }
      Path previous = byNumber.put(number, p);
      if (previous != null) {
        throw new IllegalArgumentException(
            dir + ": frame " + number + " appears twice (" + previous + ", " + p + ")");
      }
    }
    return new TiffSequenceReader(
        dir, new ArrayList<>(byNumber.keySet()), new ArrayList<>(byNumber.values()), null, null);
  }

  private static TiffSequenceReader openMultiPage(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
    if (in == null) {
      throw new IOException(file + ": cannot open");
    }
    ImageReader reader = TiffPlanes.newReader();
    boolean ok = false;
    try {
      if (!reader.getOriginatingProvider().canDecodeInput(in)) {
        throw new IOException(file + ": not a TIFF file");
      }
      reader.setInput(in, false, true);
      int pages;
      try {
        pages = reader.getNumImages(true);
      } catch (IOException | RuntimeException e) {
        throw new IOException(file + ": unreadable TIFF: " + e.getMessage(), e);
      }
      if (pages < 1) {
        throw new IOException(file + ": TIFF without images");
      }
      List<Integer> numbers = new ArrayList<>(pages);
      for (int i = 0; i < pages; i++) {
        numbers.add(i);
      }
      ok = true;
      return new TiffSequenceReader(file, numbers, null, in, reader);
    } finally {
      if (!ok) {
        reader.dispose();
        in.close();
      }
    }
  }

  /** The folder or file this reader was opened on. */
  public Path source() {
    return source;
  }

  /** Number of frames. */
  public int frameCount() {
    return frameNumbers.size();
  }

  /** The frame numbers in reading order (ascending), unmodifiable. */
  public List<Integer> frameNumbers() {
    return frameNumbers;
  }

  /**
   * Decodes the frame at {@code position} (0 ≤ position &lt; {@link #frameCount()}; not the frame
   * number, which may have gaps).
   *
   * @throws IOException naming the file (and page) when it cannot be decoded or its pixel format is
   *     unsupported
   */
  public Frame read(int position) throws IOException {
    Objects.checkIndex(position, frameNumbers.size());
    int number = frameNumbers.get(position);
    if (files != null) {
      Path f = files.get(position);
      ImageInputStream in = ImageIO.createImageInputStream(f.toFile());
      if (in == null) {
        throw new IOException(f + ": cannot open");
      }
      ImageReader r = TiffPlanes.newReader();
      try (in) {
        if (!r.getOriginatingProvider().canDecodeInput(in)) {
          throw new IOException(f + ": not a TIFF file");
        }
        r.setInput(in, false, true);
        return new Frame(number, f, TiffPlanes.readPlane(r, 0, f.toString()));
      } finally {
        r.dispose();
      }
    }
    if (closed) {
      throw new IOException(source + ": reader closed");
    }
    return new Frame(
        number, source, TiffPlanes.readPlane(reader, position, source + " page " + position));
  }

  /**
   * Frames in order, decoded lazily. A decoding failure surfaces as an {@link UncheckedIOException}
   * from {@code next()}, whose cause names the file.
   */
  @Override
  public Iterator<Frame> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < frameNumbers.size();
      }

      @Override
      public Frame next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          return read(next++);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** The frames as a sequential, lazy stream (see {@link #iterator()}). */
  public Stream<Frame> stream() {
    return StreamSupport.stream(
        Spliterators.spliterator(
            iterator(),
            frameNumbers.size(),
            Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED),
        false);
  }

  /** Releases the multi-page file; a no-op for folders. Idempotent. */
  @Override
  public void close() throws IOException {
    if (reader != null && !closed) {
      closed = true;
      reader.dispose();
      stream.close();
    }
  }
}
