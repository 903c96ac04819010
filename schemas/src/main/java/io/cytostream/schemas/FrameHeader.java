package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Metadata of one frame: one 2-D plane of one channel of one field of view (FOV) at one time.
 *
 * <p>Wire form: the JSON header of the frame envelope (see {@link FrameCodec} and {@code
 * schemas/README.md}). Unknown fields are ignored so that newer producers can add fields.
 *
 * @param schemaVersion frame schema version; this code writes {@link FrameCodec#VERSION}
 * @param fov field of view id, e.g. {@code "exp42/pos03/gcamp"}; the Kafka key and the unit of
 *     order: everything stateful is per FOV
 * @param frameIndex 0-based frame number within the FOV, strictly increasing in acquisition order
 * @param acquisitionTime when the frame was exposed (UTC, ISO-8601 on the wire); may be null, then
 *     {@code frameIndex * intervalSeconds} from the FOV's first frame is used
 * @param width plane width in pixels (&gt; 0)
 * @param height plane height in pixels (&gt; 0)
 * @param pixelType {@code "uint8"}, {@code "uint16"} or {@code "float32"}; kept as text so that an
 *     unknown type reaches validation and the dead-letter topic with a reason
 * @param pixelSizeUm physical pixel size in micrometres (may be null)
 * @param intervalSeconds nominal frame interval in seconds (may be null)
 * @param channel channel name, e.g. {@code "fura2-340"} (may be null)
 * @param pixelRef claim check for frames sent by reference instead of inline (may be null; when set
 *     the inline pixel section is empty)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameHeader(
    int schemaVersion,
    String fov,
    long frameIndex,
    Instant acquisitionTime,
    int width,
    int height,
    String pixelType,
    Double pixelSizeUm,
    Double intervalSeconds,
    String channel,
    PixelRef pixelRef) {

  /**
   * A frame held in shared storage instead of inline (claim check).
   *
   * @param uri where the raw plane is, e.g. {@code s3://bucket/key} or {@code file:///...}
   * @param sha256 lower-case hex SHA-256 of the raw plane bytes
   * @param byteLength length of the raw plane in bytes
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PixelRef(String uri, String sha256, long byteLength) {}

  /** Header of an inline frame with the current schema version. */
  public static FrameHeader inline(
      String fov,
      long frameIndex,
      Instant acquisitionTime,
      int width,
      int height,
      PixelType type,
      Double pixelSizeUm,
      Double intervalSeconds,
      String channel) {
    return new FrameHeader(
        FrameCodec.VERSION,
        fov,
        frameIndex,
        acquisitionTime,
        width,
        height,
        type.wireName(),
        pixelSizeUm,
        intervalSeconds,
        channel,
        null);
  }
}
