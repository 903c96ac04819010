package io.cytostream.processors.evaluate;

import io.cytostream.processors.segment.eval.CtcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The evaluation's work folders: frame subsets of a sequence, and clearing a run's folder. */
final class RunFolders {
  private RunFolders() {}

  /** A folder with links to the files of {@code dir} whose frame number is below {@code n}. */
  static Path subset(Path dir, Pattern pattern, int n, Path target) throws IOException {
    return subset(dir, pattern, n, target, false);
  }

  /**
   * A folder with links to (or copies of) the files of {@code dir} whose frame number is below
   * {@code n}.
   */
  static Path subset(Path dir, Pattern pattern, int n, Path target, boolean copy)
      throws IOException {
    Files.createDirectories(target);
    for (Path f : CtcFiles.numbered(dir, pattern)) {
      if (CtcFiles.number(f, pattern) < n) {
        Path link = target.resolve(f.getFileName().toString());
        if (copy) {
          Files.copy(f, link);
          continue;
        }
        try {
          Files.createSymbolicLink(link, f.toAbsolutePath());
        } catch (UnsupportedOperationException | IOException e) {
          Files.copy(f, link);
        }
      }
    }
    return target;
  }

  /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> st = Files.walk(dir)) {
      for (Path p : st.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
