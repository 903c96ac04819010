package io.cytostream.processors.loadtest;

import io.cytostream.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The lag of the consumer groups that read {@code frames.raw}: what the pipeline has not taken. */
final class ConsumerLag {
  private ConsumerLag() {}

  /**
   * Records of {@code frames.raw} not yet committed by the groups that read it (end offset minus
   * committed offset, summed over partitions and groups; transaction markers count as records), or
   * -1 when the broker cannot say within a few seconds.
   */
  static long framesRaw(String bootstrap) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000))) {
      Map<TopicPartition, Long> committed = new HashMap<>();
      long lag = 0;
      for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(5, TimeUnit.SECONDS)) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin
                .listConsumerGroupOffsets(g.groupId())
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS);
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
        var ends = admin.listOffsets(ask).all().get(5, TimeUnit.SECONDS);
        for (var e : committed.entrySet()) {
          lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue());
        }
      }
      return lag;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }
  }
}
