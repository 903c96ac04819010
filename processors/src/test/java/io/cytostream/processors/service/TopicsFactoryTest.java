package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

class TopicsFactoryTest {
  private static KafkaFuture<Void> failed(Throwable t) {
    KafkaFutureImpl<Void> f = new KafkaFutureImpl<>();
    f.completeExceptionally(t);
    return f;
  }

  @Test
  void existingTopicsCountAsDoneAndOnlyNewOnesAreReported() {
    Map<String, KafkaFuture<Void>> creations = new LinkedHashMap<>();
    creations.put("frames.raw", failed(new TopicExistsException("exists")));
    creations.put("tracks", KafkaFuture.completedFuture(null));
    creations.put("cells.state", failed(new TopicExistsException("exists")));
    creations.put("consensus", KafkaFuture.completedFuture(null));
    assertThat(TopicsFactory.awaitCreated(creations, "k:9092", 5))
        .containsExactly("tracks", "consensus");
  }

  @Test
  void anyOtherFailureStopsStartUpNamingTheTopic() {
    Map<String, KafkaFuture<Void>> creations = new LinkedHashMap<>();
    creations.put("frames.raw", KafkaFuture.completedFuture(null));
    creations.put("frames.dlq", failed(new InvalidConfigurationException("bad retention.ms")));
    assertThatThrownBy(() -> TopicsFactory.awaitCreated(creations, "k:9092", 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot create topic frames.dlq: bad retention.ms");
  }

  @Test
  void eachTopicKeepsTheRegistrySettingsAndTheConfiguredPartitions() {
    TopicsFactory f = new TopicsFactory(6, (short) -1);
    NewTopic raw = f.framesRaw();
    assertThat(raw.name()).isEqualTo(Topics.FRAMES_RAW.name());
    assertThat(raw.numPartitions()).isEqualTo(6);
    assertThat(raw.replicationFactor()).isEqualTo((short) -1);
    assertThat(raw.configs()).isEqualTo(Topics.FRAMES_RAW.configs());
    assertThat(new TopicsFactory(4, (short) 3).framesDlq().replicationFactor())
        .isEqualTo((short) 3);
  }
}
