package io.cytostream.processors.loadtest;

import io.cytostream.schemas.Topics;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of the consumer groups that read {@code frames.raw}: what the pipeline has not taken. One
 * admin client for the whole run (a new one per sample took seconds on a loaded machine).
 */
final class ConsumerLag implements AutoCloseable {
  private static final long TIMEOUT_S = 20;
  private final Admin admin;
  private final PrintWriter log;
  private boolean failedBefore;

  ConsumerLag(String bootstrap, PrintWriter log) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S)));
    this.log = log;
  }

  /**
   * Records of {@code frames.raw} not yet committed by the groups that read it (end offset minus
   * committed offset, summed over partitions and groups; transaction markers count as records), or
   * -1 when the broker cannot say in time (the first failure is logged).
   */
  long framesRaw() {
    try {
      Map<TopicPartition, Long> committed = new HashMap<>();
      long lag = 0;
      for (ConsumerGroupListing g :
          admin.listConsumerGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS)) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin
                .listConsumerGroupOffsets(g.groupId())
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        committed.clear();
        offsets.forEach(
            (tp, om) -> {
              if (om != null && tp.topic().equals(Topics.FRAMES_RAW.name())) {
                committed.put(tp, om.offset());
              }
            });
        if (committed.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        committed.keySet().forEach(tp -> ask.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(ask).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        for (var e : committed.entrySet()) {
          lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue());
        }
      }
      return lag;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (!failedBefore) {
        failedBefore = true;
        log.println("consumer lag unreadable (shown as -1): " + e);
        log.flush();
      }
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
