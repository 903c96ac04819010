package io.cytostream.processors.service;

import io.cytostream.processors.topology.PipelineMetrics;
import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.context.event.ApplicationEventListener;
import jakarta.inject.Singleton;

/**
 * Counts state-store restoration ({@code cytostream_state_restored_records_total{store}}, {@code
 * cytostream_state_restoring_stores}) by installing the pipeline's restore listener on the Kafka
 * Streams client before it starts.
 */
@Singleton
public class StreamsRestoreMetrics implements ApplicationEventListener<BeforeKafkaStreamStart> {
  private final PipelineMetrics metrics;

  public StreamsRestoreMetrics(PipelineMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void onApplicationEvent(BeforeKafkaStreamStart event) {
    event.getKafkaStreams().setGlobalStateRestoreListener(metrics.restoreListener());
  }
}
