package io.cytostream.processors.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A write-through cache of the deserialised values of one key-value store, for a processor that
 * reads back, at every frame, what it wrote at the frame before (the query views' cells, a FOV's
 * header): a hit skips the store's read and the value's deserialisation; every write and delete
 * still goes to the store (and so to its changelog). Values must be immutable, or never changed
 * after {@link #put}. At most {@code maxEntries} values are kept, least recently used first out.
 *
 * <p>{@link #attach} (from the processor's {@code init}) empties it: Kafka Streams reuses the
 * processor when it revives a task on stores rolled back to the last commit, and the cache must
 * never run ahead of the store. Not thread-safe: one per processor, like the store.
 */
final class StoreCache<V> {
  private final Map<String, V> values;
  private KeyValueStore<String, V> store;

  StoreCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1");
    }
    this.values =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** Reads and writes {@code s} from now on, with nothing cached. */
  void attach(KeyValueStore<String, V> s) {
    this.store = s;
    values.clear();
  }

  /** The store's value of {@code key}, or null. */
  V get(String key) {
    V v = values.get(key);
    if (v == null) {
      v = store.get(key);
      if (v != null) {
        values.put(key, v);
      }
    }
    return v;
  }

  /** Writes {@code value} to the store and keeps it. */
  void put(String key, V value) {
    store.put(key, value);
    values.put(key, value);
  }

  /**
   * Deletes {@code key} from the store and from the cache. Through {@code put(key, null)}, which
   * deletes as {@code delete} does without reading and deserialising the old value.
   */
  void delete(String key) {
    store.put(key, null);
    values.remove(key);
  }

  /** Values held now; for tests. */
  int size() {
    return values.size();
  }
}
