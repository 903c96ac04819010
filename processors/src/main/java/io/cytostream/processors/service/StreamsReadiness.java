package io.cytostream.processors.service;

import io.cytostream.processors.topology.PipelineMetrics;
import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of the stream: {@code /health/readiness} (and {@code /health}) report DOWN until every
 * Kafka Streams application of the service (the pipeline and the directive rules) is RUNNING, every
 * stream thread is RUNNING and no state store is restoring from its changelog, so that a restarted
 * instance is not sent traffic (or counted as serving) while it cannot process yet.
 * Micronaut-kafka-streams' own indicator is UP from REBALANCING on, which is what made {@code
 * /health} say UP while the threads were still CREATED. Not a liveness check: a long restoration
 * must not get the process restarted.
 *
 * <p>Also the gauge {@value #READY} (1 ready, 0 not) and one INFO line each time readiness changes.
 */
@Singleton
public class StreamsReadiness
    implements HealthIndicator, ApplicationEventListener<BeforeKafkaStreamStart> {
  /** 1 when the stream is ready to process (the readiness check is UP), else 0. */
  public static final String READY = PipelineMetrics.READY;

  private static final Logger LOG = LoggerFactory.getLogger(StreamsReadiness.class);

  private final PipelineMetrics metrics;

  /** Every Kafka Streams application of the service (the pipeline, the directive rules). */
  private final List<KafkaStreams> apps = new CopyOnWriteArrayList<>();

  private final AtomicBoolean lastReady = new AtomicBoolean();
  private final long createdNanos = System.nanoTime();

  public StreamsReadiness(PipelineMetrics metrics) {
    this.metrics = metrics;
    metrics.readiness(this::ready);
  }

  @Override
  public void onApplicationEvent(BeforeKafkaStreamStart event) {
    if (!apps.contains(event.getKafkaStreams())) {
      apps.add(event.getKafkaStreams());
    }
  }

  /** Whether the stream processes: client and every thread RUNNING, no store restoring. */
  public boolean ready() {
    return evaluate().ready();
  }

  private record Verdict(boolean ready, Map<String, Object> details) {}

  private Verdict evaluate() {
    Map<String, Object> d = new LinkedHashMap<>();
    if (apps.isEmpty()) {
      d.put("reason", "Kafka Streams not started yet");
      return new Verdict(false, d);
    }
    // every application must run: the first that does not names the state reported
    KafkaStreams.State state = KafkaStreams.State.RUNNING;
    Map<String, String> threads = new LinkedHashMap<>();
    boolean threadsRunning = true;
    for (KafkaStreams s : apps) {
      KafkaStreams.State st = s.state();
      if (state == KafkaStreams.State.RUNNING && st != KafkaStreams.State.RUNNING) {
        state = st;
      }
      if (st.isRunningOrRebalancing()) {
        for (ThreadMetadata t : s.metadataForLocalThreads()) {
          threads.put(t.threadName(), t.threadState());
          threadsRunning &= "RUNNING".equals(t.threadState());
        }
      }
    }
    d.put("state", state.name());
    d.put("applications", apps.size());
    d.put("threads", threads);
    long restoring = metrics.restoringStores();
    long remaining = metrics.restoreRemainingRecords();
    d.put("restoringStores", restoring);
    d.put("restoreRemainingRecords", remaining);
    boolean ready =
        state == KafkaStreams.State.RUNNING
            && !threads.isEmpty()
            && threadsRunning
            && restoring == 0;
    if (!ready) {
      d.put(
          "reason",
          state != KafkaStreams.State.RUNNING
              ? "stream " + state.name()
              : !threadsRunning || threads.isEmpty()
                  ? "stream threads not all RUNNING: " + threads.values()
                  : restoring + " state stores restoring, " + remaining + " records to go");
    }
    if (lastReady.getAndSet(ready) != ready) {
      if (ready) {
        LOG.info(
            "ready: {} stream threads RUNNING, state restored ({} s after start)",
            threads.size(),
            String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - createdNanos) / 1e9));
      } else {
        LOG.info("not ready: {}", d.get("reason"));
      }
    }
    return new Verdict(ready, d);
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Verdict v = evaluate();
    return Publishers.just(
        HealthResult.builder("cytostreamReadiness", v.ready() ? HealthStatus.UP : HealthStatus.DOWN)
            .details(v.details())
            .build());
  }
}
