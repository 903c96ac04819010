package io.cytostream.processors.topology;

import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The cytostream topology (DESIGN.md section 1). Every processor, store and sink is named, so state
 * survives topology changes.
 *
 * <pre>
 * frames.raw ─▶ frame-decode ─▶ image (denoise, segment, measure) ─▶ cells.observed
 *   parallel: image = calibration frames here; settled frames ─▶ image-parallel-repartition
 *             (spread by frame index) ─▶ image-parallel on every task (a sub-topology of its
 *             own) ─▶ cells.observed
 * cells.observed ─▶ track (reorder buffer, linker) ─▶ tracks
 * tracks ─▶ consensus (CRLSM, RLS, anomaly tests) ─▶ cells.state, consensus.fov, events.anomaly
 * tracks ─▶ lifecycle-events ─▶ cells.lifecycle (births, divisions, closed gaps, track ends)
 * tracks + consensus + lifecycle ─▶ query-views (stores query-fov-view, query-cell-view)
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
        raw.process(() -> new FrameDecoder(config), Named.as("frame-decode"));
    DeadLetterSink.attach(decoded, FrameDecoder.STAGE, config.metrics());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ImageProcessor.STORE),
            Serdes.String(),
            new JsonSerde<>(NormalizerState.class)));
    KStream<String, Routed<Frame>> valid =
        decoded.filter((k, v) -> !v.isDead(), Named.as("frames-valid"));
    KStream<String, Routed<FrameObservations>> observed =
        config.imageParallel()
            ? parallelImage(builder, valid, config)
            : valid.process(
                () -> new ImageProcessor(config), Named.as("image"), ImageProcessor.STORE);
    toCellsObserved(observed, "", ImageProcessor.STAGE, config);
    buildTracking(builder, config);
    buildConsensus(builder, config);
    return raw;
  }

  /**
   * The frame-parallel image stage ({@link PipelineConfig#imageParallel()}): {@link ImageRouter} on
   * the FOV's task processes the frames of the FOV's calibration window itself and hands each later
   * frame, with the settled calibration, to the {@value SettledFrame#TOPIC} repartition topic
   * (round robin over its partitions by frame index, as many partitions as {@code frames.raw}),
   * where {@link SettledImageProcessor} runs on every task. Both streams of observations go on to
   * {@code cells.observed} keyed by FOV, each through its own sink: the parallel stage is a
   * sub-topology of its own (merged with the calibration stream it would share the tasks of {@code
   * frames.raw}, each task then reading a {@code frames.raw} partition and a repartition partition
   * in timestamp order); the track stage's reorder buffer restores frame order. Returns the
   * calibration frames' observations.
   */
  static KStream<String, Routed<FrameObservations>> parallelImage(
      StreamsBuilder builder, KStream<String, Routed<Frame>> valid, PipelineConfig config) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ImageRouter.LAST_STORE),
            Serdes.String(),
            Serdes.Long()));
    KStream<String, ImageRouter.Routing> routed =
        valid.process(
            () -> new ImageRouter(config),
            Named.as("image"),
            ImageProcessor.STORE,
            ImageRouter.LAST_STORE);
    KStream<String, Routed<FrameObservations>> calibration =
        routed
            .filter((k, v) -> v.observed() != null, Named.as("image-calibration"))
            .mapValues(ImageRouter.Routing::observed, Named.as("image-calibration-values"));
    KStream<String, Routed<FrameObservations>> settled =
        routed
            .filter((k, v) -> v.settled() != null, Named.as("image-settled"))
            .mapValues(ImageRouter.Routing::settled, Named.as("image-settled-values"))
            .repartition(
                Repartitioned.<String, SettledFrame>as(SettledFrame.TOPIC)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(SettledFrame.serde())
                    .withStreamPartitioner(SettledFrame.PARTITIONER))
            .process(() -> new SettledImageProcessor(config), Named.as("image-parallel"));
    toCellsObserved(settled, "-parallel", "image-parallel", config);
    return calibration;
  }

  /**
   * Sends the observations of {@code observed} to {@code cells.observed} and its dead letters to
   * the DLQ; node names end in {@code suffix} (the dead-letter nodes' names start with {@code
   * dlqStage}).
   */
  private static void toCellsObserved(
      KStream<String, Routed<FrameObservations>> observed,
      String suffix,
      String dlqStage,
      PipelineConfig config) {
    observed
        .filter((k, v) -> !v.isDead(), Named.as("observations-valid" + suffix))
        .mapValues(Routed::value, Named.as("observation-values" + suffix))
        .to(
            Topics.CELLS_OBSERVED.name(),
            Produced.with(Topics.CELLS_OBSERVED.keySerde(), Topics.CELLS_OBSERVED.valueSerde())
                .withName("cells-observed-sink" + suffix));
    DeadLetterSink.attach(observed, dlqStage, config.metrics());
  }

  /** tracks → streaming CRLSM, RLS, anomaly tests → cells.state, consensus.fov, events.anomaly. */
  static void buildConsensus(StreamsBuilder builder, PipelineConfig config) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ConsensusProcessor.FOV_STORE),
            Serdes.String(),
            JsonSerde.forStore(FovRecord.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ConsensusProcessor.CELL_STORE),
            Serdes.String(),
            JsonSerde.forStore(CellRecord.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ConsensusProcessor.TRACE_STORE),
            Serdes.String(),
            new TraceSteps.StepSerde()));
    KStream<String, TrackedFrame> tracks =
        builder.stream(
            Topics.TRACKS.name(),
            Consumed.with(Topics.TRACKS.keySerde(), Topics.TRACKS.valueSerde())
                .withName("tracks-source"));
    if (config.frameTap() != FrameTap.NONE) { // the live view: final track ids of each frame
      tracks.foreach((fov, f) -> config.frameTap().tracked(fov, f), Named.as("view-tap"));
    }
    // births, divisions, closed gaps and track ends: the culture's life, not anomalies
    KStream<String, LifecycleEvent> lifecycle =
        tracks
            .flatMapValues(LifecycleEvents::of, Named.as("lifecycle-events"))
            .peek(
                (fov, e) -> config.metrics().lifecycle(fov, e.data().kind()),
                Named.as("lifecycle-count"));
    lifecycle.to(
        Topics.CELLS_LIFECYCLE.name(),
        Produced.with(Topics.CELLS_LIFECYCLE.keySerde(), Topics.CELLS_LIFECYCLE.valueSerde())
            .withName("cells-lifecycle-sink"));
    KStream<String, ConsensusOutput> out =
        tracks.process(
            () -> new ConsensusProcessor(config),
            Named.as("consensus"),
            ConsensusProcessor.FOV_STORE,
            ConsensusProcessor.CELL_STORE,
            ConsensusProcessor.TRACE_STORE);
    out.filter((k, v) -> v.state() != null, Named.as("consensus-states"))
        .mapValues(ConsensusOutput::state, Named.as("consensus-state-values"))
        .to(
            Topics.CELLS_STATE.name(),
            Produced.with(Topics.CELLS_STATE.keySerde(), Topics.CELLS_STATE.valueSerde())
                .withName("cells-state-sink"));
    out.filter((k, v) -> v.estimate() != null, Named.as("consensus-estimates"))
        .mapValues(ConsensusOutput::estimate, Named.as("consensus-estimate-values"))
        .to(
            Topics.CONSENSUS.name(),
            Produced.with(Topics.CONSENSUS.keySerde(), Topics.CONSENSUS.valueSerde())
                .withName("consensus-sink"));
    out.filter((k, v) -> v.event() != null, Named.as("consensus-events"))
        .mapValues(ConsensusOutput::event, Named.as("consensus-event-values"))
        .to(
            Topics.EVENTS_ANOMALY.name(),
            Produced.with(Topics.EVENTS_ANOMALY.keySerde(), Topics.EVENTS_ANOMALY.valueSerde())
                .withName("consensus-events-sink"));
    buildQueryViews(builder, tracks, lifecycle, out);
  }

  /**
   * The query API's views ({@link QueryViewProcessor}): a tracks record's life events and consensus
   * outputs, then the frame itself (its branch is added last, so it arrives last).
   */
  static void buildQueryViews(
      StreamsBuilder builder,
      KStream<String, TrackedFrame> tracks,
      KStream<String, LifecycleEvent> lifecycle,
      KStream<String, ConsensusOutput> out) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(QueryViewProcessor.FOV_STORE),
            Serdes.String(),
            JsonSerde.forStore(FovView.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(QueryViewProcessor.CELL_STORE),
            Serdes.String(),
            JsonSerde.forStore(CellView.class)));
    lifecycle
        .mapValues(ViewInput::lifecycle, Named.as("query-view-lifecycle"))
        .merge(
            out.mapValues(ViewInput::of, Named.as("query-view-consensus")),
            Named.as("query-view-merge-consensus"))
        .merge(
            tracks.mapValues(ViewInput::frame, Named.as("query-view-frames")),
            Named.as("query-view-merge-frames"))
        .process(
            QueryViewProcessor::new,
            Named.as("query-views"),
            QueryViewProcessor.FOV_STORE,
            QueryViewProcessor.CELL_STORE);
  }

  /** cells.observed → reorder buffer + linker → tracks (and frame-order events, dead letters). */
  static void buildTracking(StreamsBuilder builder, PipelineConfig config) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.STATE_STORE),
            Serdes.String(),
            JsonSerde.forStore(TrackStageState.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.FRAMES_STORE),
            Serdes.String(),
            JsonSerde.forStore(FrameObservations.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.SOURCES_STORE),
            Serdes.String(),
            new JsonSerde<>(FrameSource.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.TRACKS_STORE),
            Serdes.String(),
            new TrackStateSerde()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TrackProcessor.HELD_STORE),
            Serdes.String(),
            new JsonSerde<>(TrackerSnapshot.HeldFrame.class)));
    KStream<String, TrackOutput> out =
        builder.stream(
                Topics.CELLS_OBSERVED.name(),
                Consumed.with(Topics.CELLS_OBSERVED.keySerde(), Topics.CELLS_OBSERVED.valueSerde())
                    .withName("cells-observed-source"))
            .process(
                () -> new TrackProcessor(config),
                Named.as("track"),
                TrackProcessor.STATE_STORE,
                TrackProcessor.FRAMES_STORE,
                TrackProcessor.SOURCES_STORE,
                TrackProcessor.TRACKS_STORE,
                TrackProcessor.HELD_STORE);
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
