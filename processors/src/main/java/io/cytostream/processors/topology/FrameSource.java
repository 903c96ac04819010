package io.cytostream.processors.topology;

import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a frame came from: its {@code frames.raw} record. The image stage writes it as headers
 * ({@link Topics#SOURCE_TOPIC}, {@link Topics#SOURCE_PARTITION}, {@link Topics#SOURCE_OFFSET}) on
 * the frame's {@code cells.observed} record, the track stage keeps it with the frame until the
 * frame is final and writes it on its {@code tracks} record, so that any later stage's dead letter
 * carries the original frame's coordinates.
 *
 * @param topic the source topic ({@code frames.raw})
 * @param partition its partition, or -1 when unknown
 * @param offset its offset, or -1 when unknown
 */
public record FrameSource(String topic, int partition, long offset) {

  /** The coordinates of the record being processed, when Kafka Streams knows them. */
  static Optional<FrameSource> of(Optional<RecordMetadata> m) {
    return m.map(r -> new FrameSource(r.topic(), r.partition(), r.offset()));
  }

  /** The source written on {@code headers}, when all three headers are there and readable. */
  public static Optional<FrameSource> from(Headers headers) {
    if (headers == null) {
      return Optional.empty();
    }
    String t = text(headers.lastHeader(Topics.SOURCE_TOPIC));
    String p = text(headers.lastHeader(Topics.SOURCE_PARTITION));
    String o = text(headers.lastHeader(Topics.SOURCE_OFFSET));
    if (t == null || p == null || o == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new FrameSource(t, Integer.parseInt(p), Long.parseLong(o)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Writes this source on {@code headers}, replacing any earlier one; returns them. */
  public Headers writeTo(Headers headers) {
    headers.remove(Topics.SOURCE_TOPIC);
    headers.remove(Topics.SOURCE_PARTITION);
    headers.remove(Topics.SOURCE_OFFSET);
    headers.add(Topics.SOURCE_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
    headers.add(
        Topics.SOURCE_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
    headers.add(Topics.SOURCE_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static String text(Header h) {
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
