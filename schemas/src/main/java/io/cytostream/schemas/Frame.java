package io.cytostream.schemas;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A frame as it travels on {@code frames.raw}: its header and the raw little-endian pixel plane.
 *
 * <p>The record does not validate the plane against the header: a frame with a wrong byte count or
 * an unknown pixel type must still be representable so that the pipeline can route it to the
 * dead-letter topic with a reason. Use {@link #validationError()} to check.
 *
 * @param header metadata
 * @param pixels raw plane, row-major, little-endian; empty for frames sent by reference
 */
public record Frame(FrameHeader header, byte[] pixels) {

  public Frame {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(pixels, "pixels");
  }

  /** The pixel type, when the header names a known one. */
  public Optional<PixelType> pixelType() {
    return PixelType.fromWireName(header.pixelType());
  }

  /**
   * Why this frame cannot be processed, or empty when it can: a FOV id that breaks {@link FovId},
   * negative index, bad dimensions, unknown pixel type, byte count that does not match width ×
   * height × bytes per pixel, or NaN/infinite values in a float32 plane. A frame by reference whose
   * plane is not loaded yet (empty pixel section) passes when its {@code pixelRef.byteLength} is
   * the plane's size; {@link ClaimCheck#load} reads and verifies the plane, and the loaded frame is
   * checked like an inline one. (Header field types are checked earlier, on the JSON, by {@link
   * FrameHeaderRules}.)
   */
  public Optional<String> validationError() {
    return rejection().map(FrameRejectedException::getMessage);
  }

  /** As {@link #validationError()}, with the {@link DeadLetterKind} of the rejection. */
  public Optional<FrameRejectedException> rejection() {
    FrameHeader h = header;
    if (h.fov() == null || h.fov().isEmpty()) {
      return reject(DeadLetterKind.MISSING_FIELD, "missing fov");
    }
    Optional<String> badFov = FovId.violation(h.fov());
    if (badFov.isPresent()) {
      return reject(DeadLetterKind.INVALID_FOV, badFov.get());
    }
    if (h.frameIndex() < 0) {
      return reject(DeadLetterKind.INVALID_VALUE, "negative frameIndex " + h.frameIndex());
    }
    if (h.width() <= 0 || h.height() <= 0) {
      return reject(DeadLetterKind.INVALID_VALUE, "invalid size " + h.width() + "x" + h.height());
    }
    Optional<PixelType> type = pixelType();
    if (type.isEmpty()) {
      return reject(
          DeadLetterKind.UNKNOWN_PIXEL_TYPE,
          "unknown pixelType '" + h.pixelType() + "' (uint8, uint16, float32)");
    }
    long expected = (long) h.width() * h.height() * type.get().bytesPerPixel();
    if (h.pixelRef() != null && pixels.length == 0) {
      // by reference, not loaded yet: the reference is checked (ClaimCheck.load reads the plane)
      if (h.pixelRef().byteLength() != expected) {
        return reject(
            DeadLetterKind.WRONG_BYTE_COUNT,
            "pixelRef.byteLength "
                + h.pixelRef().byteLength()
                + " does not match "
                + h.width()
                + "x"
                + h.height()
                + " "
                + type.get().wireName()
                + " ("
                + expected
                + " bytes)");
      }
      return Optional.empty();
    }
    return planeRejection(expected, type.get());
  }

  /** The checks of the pixel plane itself: its length, and finite values in a float32 plane. */
  private Optional<FrameRejectedException> planeRejection(long expected, PixelType type) {
    FrameHeader h = header;
    if (pixels.length != expected) {
      return reject(
          DeadLetterKind.WRONG_BYTE_COUNT,
          "pixel byte count "
              + pixels.length
              + " does not match "
              + h.width()
              + "x"
              + h.height()
              + " "
              + type.wireName()
              + " ("
              + expected
              + " bytes)");
    }
    if (type == PixelType.FLOAT32) {
      for (int i = 0; i < pixels.length; i += 4) {
        int bits =
            (pixels[i] & 0xff)
                | (pixels[i + 1] & 0xff) << 8
                | (pixels[i + 2] & 0xff) << 16
                | (pixels[i + 3] & 0xff) << 24;
        float v = Float.intBitsToFloat(bits);
        if (!Float.isFinite(v)) {
          int px = i / 4;
          return reject(
              DeadLetterKind.NON_FINITE,
              "non-finite value "
                  + v
                  + " at pixel ("
                  + (px % h.width())
                  + ","
                  + (px / h.width())
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<FrameRejectedException> reject(DeadLetterKind kind, String reason) {
    return Optional.of(new FrameRejectedException(kind, reason));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && header.equals(f.header) && Arrays.equals(pixels, f.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * header.hashCode() + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "Frame[" + header + ", " + pixels.length + " bytes]";
  }
}
