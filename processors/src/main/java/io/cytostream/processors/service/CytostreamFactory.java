package io.cytostream.processors.service;

import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.topology.CytostreamTopology;
import io.cytostream.processors.topology.DlqExceptionHandler;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.processors.topology.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.admin.KafkaNewTopics;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The service's wiring, in one place: the pipeline's meters on Micronaut's registry, the segmenters
 * (loaded before the context starts, by {@link ServiceRunner}, which owns and closes them) and the
 * topology on micronaut-kafka-streams' {@code default} stream (whose KafkaStreams health indicator
 * and metrics binder the service reuses). The topics are {@link TopicsFactory}'s beans; the stream
 * is built only once they exist. The live view ({@link LatestFrames}) is fed through the topology's
 * {@link io.cytostream.processors.topology.FrameTap}.
 */
@Factory
public class CytostreamFactory {
  /** Kafka Streams' switch for the processing exception handler on the global thread. */
  static final String GLOBAL_HANDLER_CONFIG = "processing.exception.handler.global.enabled";

  /**
   * The tracker's reorder depth ({@code cytostream.reorder-max-frames} = 0) with frame-parallel
   * image stages (8 without).
   */
  static final int PARALLEL_REORDER_FRAMES = 64;

  @Singleton
  PipelineMetrics pipelineMetrics(MeterRegistry registry) {
    return new PipelineMetrics(registry);
  }

  @Singleton
  @Named("default")
  KStream<byte[], byte[]> pipeline(
      @Named("default") ConfiguredStreamBuilder builder,
      PipelineMetrics metrics,
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      KafkaNewTopics topics,
      @Value("${cytostream.emit-labels:false}") boolean emitLabels,
      @Value("${cytostream.consensus.objective:}") String objective,
      @Value("${cytostream.consensus.estimator:}") String estimator,
      @Value("${cytostream.consensus.parameterisation:}") String parameterisation,
      @Value("${cytostream.consensus.cell:0}") long cell,
      @Value("${cytostream.consensus.border:}") String border,
      @Value("${cytostream.consensus.fov-settings:}") String fovSettings,
      @Value("${cytostream.reorder-startup-window:2s}") Duration startupWindow,
      @Value("${cytostream.pixel-ref.root:}") String pixelRefRoot,
      @Value("${cytostream.pixel-ref.max-bytes:268435456}") long maxPixelRefBytes,
      @Value("${cytostream.image.parallel:false}") boolean imageParallel,
      @Value("${cytostream.reorder-max-frames:0}") int reorderMaxFrames,
      Segmenters segmenters,
      LatestFrames view) {
    TopicsFactory.awaitCreated(topics, bootstrap);
    builder.getConfiguration().put(DlqExceptionHandler.METRICS_CONFIG, metrics);
    // Set here, not in application.yml: Micronaut reads YAML keys as a tree, and
    // processing.exception.handler (the handler class) cannot also be the parent of
    // processing.exception.handler.global.enabled, so that key never reached Kafka Streams. And
    // once more for the main consumer: Kafka Streams' partition assignor (one per stream thread)
    // re-reads its settings from the consumer's configuration, where Streams-only keys are
    // dropped, and warned about the GlobalThread's handler at every start (KAFKA 4.3).
    builder.getConfiguration().put(GLOBAL_HANDLER_CONFIG, "true");
    builder.getConfiguration().put("main.consumer." + GLOBAL_HANDLER_CONFIG, "true");
    PipelineConfig config =
        PipelineConfig.defaults()
            .withMetrics(metrics)
            .withEmitLabels(emitLabels)
            .withReorderStartupWindow(startupWindow)
            .withPixelRefs(
                pixelRefRoot == null || pixelRefRoot.isBlank() ? null : Path.of(pixelRefRoot),
                maxPixelRefBytes)
            .withSegmenters(segmenters)
            .withFrameTap(view)
            .withImageParallel(imageParallel);
    // frame-parallel image stages deliver a FOV's frames slightly out of order: the tracker's
    // reorder buffer must hold more of them before it declares a missing frame
    config =
        config.withReorder(
            config.reorderTimeout(),
            reorderMaxFrames > 0
                ? reorderMaxFrames
                : imageParallel ? PARALLEL_REORDER_FRAMES : config.maxReorderFrames());
    // the consensus fit by name (cytostream.consensus.*; a bad value stops the start-up)
    config =
        config.toBuilder()
            .consensus(
                config
                    .consensus()
                    .withNamed(
                        objective,
                        estimator,
                        parameterisation,
                        cell > 0 ? cell : null,
                        border,
                        null,
                        null,
                        null,
                        fovSettings))
            .build();
    return CytostreamTopology.build(builder, config);
  }
}
