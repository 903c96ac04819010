package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.WebhookSignature;
import io.cytostream.schemas.WebhookSubscription;
import io.micronaut.configuration.kafka.admin.KafkaNewTopics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers anomaly and life events to the webhook subscriptions they match. Its own consumer (group
 * {@code cytostream-webhooks}, so that several instances share the partitions and each event goes
 * out once; committed events only; a new group starts at the end) hands each matching delivery to a
 * scheduler; nothing here runs on, or waits for, a Kafka Streams thread.
 *
 * <p>A delivery is an HTTP POST of the event's JSON, exactly as on the topic, with headers {@code
 * Content-Type: application/cloudevents+json}, {@value WebhookSignature#HEADER} (see {@link
 * WebhookSignature}), {@code X-Cytostream-Event-Id}, {@code X-Cytostream-Subscription} and {@code
 * X-Cytostream-Attempt}. A 2xx answer is success; anything else (another status, a timeout, a
 * refused connection) is retried after {@code backoff × 2^(attempt−1)} (at most {@code
 * max-backoff}) until {@code cytostream.webhooks.max-attempts} attempts have failed; the event then
 * goes to {@code webhooks.dlq} with the reason. The target's address is checked again before every
 * attempt ({@link WebhookTargetPolicy}); redirects are not followed. Retries live in memory: those
 * pending when an instance stops are lost (offsets are committed as events are read).
 *
 * <p>Settings: {@code cytostream.webhooks.max-attempts} (6), {@code .backoff} (1s), {@code
 * .max-backoff} (60s), {@code .timeout} (10s), {@code .allowed-networks} (none).
 */
@Context
public class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** The consumer group of the dispatchers of every instance. */
  public static final String GROUP = "cytostream-webhooks";

  private final SubscriptionStore store;
  private final WebhookMetrics metrics;
  private final WebhookTargetPolicy policy;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> dlq;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean assigned;

  public WebhookDispatcher(
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      KafkaNewTopics topics,
      SubscriptionStore store,
      WebhookMetrics metrics,
      @Value("${cytostream.webhooks.allowed-networks:}") String allowedNetworks,
      @Value("${cytostream.webhooks.max-attempts:6}") int maxAttempts,
      @Value("${cytostream.webhooks.backoff:1s}") Duration backoff,
      @Value("${cytostream.webhooks.max-backoff:60s}") Duration maxBackoff,
      @Value("${cytostream.webhooks.timeout:10s}") Duration timeout) {
    this.store = store;
    this.metrics = metrics;
    this.policy = WebhookTargetPolicy.of(allowedNetworks);
    this.maxAttempts = Math.max(1, maxAttempts);
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
    this.timeout = timeout;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                GROUP,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cytostream-webhooks"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.dlq =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG,
                "cytostream-webhooks-dlq"),
            new StringSerializer(),
            new ByteArraySerializer());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "cytostream-webhook-delivery");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(() -> run(topics, bootstrap), "cytostream-webhooks");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** The address policy of targets. */
  public WebhookTargetPolicy policy() {
    return policy;
  }

  /** Whether the consumer has its partitions (events published from now on are delivered). */
  public boolean assigned() {
    return assigned;
  }

  private void run(KafkaNewTopics topics, String bootstrap) {
    try {
      TopicsFactory.awaitCreated(topics, bootstrap);
      while (running && !store.awaitLoaded(Duration.ofSeconds(1))) {
        // deliveries wait for the subscriptions
      }
      consumer.subscribe(
          List.of(Topics.EVENTS_ANOMALY.name(), Topics.CELLS_LIFECYCLE.name()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // resolve the start positions now, so that "latest" means "from assignment on"
              partitions.forEach(consumer::position);
              assigned = true;
            }
          });
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          dispatch(r.value());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.warn("webhook dispatcher stopped: {}", e.getMessage());
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Schedules one delivery per subscription that {@code event} matches. */
  void dispatch(byte[] event) {
    if (event == null) {
      return;
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(event);
    } catch (IOException e) {
      return; // not JSON: not an event this dispatcher can filter
    }
    for (WebhookSubscription s : store.all()) {
      if (matches(s, node)) {
        metrics.pending(1);
        scheduler.execute(() -> attempt(s, node.path("id").asText(""), event, 1));
      }
    }
  }

  /**
   * Whether the event (a CloudEvent of cytostream) passes the subscription's filters: the same
   * {@link EventFilter} as {@code GET /events/stream}'s, with the event's stream told by its type.
   */
  static boolean matches(WebhookSubscription s, JsonNode event) {
    return new EventFilter(
            s.fov() == null ? Set.of() : Set.of(s.fov()), Set.copyOf(s.types()), s.minScore())
        .accepts(source(event), event);
  }

  /** An anomaly's score as {@link EventFilter#score} gives it; null for life events. */
  static Double score(JsonNode event) {
    return EventFilter.score(source(event), event);
  }

  private static EventCursor.Source source(JsonNode event) {
    return event.path("type").asText("").startsWith(LifecycleEvent.TYPE_PREFIX)
        ? EventCursor.Source.LIFECYCLE
        : EventCursor.Source.ANOMALY;
  }

  private void attempt(WebhookSubscription s, String eventId, byte[] body, int attempt) {
    if (!running) {
      metrics.pending(-1);
      return;
    }
    WebhookSubscription current = store.get(s.id()).orElse(null);
    if (current == null) {
      metrics.pending(-1); // deleted meanwhile
      return;
    }
    Optional<String> refused = policy.refusal(current.url());
    if (refused.isPresent()) {
      deadLetter(current, body, attempt, "target refused: " + refused.get());
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(current.url()))
            .timeout(timeout)
            .header("Content-Type", "application/cloudevents+json")
            .header(WebhookSignature.HEADER, WebhookSignature.sign(current.secret(), now, body))
            .header("X-Cytostream-Event-Id", eventId)
            .header("X-Cytostream-Subscription", current.id())
            .header("X-Cytostream-Attempt", Integer.toString(attempt))
            .header("User-Agent", "cytostream-webhooks")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() / 100 == 2) {
                metrics.delivered();
                metrics.pending(-1);
                return;
              }
              String reason =
                  error != null
                      ? "attempt " + attempt + ": " + rootMessage(error)
                      : "attempt " + attempt + ": HTTP " + response.statusCode();
              if (attempt >= maxAttempts) {
                deadLetter(current, body, attempt, reason);
                return;
              }
              metrics.failed();
              long delay =
                  Math.min(
                      maxBackoff.toMillis(),
                      backoff.toMillis() * (1L << Math.min(30, attempt - 1)));
              try {
                scheduler.schedule(
                    () -> attempt(current, eventId, body, attempt + 1),
                    delay,
                    TimeUnit.MILLISECONDS);
              } catch (RuntimeException rejected) {
                metrics.pending(-1); // shutting down
              }
            });
  }

  private void deadLetter(WebhookSubscription s, byte[] body, int attempts, String reason) {
    metrics.deadLettered();
    metrics.pending(-1);
    LOG.warn(
        "webhook {} to {}: giving up after {} attempts ({})", s.id(), s.url(), attempts, reason);
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(Topics.WEBHOOKS_DLQ.name(), s.id(), body);
    r.headers().add(Topics.WEBHOOK_DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
    r.headers().add(Topics.WEBHOOK_DLQ_URL, s.url().getBytes(StandardCharsets.UTF_8));
    r.headers()
        .add(
            Topics.WEBHOOK_DLQ_ATTEMPTS,
            Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
    dlq.send(r);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
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
    scheduler.shutdownNow();
    dlq.close(Duration.ofSeconds(2));
  }
}
