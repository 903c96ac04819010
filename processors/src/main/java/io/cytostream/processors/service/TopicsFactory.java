package io.cytostream.processors.service;

import io.cytostream.schemas.Topic;
import io.cytostream.schemas.Topics;
import io.micronaut.configuration.kafka.admin.KafkaNewTopics;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's topics ({@link Topics#ALL}) as {@link NewTopic} beans, created the micronaut-kafka
 * way: its {@link KafkaNewTopics} (a context bean) hands every {@code NewTopic} bean to the shared
 * {@code AdminClient} at start-up. Existing topics are left as they are (their creation fails with
 * {@link TopicExistsException}, which {@link #awaitCreated} counts as success).
 *
 * <p>{@code KafkaNewTopics} only starts the creation; Kafka Streams must not start before its
 * source topics exist (it would stop with a missing-source-topic error), so the stream bean ({@link
 * CytostreamFactory}) depends on {@code KafkaNewTopics} and waits, by {@link #awaitCreated}, for
 * the result. One method per topic because Micronaut makes one bean per factory method; {@code
 * ServiceIntegrationTest} checks that the beans are exactly {@link Topics#ALL}.
 *
 * <p>Settings: {@code cytostream.partitions} (partitions per topic, the unit of parallelism: FOVs
 * spread over them) and {@code cytostream.replication-factor} (0 or less: the cluster's {@code
 * default.replication.factor}).
 */
@Factory
public class TopicsFactory {
  private static final Logger LOG = LoggerFactory.getLogger(TopicsFactory.class);

  /** How long start-up waits for the topics. */
  static final long TIMEOUT_SECONDS = 30;

  private final int partitions;
  private final short replication;

  TopicsFactory(
      @Value("${cytostream.partitions:4}") int partitions,
      @Value("${cytostream.replication-factor:1}") short replication) {
    this.partitions = partitions;
    this.replication = replication;
  }

  @Singleton
  @Named("frames.raw")
  NewTopic framesRaw() {
    return newTopic(Topics.FRAMES_RAW);
  }

  @Singleton
  @Named("cells.observed")
  NewTopic cellsObserved() {
    return newTopic(Topics.CELLS_OBSERVED);
  }

  @Singleton
  @Named("tracks")
  NewTopic tracks() {
    return newTopic(Topics.TRACKS);
  }

  @Singleton
  @Named("cells.lifecycle")
  NewTopic cellsLifecycle() {
    return newTopic(Topics.CELLS_LIFECYCLE);
  }

  @Singleton
  @Named("cells.state")
  NewTopic cellsState() {
    return newTopic(Topics.CELLS_STATE);
  }

  @Singleton
  @Named("consensus")
  NewTopic consensus() {
    return newTopic(Topics.CONSENSUS);
  }

  @Singleton
  @Named("events.anomaly")
  NewTopic eventsAnomaly() {
    return newTopic(Topics.EVENTS_ANOMALY);
  }

  @Singleton
  @Named("frames.dlq")
  NewTopic framesDlq() {
    return newTopic(Topics.FRAMES_DLQ);
  }

  @Singleton
  @Named("acquisition.directives")
  NewTopic acquisitionDirectives() {
    return newTopic(Topics.ACQUISITION_DIRECTIVES);
  }

  @Singleton
  @Named("webhooks.subscriptions")
  NewTopic webhookSubscriptions() {
    return newTopic(Topics.WEBHOOK_SUBSCRIPTIONS);
  }

  @Singleton
  @Named("webhooks.dlq")
  NewTopic webhooksDlq() {
    return newTopic(Topics.WEBHOOKS_DLQ);
  }

  private NewTopic newTopic(Topic<?, ?> t) {
    return new NewTopic(
            t.name(),
            Optional.of(partitions),
            replication > 0 ? Optional.of(replication) : Optional.empty())
        .configs(t.configs());
  }

  /**
   * Waits until every topic {@code KafkaNewTopics} asked for exists.
   *
   * @param topics micronaut-kafka's topic creation, started at context start-up
   * @param bootstrap the Kafka bootstrap servers, for the message
   * @return the names of the topics created now (the others existed)
   * @throws IllegalStateException when a topic cannot be created or Kafka does not answer within
   *     {@value #TIMEOUT_SECONDS} s
   */
  static List<String> awaitCreated(KafkaNewTopics topics, String bootstrap) {
    CreateTopicsResult result = topics.getResult();
    List<String> created =
        result == null ? List.of() : awaitCreated(result.values(), bootstrap, TIMEOUT_SECONDS);
    if (!created.isEmpty()) {
      LOG.info("created topics {}", created);
    }
    return created;
  }

  /**
   * Waits for each topic's creation; a topic that exists already counts as done.
   *
   * @param creations topic name to its creation (from {@code CreateTopicsResult.values()})
   * @param timeoutSeconds the longest wait for all of them together
   * @return the names of the topics created now, in the order given
   */
  static List<String> awaitCreated(
      Map<String, KafkaFuture<Void>> creations, String bootstrap, long timeoutSeconds) {
    List<String> created = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (Map.Entry<String, KafkaFuture<Void>> e : creations.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        created.add(e.getKey());
      } catch (ExecutionException x) {
        if (!(x.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + e.getKey() + ": " + x.getCause().getMessage(), x);
        }
      } catch (TimeoutException x) {
        throw new IllegalStateException(
            "cannot reach Kafka at "
                + bootstrap
                + " to create topics (no answer in "
                + timeoutSeconds
                + " s)",
            x);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", x);
      }
    }
    return created;
  }
}
