package io.cytostream.schemas;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar of a field-of-view id, the key of every frame: one to eight segments joined by {@code
 * /}, each segment 1–64 characters of {@code A–Z a–z 0–9 . _ + - : @ =}, not {@code .} or {@code
 * ..}; at most 200 characters in all. Examples: {@code exp42/pos03/gcamp}, {@code demo/fov-1},
 * {@code Fluo-N2DH-SIM+/01}. No spaces, no control characters, no empty segment, no leading or
 * trailing slash, so an id can be printed, used in a URL path once encoded, and compared byte for
 * byte.
 */
public final class FovId {
  /** Longest id, in characters. */
  public static final int MAX_LENGTH = 200;

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+:@=-]{1,64}");
  private static final int MAX_SEGMENTS = 8;

  private FovId() {}

  /** Why {@code fov} is not a valid id, or empty when it is. */
  public static Optional<String> violation(String fov) {
    if (fov == null || fov.isEmpty()) {
      return Optional.of("empty fov");
    }
    if (fov.length() > MAX_LENGTH) {
      return Optional.of("fov longer than " + MAX_LENGTH + " characters");
    }
    String[] segments = fov.split("/", -1);
    if (segments.length > MAX_SEGMENTS) {
      return Optional.of("fov '" + fov + "' has more than " + MAX_SEGMENTS + " segments");
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
        return Optional.of(
            "fov '"
                + fov
                + "' breaks the FOV grammar: segments of A-Z a-z 0-9 . _ + - : @ = joined by '/'");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code fov} follows the grammar. */
  public static boolean isValid(String fov) {
    return violation(fov).isEmpty();
  }
}
