package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreCache}: writes and deletes reach the store, reads give back what the store holds, at
 * most the bound is kept, and attaching (a processor's init after a revival) forgets everything
 * cached, so that a store rolled back under it is read again.
 */
class StoreCacheTest {
  private static KeyValueStore<String, String> store() {
    KeyValueStore<String, String> s =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("cached"), Serdes.String(), Serdes.String())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Void, Void> c = new MockProcessorContext<>();
    s.init(c.getStateStoreContext(), s);
    return s;
  }

  @Test
  void writesAndDeletesReachTheStoreAndReadsGiveItsValues() {
    KeyValueStore<String, String> s = store();
    s.put("old", "from before");
    StoreCache<String> c = new StoreCache<>(4);
    c.attach(s);
    assertThat(c.get("old")).isEqualTo("from before");
    assertThat(c.get("none")).isNull();
    c.put("a", "1");
    c.put("a", "2");
    assertThat(s.get("a")).isEqualTo("2");
    assertThat(c.get("a")).isEqualTo("2");
    c.delete("a");
    assertThat(s.get("a")).isNull();
    assertThat(c.get("a")).isNull();
  }

  @Test
  void keepsAtMostItsBoundAndReadsEvictedValuesFromTheStore() {
    KeyValueStore<String, String> s = store();
    StoreCache<String> c = new StoreCache<>(3);
    c.attach(s);
    for (int i = 0; i < 10; i++) {
      c.put("k" + i, "v" + i);
    }
    assertThat(c.size()).isEqualTo(3);
    for (int i = 0; i < 10; i++) {
      assertThat(c.get("k" + i)).isEqualTo("v" + i);
    }
    assertThat(c.size()).isEqualTo(3);
  }

  @Test
  void attachingForgetsWhatWasCachedSoARolledBackStoreIsReadAgain() {
    KeyValueStore<String, String> s = store();
    StoreCache<String> c = new StoreCache<>(8);
    c.attach(s);
    c.put("fov", "frame 7");
    s.put("fov", "frame 5"); // the store rolled back to the last commit, behind the cache
    c.attach(s); // the processor's init when Kafka Streams revives the task
    assertThat(c.size()).isZero();
    assertThat(c.get("fov")).isEqualTo("frame 5");
  }

  @Test
  void refusesAnEmptyBound() {
    assertThatThrownBy(() -> new StoreCache<String>(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
