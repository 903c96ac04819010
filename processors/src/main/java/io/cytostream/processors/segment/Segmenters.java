package io.cytostream.processors.segment;

import java.util.List;
import java.util.Locale;

/**
 * Segmenters by name, as chosen in configuration ({@code cytostream.segmenter}, {@code
 * --segmenter}).
 */
public final class Segmenters {
  /** The names {@link #create} knows. */
  public static final List<String> NAMES = List.of("classical");

  private Segmenters() {}

  /**
   * A new segmenter.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Segmenter create(String name, SegmentationConfig config) {
    String n = name == null ? "classical" : name.toLowerCase(Locale.ROOT);
    if (n.equals("classical")) {
      return new ClassicalSegmenter(config);
    }
    throw new IllegalArgumentException(
        "unknown segmenter '" + name + "' (known: " + String.join(", ", NAMES) + ")");
  }
}
