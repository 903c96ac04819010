package io.cytostream.processors.topology;

import io.cytostream.processors.directive.DirectiveRules;
import io.cytostream.schemas.Directive;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs {@link DirectiveRules} per FOV: the FOV's rule state in {@link #STORE}, one input (an
 * anomaly event or a frame summary) in, zero or more directives out, keyed by FOV.
 */
final class DirectiveProcessor implements Processor<String, DirectiveInput, String, Directive> {
  /** The rules' per-FOV state. */
  static final String STORE = "directive-rules-state";

  private final DirectiveRules rules;
  private final DirectiveMetrics metrics;
  private ProcessorContext<String, Directive> context;
  private KeyValueStore<String, DirectiveRules.FovState> store;

  DirectiveProcessor(DirectiveRules rules, DirectiveMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Directive> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, DirectiveInput> record) {
    String fov = record.key();
    DirectiveInput in = record.value();
    if (fov == null || in == null) {
      return;
    }
    metrics.fovSeen(fov);
    DirectiveRules.FovState state = store.get(fov);
    if (state == null) {
      state = DirectiveRules.FovState.empty();
    }
    DirectiveRules.Step step =
        in.event() != null ? rules.onEvent(state, in.event()) : rules.onFrame(state, in.frame());
    if (!step.state().equals(state)) {
      store.put(fov, step.state());
    }
    for (Directive d : step.directives()) {
      metrics.directive(fov, d.data().action());
      context.forward(record.withValue(d));
    }
  }
}
