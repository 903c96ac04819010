package io.cytostream.processors.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-level meters of {@link PipelineMetrics}: changelog restoration per state store
 * ({@value PipelineMetrics#RESTORED_RECORDS}, counted from 0 for every store; {@value
 * PipelineMetrics#RESTORING_STORES}, stores restoring now) and the resident memory of the process
 * ({@value PipelineMetrics#RESIDENT_MEMORY}, bytes, read from {@code /proc/self/status}; NaN where
 * that does not exist).
 */
final class RestorationMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(RestorationMetrics.class);

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> restoring = new ConcurrentHashMap<>();

  /** Records still to restore per store and changelog partition, and when it started (ns). */
  private final Map<String, long[]> remaining = new ConcurrentHashMap<>();

  RestorationMetrics(MeterRegistry registry, List<String> stores) {
    this.registry = registry;
    for (String store : stores) {
      restoredCounter(store);
    }
    Gauge.builder(
            PipelineMetrics.RESTORING_STORES,
            restoring,
            m -> m.values().stream().filter(v -> v.get() > 0).count())
        .description("state stores restoring from their changelog now (0 when serving)")
        .register(registry);
    Gauge.builder(PipelineMetrics.RESTORE_REMAINING, this, RestorationMetrics::remainingRecords)
        .description("changelog records still to restore into the state stores (0 when serving)")
        .register(registry);
    Gauge.builder(PipelineMetrics.RESIDENT_MEMORY, RestorationMetrics::residentBytes)
        .description(
            "resident set size of the process: heap, native and TensorFlow memory (Linux; NaN"
                + " elsewhere)")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** A listener that counts changelog restoration into the registry. */
  StateRestoreListener listener() {
    return new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
        restoring.computeIfAbsent(store, s -> new AtomicLong()).incrementAndGet();
        restoredCounter(store);
        remaining.put(store + " " + tp, new long[] {Math.max(0, end - start), System.nanoTime()});
        LOG.info("restoring {} from {}: offsets {}..{}", store, tp, start, end);
      }

      @Override
      public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
        restoredCounter(store).increment(n);
        long[] r = remaining.get(store + " " + tp);
        if (r != null) {
          r[0] = Math.max(0, r[0] - n);
        }
      }

      @Override
      public void onRestoreEnd(TopicPartition tp, String store, long total) {
        restoring.computeIfAbsent(store, s -> new AtomicLong()).decrementAndGet();
        long[] r = remaining.remove(store + " " + tp);
        LOG.info(
            "restored {} from {}: {} records in {} ms",
            store,
            tp,
            total,
            r == null ? "?" : Long.toString((System.nanoTime() - r[1]) / 1_000_000));
      }

      @Override
      public void onRestoreSuspended(TopicPartition tp, String store, long total) {
        restoring.computeIfAbsent(store, s -> new AtomicLong()).decrementAndGet();
        remaining.remove(store + " " + tp);
      }
    };
  }

  /** State stores restoring now. */
  long restoringStores() {
    return restoring.values().stream().filter(v -> v.get() > 0).count();
  }

  /** Changelog records still to restore, over all stores restoring now. */
  long remainingRecords() {
    return remaining.values().stream().mapToLong(r -> r[0]).sum();
  }

  /** The restore counter of a store (registered at 0 on first use). */
  Counter restoredCounter(String store) {
    return Counter.builder(PipelineMetrics.RESTORED_RECORDS)
        .description("changelog records restored into a state store since start")
        .tag("store", store)
        .register(registry);
  }

  private static double residentBytes() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String[] p = line.substring(6).trim().split("\\s+");
          return Long.parseLong(p[0]) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
