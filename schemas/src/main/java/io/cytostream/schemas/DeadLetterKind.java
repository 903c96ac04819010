package io.cytostream.schemas;

import java.util.Locale;

/**
 * Why a record went to {@code frames.dlq}: the stable value of the {@code cytostream.dlq.kind}
 * header and of the {@code kind} label of {@code cytostream_dead_letters_total}. The wire names
 * never change once published; new kinds may be added. {@code schemas/README.md} lists them.
 */
public enum DeadLetterKind {
  /** Not a frame envelope: too short, bad magic, or a header length beyond the record. */
  BAD_ENVELOPE,
  /** An envelope version byte this service does not read. */
  UNSUPPORTED_ENVELOPE_VERSION,
  /** The header is not a UTF-8 JSON object. */
  BAD_HEADER_JSON,
  /** A required header field is absent or JSON null. */
  MISSING_FIELD,
  /** A header field has the wrong JSON type (e.g. {@code "64"} for an int, 1.5 for an int). */
  WRONG_TYPE,
  /** {@code schemaVersion} is not one this service reads. */
  UNSUPPORTED_SCHEMA_VERSION,
  /** A field of the right type with a value out of its range (negative index, zero width...). */
  INVALID_VALUE,
  /** A FOV id that breaks the grammar of {@link FovId}. */
  INVALID_FOV,
  /** {@code pixelType} is not exactly one of the documented names. */
  UNKNOWN_PIXEL_TYPE,
  /** The pixel section's length is not width × height × bytes per pixel. */
  WRONG_BYTE_COUNT,
  /** NaN or infinity in a float32 plane. */
  NON_FINITE,
  /**
   * A malformed frame by reference ({@code pixelRef}): not a {@code file:} URI, bad checksum text,
   * inline pixels as well, over the size limit, or frames by reference not enabled.
   */
  BAD_PIXEL_REF,
  /** Record key absent or different from the header's {@code fov}. */
  BAD_KEY,
  /** A {@code pixelRef} file that does not exist (or cannot be read). */
  PIXEL_REF_NOT_FOUND,
  /** A {@code pixelRef} file whose length or SHA-256 differs from the header's. */
  PIXEL_REF_CHECKSUM_MISMATCH,
  /** A {@code pixelRef} path outside the directory the service may read. */
  PIXEL_REF_OUTSIDE_ROOT,
  /** A record that Kafka Streams could not deserialise at all. */
  UNREADABLE,
  /** A frame whose index is below what the tracker has already passed. */
  OUT_OF_ORDER,
  /** A frame index seen before for the same FOV. */
  DUPLICATE_FRAME,
  /** An exception inside a stage (a bug or an unforeseen input); the reason names it. */
  STAGE_ERROR,
  /** An exception that escaped a processor, caught by the processing exception handler. */
  PROCESSING_ERROR;

  /** The wire name, e.g. {@code wrong_byte_count}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
