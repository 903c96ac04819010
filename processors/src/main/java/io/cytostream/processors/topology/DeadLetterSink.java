package io.cytostream.processors.topology;

import io.cytostream.schemas.Topics;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes a stage's dead letters to {@link Topics#FRAMES_DLQ} with their headers, and counts them.
 */
final class DeadLetterSink {
  private DeadLetterSink() {}

  /** Sends the dead letters of {@code routed} to the DLQ; names derive from {@code stage}. */
  static <K, V> void attach(KStream<K, Routed<V>> routed, String stage, PipelineMetrics metrics) {
    routed
        .filter((k, v) -> v.isDead(), Named.as(stage + "-dead-letters"))
        .process(() -> new ToBytes<K, V>(metrics), Named.as(stage + "-dlq-headers"))
        .to(
            Topics.FRAMES_DLQ.name(),
            Produced.with(Topics.FRAMES_DLQ.keySerde(), Topics.FRAMES_DLQ.valueSerde())
                .withName(stage + "-dlq-sink"));
  }

  private static final class ToBytes<K, V> implements Processor<K, Routed<V>, byte[], byte[]> {
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;

    ToBytes(PipelineMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<K, Routed<V>> record) {
      DeadLetter d = record.value().deadLetter();
      metrics.deadLetter(d.stage(), d.kind());
      Record<byte[], byte[]> out =
          new Record<>(d.key(), d.value(), record.timestamp(), d.headers());
      context.forward(out);
    }
  }
}
