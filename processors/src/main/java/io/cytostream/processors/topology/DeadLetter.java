package io.cytostream.processors.topology;

import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that a stage could not process: the bytes it received, unchanged, and why. Written to
 * {@link Topics#FRAMES_DLQ} with the reason, stage and source coordinates as headers.
 *
 * @param key original key bytes (may be null)
 * @param value original value bytes (may be null)
 * @param stage the stage that refused it, e.g. {@code decode}, {@code image}
 * @param reason human-readable reason
 * @param kind short machine-readable reason class for metrics, e.g. {@code bad_envelope}
 * @param topic source topic, when known
 * @param partition source partition, or -1
 * @param offset source offset, or -1
 */
public record DeadLetter(
    byte[] key,
    byte[] value,
    String stage,
    String reason,
    String kind,
    String topic,
    int partition,
    long offset) {

  /** The DLQ headers of this dead letter. */
  public Headers headers() {
    RecordHeaders h = new RecordHeaders();
    h.add(Topics.DLQ_REASON, utf8(reason));
    h.add(Topics.DLQ_STAGE, utf8(stage));
    h.add(Topics.DLQ_KIND, utf8(kind));
    if (topic != null) {
      h.add(Topics.DLQ_TOPIC, utf8(topic));
    }
    h.add(Topics.DLQ_PARTITION, utf8(Integer.toString(partition)));
    h.add(Topics.DLQ_OFFSET, utf8(Long.toString(offset)));
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
