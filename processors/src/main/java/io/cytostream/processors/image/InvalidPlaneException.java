package io.cytostream.processors.image;

/**
 * A raw plane that cannot be decoded: wrong byte count, bad size, NaN or infinite samples. The
 * {@link #reason()} is a short machine-friendly code (for metrics and the dead-letter topic) and
 * the message says what was found.
 */
public final class InvalidPlaneException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a plane was rejected. */
  public enum Reason {
    /** Width or height below 1, or a plane larger than 2^31-1 pixels. */
    BAD_SIZE,
    /** The byte array length is not width * height * bytesPerPixel. */
    WRONG_BYTE_COUNT,
    /** A FLOAT32 sample is NaN or infinite. */
    NON_FINITE,
    /** Pixel type or pixel array missing. */
    MISSING
  }

  private final Reason reason;

  /**
   * @param reason the reason code
   * @param message what was found
   */
  public InvalidPlaneException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** The reason code. */
  public Reason reason() {
    return reason;
  }
}
