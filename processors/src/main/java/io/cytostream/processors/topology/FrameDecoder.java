package io.cytostream.processors.topology;

import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameRejectedException;
import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First processor: decodes the frame envelope from raw bytes and validates it against its header
 * (key = FOV, byte count, pixel type, finite floats). A frame by reference ({@code pixelRef}) is
 * read from its file under the configured root and verified ({@link ClaimCheck#load}). Anything
 * wrong becomes a {@link DeadLetter} carrying the original bytes, never an exception that would
 * stop the stream.
 */
final class FrameDecoder implements Processor<byte[], byte[], String, Routed<Frame>> {
  static final String STAGE = "decode";
  private final Path pixelRefRoot;
  private final long maxPixelRefBytes;
  private ProcessorContext<String, Routed<Frame>> context;

  FrameDecoder(PipelineConfig config) {
    this.pixelRefRoot = config.pixelRefRoot();
    this.maxPixelRefBytes = config.maxPixelRefBytes();
  }

  @Override
  public void init(ProcessorContext<String, Routed<Frame>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Frame frame;
    try {
      frame = FrameCodec.decode(record.value());
    } catch (FrameRejectedException e) {
      dead(record, e.getMessage(), e.kind());
      return;
    }
    Optional<FrameRejectedException> invalid = frame.rejection();
    if (invalid.isEmpty() && frame.header().pixelRef() != null) {
      try {
        frame = ClaimCheck.load(frame, pixelRefRoot, maxPixelRefBytes);
        invalid = frame.rejection();
      } catch (FrameRejectedException e) {
        invalid = Optional.of(e);
      }
    }
    if (invalid.isPresent()) {
      dead(record, invalid.get().getMessage(), invalid.get().kind());
      return;
    }
    String fov = frame.header().fov();
    if (record.key() == null) {
      dead(
          record,
          "missing key: frames must be keyed by their FOV ('" + fov + "')",
          DeadLetterKind.BAD_KEY);
      return;
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (!key.equals(fov)) {
      dead(
          record,
          "key '" + key + "' does not match the header's fov '" + fov + "'",
          DeadLetterKind.BAD_KEY);
      return;
    }
    context.forward(record.withKey(fov).withValue(Routed.ok(frame)));
  }

  private void dead(Record<byte[], byte[]> record, String reason, DeadLetterKind kind) {
    Optional<RecordMetadata> m = context.recordMetadata();
    DeadLetter d =
        new DeadLetter(
            record.key(),
            record.value(),
            STAGE,
            reason,
            kind.wireName(),
            m.map(RecordMetadata::topic).orElse(Topics.FRAMES_RAW.name()),
            m.map(RecordMetadata::partition).orElse(-1),
            m.map(RecordMetadata::offset).orElse(-1L));
    context.forward(record.withKey((String) null).withValue(Routed.dead(d)));
  }
}
