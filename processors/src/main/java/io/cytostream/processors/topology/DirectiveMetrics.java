package io.cytostream.processors.topology;

import io.cytostream.schemas.Directive;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code cytostream_directives_total{fov,kind}}: directives published on {@code
 * acquisition.directives}, by FOV and action. A FOV's counters of every action appear at 0 when the
 * rules first see the FOV, so that {@code increase()} counts the first directive.
 */
public final class DirectiveMetrics {
  /** The counter's name (Prometheus adds {@code _total}). */
  public static final String DIRECTIVES = "cytostream.directives";

  private final MeterRegistry registry;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public DirectiveMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the FOV's counters at 0 (once). */
  public void fovSeen(String fov) {
    if (seen.add(fov)) {
      for (Directive.Action a : Directive.Action.values()) {
        counter(fov, a.wireName());
      }
    }
  }

  /** One directive published. */
  public void directive(String fov, String action) {
    fovSeen(fov);
    counter(fov, action).increment();
  }

  private Counter counter(String fov, String action) {
    return Counter.builder(DIRECTIVES)
        .description("directives published on acquisition.directives, by FOV and action (kind)")
        .tag("fov", fov)
        .tag("kind", action)
        .register(registry);
  }
}
