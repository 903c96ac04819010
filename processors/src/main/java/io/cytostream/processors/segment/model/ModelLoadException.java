package io.cytostream.processors.segment.model;

/** The segmenter model is missing or cannot be loaded; the message names the path. */
public final class ModelLoadException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, with the model path
   * @param cause the underlying failure, or null
   */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
