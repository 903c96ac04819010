package io.cytostream.schemas;

import java.util.Objects;

/**
 * A record that is not a frame this service can process, with the stable {@link DeadLetterKind}
 * that the dead-letter topic and its counter carry. An {@link IllegalArgumentException}, so that
 * callers that only need "bad input" can catch that.
 */
public final class FrameRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final DeadLetterKind kind;

  /**
   * @param kind why, in one stable word
   * @param reason human-readable reason, naming the field and the value where there is one
   */
  public FrameRejectedException(DeadLetterKind kind, String reason) {
    super(reason);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @param kind why, in one stable word
   * @param reason human-readable reason
   * @param cause the underlying failure
   */
  public FrameRejectedException(DeadLetterKind kind, String reason, Throwable cause) {
    super(reason, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** The stable kind of the rejection. */
  public DeadLetterKind kind() {
    return kind;
  }
}
