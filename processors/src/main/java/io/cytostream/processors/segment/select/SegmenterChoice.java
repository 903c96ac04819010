package io.cytostream.processors.segment.select;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which segmenter each FOV uses: a default plus per-FOV overrides, and where the learned model
 * lives. Pure configuration; {@link Segmenters#open} turns it into segmenters.
 *
 * @param defaultName the segmenter of FOVs without an override: {@code classical} or {@code model}
 * @param perFov per-FOV overrides, FOV id to segmenter name
 * @param modelDir the SavedModel folder for {@code model}; null = the model bundled in the jar
 */
public record SegmenterChoice(String defaultName, Map<String, String> perFov, Path modelDir) {
  /** The name of the classical segmenter. */
  public static final String CLASSICAL = "classical";

  /** The name of the learned segmenter. */
  public static final String MODEL = "model";

  /**
   * Validates and normalises the names (lower case).
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public SegmenterChoice {
    defaultName = checked(defaultName == null ? CLASSICAL : defaultName, "default");
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<String, String> e :
        (perFov == null ? Map.<String, String>of() : perFov).entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("per-FOV segmenter: empty FOV id");
      }
      m.put(e.getKey(), checked(e.getValue(), "FOV " + e.getKey()));
    }
    perFov = Map.copyOf(m);
  }

  /** Every FOV uses {@code name}; the bundled model. */
  public static SegmenterChoice of(String name) {
    return new SegmenterChoice(name, Map.of(), null);
  }

  /** Every FOV uses the classical segmenter. */
  public static SegmenterChoice classical() {
    return of(CLASSICAL);
  }

  /**
   * Parses per-FOV overrides written {@code fov=name[,fov=name...]} (blank = none), as in {@code
   * --fov-segmenter} and {@code CYTOSTREAM_FOV_SEGMENTERS}.
   *
   * @throws IllegalArgumentException for a malformed entry or an unknown name
   */
  public static Map<String, String> parsePerFov(String spec) {
    Map<String, String> m = new TreeMap<>();
    if (spec == null || spec.isBlank()) {
      return m;
    }
    for (String part : spec.split(",")) {
      int eq = part.lastIndexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new IllegalArgumentException(
            "per-FOV segmenter '" + part.trim() + "' is not FOV=NAME (e.g. fov-1=model)");
      }
      m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return m;
  }

  /** The segmenter name of a FOV. */
  public String nameFor(String fov) {
    return perFov.getOrDefault(fov, defaultName);
  }

  /** Every name in use (the default and the overrides). */
  public Set<String> names() {
    Set<String> s = new TreeSet<>(perFov.values());
    s.add(defaultName);
    return s;
  }

  /** Whether some FOV uses the learned model. */
  public boolean usesModel() {
    return names().contains(MODEL);
  }

  /**
   * This choice with {@code fov} given segmenter {@code name}, unless it already has a choice of
   * its own.
   */
  public SegmenterChoice withFovDefault(String fov, String name) {
    if (perFov.containsKey(fov)) {
      return this;
    }
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>(perFov);
    m.put(fov, name);
    return new SegmenterChoice(defaultName, m, modelDir);
  }

  /** A copy using another model folder. */
  public SegmenterChoice withModelDir(Path dir) {
    return new SegmenterChoice(defaultName, perFov, dir);
  }

  private static String checked(String name, String what) {
    String n = Objects.requireNonNull(name, what).trim().toLowerCase(Locale.ROOT);
    if (!Segmenters.NAMES.contains(n)) {
      throw new IllegalArgumentException(
          "unknown segmenter '"
              + name
              + "' for "
              + what
              + " (known: "
              + String.join(", ", Segmenters.NAMES)
              + ")");
    }
    return n;
  }
}
