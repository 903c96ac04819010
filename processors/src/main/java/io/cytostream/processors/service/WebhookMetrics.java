package io.cytostream.processors.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook meters: {@code cytostream_webhook_deliveries_total{outcome}} (outcome {@code delivered},
 * {@code failed} — an attempt that failed and will be retried —, {@code dead_lettered}), {@code
 * cytostream_webhook_subscriptions} and {@code cytostream_webhook_pending_deliveries}. All exist at
 * 0 from the start.
 */
@Singleton
public class WebhookMetrics {
  /** The deliveries counter (Prometheus adds {@code _total}). */
  public static final String DELIVERIES = "cytostream.webhook.deliveries";

  private final Counter delivered;
  private final Counter failed;
  private final Counter deadLettered;
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();

  public WebhookMetrics(MeterRegistry registry) {
    delivered = outcome(registry, "delivered");
    failed = outcome(registry, "failed");
    deadLettered = outcome(registry, "dead_lettered");
    Gauge.builder("cytostream.webhook.subscriptions", subscriptions, AtomicInteger::get)
        .description("webhook subscriptions known to this instance")
        .register(registry);
    Gauge.builder("cytostream.webhook.pending.deliveries", pending, AtomicInteger::get)
        .description("webhook deliveries in flight or waiting for a retry on this instance")
        .register(registry);
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder(DELIVERIES)
        .description(
            "webhook delivery attempts by outcome: delivered (2xx), failed (will be retried),"
                + " dead_lettered (gave up, sent to webhooks.dlq)")
        .tag("outcome", outcome)
        .register(registry);
  }

  void delivered() {
    delivered.increment();
  }

  void failed() {
    failed.increment();
  }

  void deadLettered() {
    deadLettered.increment();
  }

  void subscriptions(int n) {
    subscriptions.set(n);
  }

  void pending(int delta) {
    pending.addAndGet(delta);
  }
}
