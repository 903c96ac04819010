package io.cytostream.processors.topology;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The cytostream topology (DESIGN.md section 1). Every processor, store and sink is named, so state
 * survives topology changes.
 *
 * <pre>
 * frames.raw ─▶ frame-decode ─▶ image (denoise, segment, measure) ─▶ cells.observed
 * cells.observed ─▶ track (reorder buffer, linker) ─▶ tracks
 * tracks ─▶ consensus (CRLSM, RLS, anomaly tests) ─▶ cells.state, events.anomaly
 * any stage's bad input ─▶ frames.dlq (original bytes + reason headers)
 * </pre>
 */
public final class CytostreamTopology {
  private CytostreamTopology() {}

  /** Adds the pipeline to {@code builder}; returns the raw frame source stream. */
  public static KStream<byte[], byte[]> build(StreamsBuilder builder, PipelineConfig config) {
    KStream<byte[], byte[]> raw =
        builder.stream(
            Topics.FRAMES_RAW.name(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("frames-raw-source"));
    KStream<String, Routed<Frame>> decoded =
        raw.process(FrameDecoder::new, Named.as("frame-decode"));
    DeadLetterSink.attach(decoded, FrameDecoder.STAGE, config.metrics());
    return raw;
  }
}
