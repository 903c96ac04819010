package io.cytostream.processors.segment.select;

import io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter;
import io.cytostream.processors.segment.model.ScaleCalibratedSegmenter;
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
 * @param modelScale the training scale {@code model} FOVs are brought to, from each FOV's object
 *     size calibrated with its normaliser ({@link ScaleCalibratedSegmenter}); null = every FOV
 *     segmented at its own scale
 */
public record SegmenterChoice(
    String defaultName,
    Map<String, String> perFov,
    Path modelDir,
    ScaleAdaptiveSegmenter.Scale modelScale) {
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

  /** With the bundled model's training scale ({@link ScaleCalibratedSegmenter#BUNDLED_SCALE}). */
  public SegmenterChoice(String defaultName, Map<String, String> perFov, Path modelDir) {
    this(defaultName, perFov, modelDir, ScaleCalibratedSegmenter.BUNDLED_SCALE);
  }

  /**
   * Parses a {@code --segmenter-scale} value: {@code auto} (or blank: the bundled model's scale),
   * {@code off} (null), or {@code TARGET,LOW,HIGH} in px.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static ScaleAdaptiveSegmenter.Scale parseScale(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("auto")) {
      return ScaleCalibratedSegmenter.BUNDLED_SCALE;
    }
    if (spec.trim().equalsIgnoreCase("off")) {
      return null;
    }
    String[] p = spec.split(",");
    try {
      if (p.length == 3) {
        ScaleAdaptiveSegmenter.Scale d = ScaleCalibratedSegmenter.BUNDLED_SCALE;
        return new ScaleAdaptiveSegmenter.Scale(
            Double.parseDouble(p[0].trim()),
            Double.parseDouble(p[1].trim()),
            Double.parseDouble(p[2].trim()),
            d.maxFactor(),
            d.minObjects());
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "segmenter scale '" + spec.trim() + "' is not auto, off or TARGET,LOW,HIGH (px)");
  }

  /** A copy with another training scale (null = no rescaling). */
  public SegmenterChoice withModelScale(ScaleAdaptiveSegmenter.Scale scale) {
    return new SegmenterChoice(defaultName, perFov, modelDir, scale);
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
    return new SegmenterChoice(defaultName, m, modelDir, modelScale);
  }

  /** A copy using another model folder. */
  public SegmenterChoice withModelDir(Path dir) {
    return new SegmenterChoice(defaultName, perFov, dir, modelScale);
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
