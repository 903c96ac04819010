package io.cytostream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Binary envelope of a frame (version 1), documented in {@code schemas/README.md}:
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "CSFR" (0x43 0x53 0x46 0x52)
 * 4       1     envelope version (1)
 * 5       4     header length H, uint32 little-endian
 * 9       H     header, UTF-8 JSON ({@link FrameHeader})
 * 9+H     rest  pixel plane, width*height*bytesPerPixel bytes, row-major, little-endian
 * </pre>
 */
public final class FrameCodec {
  /** Current envelope and header schema version. */
  public static final int VERSION = 1;

  static final byte[] MAGIC = {'C', 'S', 'F', 'R'};
  private static final int PREFIX = 9;

  /** Upper bound on the JSON header, to refuse garbage early. */
  static final int MAX_HEADER_BYTES = 64 * 1024;

  private FrameCodec() {}

  /** Encodes a frame into its envelope. */
  public static byte[] encode(Frame frame) {
    byte[] header;
    try {
      header = Json.mapper().writeValueAsBytes(frame.header());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode frame header: " + e.getMessage(), e);
    }
    ByteBuffer out =
        ByteBuffer.allocate(PREFIX + header.length + frame.pixels().length)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) VERSION).putInt(header.length).put(header).put(frame.pixels());
    return out.array();
  }

  /**
   * Decodes an envelope.
   *
   * @throws FrameRejectedException with a reason and a {@link DeadLetterKind} when the bytes are
   *     not a frame envelope of a version this code reads, or its header breaks {@link
   *     FrameHeaderRules}
   */
  public static Frame decode(byte[] bytes) {
    if (bytes == null || bytes.length < PREFIX) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_ENVELOPE,
          "not a frame envelope: " + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_ENVELOPE, "not a frame envelope: bad magic (expected CSFR)");
    }
    int version = bytes[4] & 0xff;
    if (version < 1 || version > VERSION) {
      throw new FrameRejectedException(
          DeadLetterKind.UNSUPPORTED_ENVELOPE_VERSION,
          "unsupported frame envelope version "
              + version
              + " (this service reads 1.."
              + VERSION
              + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = Integer.toUnsignedLong(in.getInt(5));
    if (headerLength > MAX_HEADER_BYTES || PREFIX + headerLength > bytes.length) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_ENVELOPE,
          "frame header length "
              + headerLength
              + " exceeds the envelope ("
              + bytes.length
              + " bytes)");
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(bytes, PREFIX, (int) headerLength);
    } catch (IOException e) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_HEADER_JSON, "unreadable frame header JSON: " + e.getMessage(), e);
    }
    // Types are checked on the tree, before binding, so that nothing is coerced ("64" -> 64).
    FrameHeaderRules.check(tree);
    FrameHeader header;
    try {
      header = Json.mapper().treeToValue(tree, FrameHeader.class);
    } catch (IOException e) {
      throw new FrameRejectedException(
          DeadLetterKind.BAD_HEADER_JSON, "unreadable frame header JSON: " + e.getMessage(), e);
    }
    byte[] pixels = Arrays.copyOfRange(bytes, PREFIX + (int) headerLength, bytes.length);
    return new Frame(header, pixels);
  }
}
