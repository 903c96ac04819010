package io.cytostream.schemas;

import java.util.Optional;

/**
 * Pixel encodings a frame may carry. All are little-endian on the wire, one 2-D plane, row-major
 * (index = y * width + x).
 */
public enum PixelType {
  /** Unsigned 8-bit integer, 1 byte per pixel. */
  UINT8("uint8", 1),
  /** Unsigned 16-bit integer, little-endian, 2 bytes per pixel. */
  UINT16("uint16", 2),
  /** IEEE-754 32-bit float, little-endian, 4 bytes per pixel; NaN and infinities are invalid. */
  FLOAT32("float32", 4);

  private final String wireName;
  private final int bytesPerPixel;

  PixelType(String wireName, int bytesPerPixel) {
    this.wireName = wireName;
    this.bytesPerPixel = bytesPerPixel;
  }

  /** The name used in the frame header, e.g. {@code "uint16"}. */
  public String wireName() {
    return wireName;
  }

  /** Bytes per pixel on the wire. */
  public int bytesPerPixel() {
    return bytesPerPixel;
  }

  /**
   * Parses a header name, which must be exactly one of the documented lower-case names ({@code
   * "UINT16"} is refused like any other unknown name); empty when the name is unknown.
   */
  public static Optional<PixelType> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (PixelType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
