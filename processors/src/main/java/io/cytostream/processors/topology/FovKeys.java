package io.cytostream.processors.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Composite store keys of per-FOV entries: {@code fov + "/" + id}, each id 19 digits (ids {@code >=
 * 0}), e.g. {@code demo/fov-1/0000000000000000042} or, with two ids, {@code
 * demo/fov-1/0000000000000000042/0000000000000000007}. FOV ids may contain {@code /} (schemas
 * README, FOV id grammar), so the prefix {@code fov + "/"} also matches the entries of FOVs nested
 * under this one ({@code a/b/...} under {@code a}); an entry of {@code fov} is one whose key has
 * exactly the length of {@code fov}'s keys, which no key of another FOV with that prefix has (its
 * FOV id is longer). Fixed-width ids make the key order the numeric order of the ids.
 */
final class FovKeys {
  /** Digits per id. */
  static final int DIGITS = 19;

  private FovKeys() {}

  /** The key of entry {@code ids} of {@code fov}. */
  static String key(String fov, long... ids) {
    StringBuilder s = new StringBuilder(fov.length() + ids.length * (DIGITS + 1));
    s.append(fov);
    for (long id : ids) {
      s.append('/').append(String.format(Locale.ROOT, "%019d", id));
    }
    return s.toString();
  }

  /**
   * The track stage's key of frame {@code frame} of {@code fov} (frames and sources stores): 12
   * digits, the layout those stores have always had.
   */
  static String frameKey(String fov, long frame) {
    return fov + "/" + String.format(Locale.ROOT, "%012d", frame);
  }

  /**
   * The track stage's sources-store key of the last input offset applied from a partition; {@code
   * #} is not allowed in a FOV id, so it cannot meet a frame's key.
   */
  static String inputKey(String topic, int partition) {
    return "#input/" + topic + "/" + partition;
  }

  /** The id at position {@code index} (0: first) of a key of {@code fov}. */
  static long id(String fov, String key, int index) {
    int from = fov.length() + 1 + index * (DIGITS + 1);
    return Long.parseLong(key.substring(from, from + DIGITS));
  }

  /**
   * The entries of {@code fov} whose keys carry {@code ids} ids, in key order (the ids' numeric
   * order).
   */
  static <V> List<KeyValue<String, V>> entriesOf(
      KeyValueStore<String, V> store, String fov, int ids) {
    int keyLength = fov.length() + ids * (DIGITS + 1);
    List<KeyValue<String, V>> all = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.prefixScan(fov + "/", new StringSerializer())) {
      it.forEachRemaining(
          kv -> {
            if (kv.key.length() == keyLength) {
              all.add(kv);
            }
          });
    }
    all.sort((a, b) -> a.key.compareTo(b.key));
    return all;
  }

  /** The values of {@link #entriesOf}. */
  static <V> List<V> valuesOf(KeyValueStore<String, V> store, String fov, int ids) {
    List<V> out = new ArrayList<>();
    for (KeyValue<String, V> kv : entriesOf(store, fov, ids)) {
      out.add(kv.value);
    }
    return out;
  }
}
