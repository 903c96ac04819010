package io.cytostream.processors.service;

import io.cytostream.processors.directive.DirectiveRules;
import io.cytostream.processors.topology.DirectiveMetrics;
import io.cytostream.processors.topology.DirectiveTopology;
import io.cytostream.schemas.Directive;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.admin.KafkaNewTopics;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The directive rules as their own Kafka Streams application ({@code kafka.streams.directives} in
 * {@code application.yml}, application id {@code cytostream-directives}): events and frame
 * observations in, {@code acquisition.directives} out. Settings {@code cytostream.directives.*}
 * (defaults: {@link DirectiveRules.Config#defaults()}).
 */
@Factory
public class DirectivesFactory {

  @Singleton
  DirectiveMetrics directiveMetrics(MeterRegistry registry) {
    return new DirectiveMetrics(registry);
  }

  @Singleton
  DirectiveRules.Config directiveRules(
      @Value("${cytostream.directives.exposure-factor:0.7}") double exposureFactor,
      @Value("${cytostream.directives.burst-spikes:3}") int burstSpikes,
      @Value("${cytostream.directives.burst-window-frames:5}") int burstWindow,
      @Value("${cytostream.directives.faster-interval-factor:0.5}") double fasterFactor,
      @Value("${cytostream.directives.faster-frames:20}") int fasterFrames,
      @Value("${cytostream.directives.empty-frames:3}") int emptyFrames,
      @Value("${cytostream.directives.skip-frames:10}") int skipFrames,
      @Value("${cytostream.directives.cooldown-frames:5}") int cooldown) {
    return new DirectiveRules.Config(
        exposureFactor,
        burstSpikes,
        burstWindow,
        fasterFactor,
        fasterFrames,
        emptyFrames,
        skipFrames,
        cooldown);
  }

  @Singleton
  @Named("directives")
  KStream<String, Directive> directives(
      @Named("directives") ConfiguredStreamBuilder builder,
      DirectiveRules.Config config,
      DirectiveMetrics metrics,
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      KafkaNewTopics topics) {
    TopicsFactory.awaitCreated(topics, bootstrap);
    // as for the pipeline (CytostreamFactory): without it Kafka Streams warns at every start
    builder.getConfiguration().put(CytostreamFactory.GLOBAL_HANDLER_CONFIG, "true");
    builder
        .getConfiguration()
        .put("main.consumer." + CytostreamFactory.GLOBAL_HANDLER_CONFIG, "true");
    return DirectiveTopology.build(builder, config, metrics);
  }
}
