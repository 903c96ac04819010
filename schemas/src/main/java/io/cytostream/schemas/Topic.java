package io.cytostream.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the registry: its name, the serdes of its key and value, and the topic-level
 * configuration the service creates it with.
 *
 * @param name topic name
 * @param keySerde key serde
 * @param valueSerde value serde
 * @param configs topic-level configs (e.g. {@code max.message.bytes})
 * @param description what flows on it
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    Map<String, String> configs,
    String description) {
  public Topic {
    Objects.requireNonNull(name);
    Objects.requireNonNull(keySerde);
    Objects.requireNonNull(valueSerde);
    configs = Map.copyOf(configs);
  }
}
