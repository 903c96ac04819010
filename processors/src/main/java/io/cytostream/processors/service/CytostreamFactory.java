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
import org.apache.kafka.streams.kstream.KStream;

/**
 * The service's wiring, in one place: the pipeline's meters on Micronaut's registry, the segmenters
 * (loaded before the context starts, by {@link ServiceRunner}, which owns and closes them) and the
 * topology on micronaut-kafka-streams' {@code default} stream (whose KafkaStreams health indicator
 * and metrics binder the service reuses). The topics are {@link TopicsFactory}'s beans; the stream
 * is built only once they exist.
 */
@Factory
public class CytostreamFactory {

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
      Segmenters segmenters) {
    TopicsFactory.awaitCreated(topics, bootstrap);
    builder.getConfiguration().put(DlqExceptionHandler.METRICS_CONFIG, metrics);
    PipelineConfig config =
        PipelineConfig.defaults()
            .withMetrics(metrics)
            .withEmitLabels(emitLabels)
            .withSegmenters(segmenters);
    return CytostreamTopology.build(builder, config);
  }
}
