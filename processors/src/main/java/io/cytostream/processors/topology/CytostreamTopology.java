package io.cytostream.processors.topology;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

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
    buildTracking(builder, config);
    return raw;
  }

  /** cells.observed → reorder buffer + linker → tracks (and frame-order events, dead letters). */
  static void buildTracking(StreamsBuilder builder, PipelineConfig config) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.STATE_STORE),
            Serdes.String(),
            new JsonSerde<>(TrackStageState.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.FRAMES_STORE),
            Serdes.String(),
            Topics.CELLS_OBSERVED.valueSerde()));
    KStream<String, TrackOutput> out =
        builder.stream(
                Topics.CELLS_OBSERVED.name(),
                Consumed.with(Topics.CELLS_OBSERVED.keySerde(), Topics.CELLS_OBSERVED.valueSerde())
                    .withName("cells-observed-source"))
            .process(
                () -> new TrackProcessor(config),
                Named.as("track"),
                TrackProcessor.STATE_STORE,
                TrackProcessor.FRAMES_STORE);
    out.filter((k, v) -> v.frame() != null, Named.as("track-frames"))
        .mapValues(TrackOutput::frame, Named.as("track-frame-values"))
        .to(
            Topics.TRACKS.name(),
            Produced.with(Topics.TRACKS.keySerde(), Topics.TRACKS.valueSerde())
                .withName("tracks-sink"));
    out.filter((k, v) -> v.event() != null, Named.as("track-events"))
        .mapValues(TrackOutput::event, Named.as("track-event-values"))
        .to(
            Topics.EVENTS_ANOMALY.name(),
            Produced.with(Topics.EVENTS_ANOMALY.keySerde(), Topics.EVENTS_ANOMALY.valueSerde())
                .withName("track-events-sink"));
    DeadLetterSink.attach(
        out.filter((k, v) -> v.dead() != null, Named.as("track-dead"))
            .mapValues(v -> Routed.<Void>dead(v.dead()), Named.as("track-dead-values")),
        TrackProcessor.STAGE,
        config.metrics());
  }
}
