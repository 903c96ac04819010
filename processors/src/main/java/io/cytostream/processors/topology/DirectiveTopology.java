package io.cytostream.processors.topology;

import io.cytostream.processors.directive.DirectiveRules;
import io.cytostream.schemas.Directive;
import io.cytostream.schemas.FrameObservations;
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
 * Closing the loop: a topology of its own (its own Kafka Streams application in the service, so
 * that it reads {@code cells.observed}, a source of the main topology too, and never slows the
 * pipeline).
 *
 * <pre>
 * events.anomaly ─┐
 *                 ├─▶ directive-rules (DirectiveRules per FOV, state in a store) ─▶ acquisition.directives
 * cells.observed ─┘   (frame summaries: interior cells per frame)
 * </pre>
 */
public final class DirectiveTopology {
  private DirectiveTopology() {}

  /** Adds the directive rules to {@code builder}; returns the directives stream. */
  public static KStream<String, Directive> build(
      StreamsBuilder builder, DirectiveRules.Config config, DirectiveMetrics metrics) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DirectiveProcessor.STORE),
            Serdes.String(),
            new JsonSerde<>(DirectiveRules.FovState.class)));
    KStream<String, DirectiveInput> events =
        builder.stream(
                Topics.EVENTS_ANOMALY.name(),
                Consumed.with(Topics.EVENTS_ANOMALY.keySerde(), Topics.EVENTS_ANOMALY.valueSerde())
                    .withName("directive-events-source"))
            .mapValues(e -> new DirectiveInput(e, null), Named.as("directive-event-inputs"));
    KStream<String, DirectiveInput> frames =
        builder.stream(
                Topics.CELLS_OBSERVED.name(),
                Consumed.with(Topics.CELLS_OBSERVED.keySerde(), Topics.CELLS_OBSERVED.valueSerde())
                    .withName("directive-frames-source"))
            .mapValues(
                o -> new DirectiveInput(null, summary(o)), Named.as("directive-frame-inputs"));
    DirectiveRules rules = new DirectiveRules(config);
    KStream<String, Directive> out =
        events
            .merge(frames, Named.as("directive-inputs"))
            .process(
                () -> new DirectiveProcessor(rules, metrics),
                Named.as("directive-rules"),
                DirectiveProcessor.STORE);
    out.to(
        Topics.ACQUISITION_DIRECTIVES.name(),
        Produced.with(
                Topics.ACQUISITION_DIRECTIVES.keySerde(),
                Topics.ACQUISITION_DIRECTIVES.valueSerde())
            .withName("directives-sink"));
    return out;
  }

  /** What the rules need of a frame's observations. */
  static DirectiveRules.FrameSummary summary(FrameObservations o) {
    int interior = 0;
    if (o.cells() != null) {
      for (FrameObservations.Cell c : o.cells()) {
        if (!c.onBorder()) {
          interior++;
        }
      }
    }
    return new DirectiveRules.FrameSummary(o.fov(), o.frameIndex(), o.acquisitionTime(), interior);
  }
}
