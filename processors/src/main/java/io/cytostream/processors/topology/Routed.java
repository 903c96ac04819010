package io.cytostream.processors.topology;

/**
 * The outcome of a stage for one record: a value for the next stage, or a dead letter. Exactly one
 * of the two is non-null.
 */
public record Routed<V>(V value, DeadLetter deadLetter) {
  public static <V> Routed<V> ok(V value) {
    return new Routed<>(value, null);
  }

  public static <V> Routed<V> dead(DeadLetter d) {
    return new Routed<>(null, d);
  }

  public boolean isDead() {
    return deadLetter != null;
  }
}
