package io.cytostream.processors.service;

import io.cytostream.schemas.Topics;
import io.cytostream.schemas.WebhookSubscription;
import io.micronaut.configuration.kafka.admin.KafkaNewTopics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook subscriptions of the whole cluster: the compacted topic {@code
 * webhooks.subscriptions} read from its beginning by a background consumer (no consumer group), so
 * every instance knows every subscription, and a restarted instance reads them back. Writes go to
 * the topic (and into this instance's view at once, so a client reads its own writes); a deletion
 * is a tombstone.
 */
@Context
public class SubscriptionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStore.class);

  private final Map<String, WebhookSubscription> subscriptions = new ConcurrentHashMap<>();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final KafkaConsumer<String, WebhookSubscription> consumer;
  private final KafkaProducer<String, WebhookSubscription> producer;
  private final WebhookMetrics metrics;
  private final Thread thread;
  private volatile boolean running = true;

  public SubscriptionStore(
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      KafkaNewTopics topics,
      WebhookMetrics metrics) {
    this.metrics = metrics;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cytostream-subscriptions"),
            Topics.WEBHOOK_SUBSCRIPTIONS.keySerde().deserializer(),
            Topics.WEBHOOK_SUBSCRIPTIONS.valueSerde().deserializer());
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.CLIENT_ID_CONFIG,
                "cytostream-subscriptions-writer"),
            Topics.WEBHOOK_SUBSCRIPTIONS.keySerde().serializer(),
            Topics.WEBHOOK_SUBSCRIPTIONS.valueSerde().serializer());
    this.thread = new Thread(() -> run(topics, bootstrap), "cytostream-subscriptions");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Reads the topic to its end (then counts {@code loaded} down) and follows it. A failure while
   * the store is open (a metadata or offsets timeout on a busy broker) does not end the reader,
   * which would leave the subscriptions "still loading" for good: it starts over from the beginning
   * after a second (applying a record twice is harmless: the last one per key wins).
   */
  private void run(KafkaNewTopics topics, String bootstrap) {
    try {
      while (running) {
        try {
          readAndFollow(topics, bootstrap);
        } catch (WakeupException e) {
          return;
        } catch (RuntimeException e) {
          if (!running) {
            return;
          }
          LOG.warn("webhook subscription reader failed, starting over in 1 s: {}", e.toString());
          Thread.sleep(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void readAndFollow(KafkaNewTopics topics, String bootstrap) {
    TopicsFactory.awaitCreated(topics, bootstrap);
    List<TopicPartition> parts =
        consumer.partitionsFor(Topics.WEBHOOK_SUBSCRIPTIONS.name(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toList());
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
    while (running && loaded.getCount() > 0) {
      consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
      if (parts.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
        loaded.countDown();
        LOG.info("webhook subscriptions loaded: {}", subscriptions.size());
      }
    }
    while (running) {
      consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
    }
  }

  private void apply(ConsumerRecord<String, WebhookSubscription> r) {
    if (r.value() == null) {
      subscriptions.remove(r.key());
    } else {
      subscriptions.put(r.key(), r.value());
    }
    metrics.subscriptions(subscriptions.size());
  }

  /** Waits until the topic has been read up to its end at start-up; false after the timeout. */
  public boolean awaitLoaded(Duration timeout) {
    try {
      return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Every subscription, oldest first. */
  public List<WebhookSubscription> all() {
    List<WebhookSubscription> out = new ArrayList<>(subscriptions.values());
    out.sort(
        Comparator.comparing(
                WebhookSubscription::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(WebhookSubscription::id));
    return out;
  }

  /** One subscription. */
  public Optional<WebhookSubscription> get(String id) {
    return Optional.ofNullable(subscriptions.get(id));
  }

  /** Stores a subscription (waits for the broker's acknowledgement). */
  public void put(WebhookSubscription s) {
    send(s.id(), s);
    subscriptions.put(s.id(), s);
    metrics.subscriptions(subscriptions.size());
  }

  /** Deletes a subscription (a tombstone); false when there was none. */
  public boolean delete(String id) {
    if (!subscriptions.containsKey(id)) {
      return false;
    }
    send(id, null);
    subscriptions.remove(id);
    metrics.subscriptions(subscriptions.size());
    return true;
  }

  private void send(String id, WebhookSubscription s) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.WEBHOOK_SUBSCRIPTIONS.name(), id, s))
          .get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing a subscription", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot store the subscription in Kafka: " + e, e);
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000); // the consumer closes (and commits) before the broker goes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }
}
