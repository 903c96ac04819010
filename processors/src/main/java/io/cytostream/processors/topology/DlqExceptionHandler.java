package io.cytostream.processors.topology;

import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the stream running when a record cannot be read (a source serde fails) or a processor
 * throws on it: the record's source bytes go to {@link Topics#FRAMES_DLQ} with the reason, the
 * stage and the source topic/partition/offset as headers (for a processor error on a later stage's
 * record, the {@code frames.raw} record of its frame, {@link FrameSource}), and {@code
 * cytostream.dead.letters} counts it (when the pipeline's metrics are passed in the config under
 * {@value #METRICS_CONFIG}).
 */
public final class DlqExceptionHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler {
  /** Config key under which the service passes its {@link PipelineMetrics}. */
  public static final String METRICS_CONFIG = "cytostream.metrics";

  private PipelineMetrics metrics = PipelineMetrics.noop();

  @Override
  public void configure(Map<String, ?> configs) {
    if (configs.get(METRICS_CONFIG) instanceof PipelineMetrics m) {
      metrics = m;
    }
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DeadLetter d =
        new DeadLetter(
            record.key(),
            record.value(),
            "deserialize",
            String.valueOf(exception.getMessage()),
            DeadLetterKind.UNREADABLE.wireName(),
            record.topic(),
            record.partition(),
            record.offset());
    return DeserializationExceptionHandler.Response.resume(List.of(toDlq(d)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    // a record of a later stage (cells.observed, tracks) names the frames.raw record it came from
    FrameSource src =
        FrameSource.from(record == null ? null : record.headers())
            .or(() -> FrameSource.from(context.headers()))
            .orElse(new FrameSource(context.topic(), context.partition(), context.offset()));
    DeadLetter d =
        new DeadLetter(
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.processorNodeId(),
            exception.getClass().getSimpleName() + ": " + exception.getMessage(),
            DeadLetterKind.PROCESSING_ERROR.wireName(),
            src.topic(),
            src.partition(),
            src.offset());
    return ProcessingExceptionHandler.Response.resume(List.of(toDlq(d)));
  }

  private ProducerRecord<byte[], byte[]> toDlq(DeadLetter d) {
    metrics.deadLetter(d.stage(), d.kind());
    return new ProducerRecord<>(Topics.FRAMES_DLQ.name(), null, d.key(), d.value(), d.headers());
  }
}
