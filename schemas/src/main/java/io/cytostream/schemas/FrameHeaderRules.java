package io.cytostream.schemas;

import static io.cytostream.schemas.DeadLetterKind.INVALID_FOV;
import static io.cytostream.schemas.DeadLetterKind.INVALID_VALUE;
import static io.cytostream.schemas.DeadLetterKind.MISSING_FIELD;
import static io.cytostream.schemas.DeadLetterKind.UNKNOWN_PIXEL_TYPE;
import static io.cytostream.schemas.DeadLetterKind.UNSUPPORTED_SCHEMA_VERSION;
import static io.cytostream.schemas.DeadLetterKind.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The wire rules of the frame header (version 1), applied to the JSON before it is bound to {@link
 * FrameHeader}, so that nothing is coerced: every required field present and of its JSON type,
 * {@code schemaVersion} a supported one, the pixel type named exactly, optional fields of their
 * type when present. Unknown fields are allowed (a newer producer may add fields). The table in
 * {@code schemas/README.md} is the same contract.
 */
public final class FrameHeaderRules {
  /** Header schema versions this code reads. */
  public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(FrameCodec.VERSION);

  private FrameHeaderRules() {}

  /**
   * Checks a header.
   *
   * @param h the parsed header JSON
   * @throws FrameRejectedException naming the first rule broken and its kind
   */
  public static void check(JsonNode h) {
    if (h == null || !h.isObject()) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_HEADER_JSON, "frame header is not a JSON object");
    }
    JsonNode version = required(h, "schemaVersion");
    requireInt(version, "schemaVersion");
    if (!version.canConvertToInt() || !SUPPORTED_VERSIONS.contains(version.intValue())) {
      throw new FrameRejectedException(
          UNSUPPORTED_SCHEMA_VERSION,
          "schemaVersion "
              + version
              + " is not supported (this service reads "
              + SUPPORTED_VERSIONS
              + ")");
    }
    JsonNode fov = required(h, "fov");
    requireText(fov, "fov");
    FovId.violation(fov.textValue())
        .ifPresent(
            v -> {
              throw new FrameRejectedException(INVALID_FOV, v);
            });
    JsonNode index = required(h, "frameIndex");
    requireInt(index, "frameIndex");
    if (!index.canConvertToLong() || index.longValue() < 0) {
      throw new FrameRejectedException(
          INVALID_VALUE, "frameIndex " + index + " must be an int >= 0");
    }
    for (String dim : new String[] {"width", "height"}) {
      JsonNode d = required(h, dim);
      requireInt(d, dim);
      if (!d.canConvertToInt() || d.intValue() <= 0) {
        throw new FrameRejectedException(INVALID_VALUE, dim + " " + d + " must be an int > 0");
      }
    }
    JsonNode type = required(h, "pixelType");
    requireText(type, "pixelType");
    if (PixelType.fromWireName(type.textValue()).isEmpty()) {
      throw new FrameRejectedException(
          UNKNOWN_PIXEL_TYPE,
          "unknown pixelType '" + type.textValue() + "' (uint8, uint16, float32, exactly)");
    }
    checkOptional(h);
  }

  private static void checkOptional(JsonNode h) {
    JsonNode time = present(h, "acquisitionTime");
    if (time != null) {
      requireText(time, "acquisitionTime");
      try {
        Instant.parse(time.textValue());
      } catch (DateTimeParseException e) {
        throw new FrameRejectedException(
            INVALID_VALUE,
            "acquisitionTime '" + time.textValue() + "' is not an ISO-8601 UTC instant");
      }
    }
    for (String positive : new String[] {"pixelSizeUm", "intervalSeconds"}) {
      JsonNode v = present(h, positive);
      if (v != null) {
        if (!v.isNumber()) {
          throw wrongType(positive, "a number", v);
        }
        if (!(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
          throw new FrameRejectedException(INVALID_VALUE, positive + " " + v + " must be > 0");
        }
      }
    }
    JsonNode channel = present(h, "channel");
    if (channel != null) {
      requireText(channel, "channel");
    }
    JsonNode ref = present(h, "pixelRef");
    if (ref != null) {
      if (!ref.isObject()) {
        throw wrongType("pixelRef", "an object", ref);
      }
      requireText(required(ref, "pixelRef.uri", "uri"), "pixelRef.uri");
      requireText(required(ref, "pixelRef.sha256", "sha256"), "pixelRef.sha256");
      JsonNode len = required(ref, "pixelRef.byteLength", "byteLength");
      requireInt(len, "pixelRef.byteLength");
      if (len.longValue() <= 0) {
        throw new FrameRejectedException(
            INVALID_VALUE, "pixelRef.byteLength " + len + " must be > 0");
      }
    }
  }

  private static JsonNode required(JsonNode h, String name) {
    return required(h, name, name);
  }

  private static JsonNode required(JsonNode h, String label, String name) {
    JsonNode v = h.get(name);
    if (v == null || v.isNull()) {
      throw new FrameRejectedException(MISSING_FIELD, "missing required header field " + label);
    }
    return v;
  }

  /** The field, or null when absent or JSON null (optional fields may be null). */
  private static JsonNode present(JsonNode h, String name) {
    JsonNode v = h.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private static void requireInt(JsonNode v, String name) {
    if (!v.isIntegralNumber()) {
      throw wrongType(name, "an integer", v);
    }
  }

  private static void requireText(JsonNode v, String name) {
    if (!v.isTextual()) {
      throw wrongType(name, "a string", v);
    }
  }

  private static FrameRejectedException wrongType(String name, String expected, JsonNode v) {
    return new FrameRejectedException(
        WRONG_TYPE,
        "header field "
            + name
            + " must be "
            + expected
            + ", got "
            + v.getNodeType().name().toLowerCase(Locale.ROOT)
            + " "
            + v);
  }
}
