package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.processors.broker.EmbeddedKafka;
import io.cytostream.processors.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service refuses to start, in one line with exit code 1, when a source topic's partition count
 * differs from the changelog of the state built on it (issue 11: changing the partition count
 * silently moved FOVs away from their state).
 */
class PartitionGuardTest {

  @Test
  void everyStoreIsCheckedAgainstTheSourceOfItsStage() {
    List<PartitionGuard.Expectation> e = PartitionGuard.expectations("app");
    assertThat(e)
        .contains(
            new PartitionGuard.Expectation(
                "frames.raw", "image-normalizer", "app-image-normalizer-changelog"),
            new PartitionGuard.Expectation(
                "cells.observed", "track-fov-state", "app-track-fov-state-changelog"),
            new PartitionGuard.Expectation(
                "tracks", "consensus-fov", "app-consensus-fov-changelog"));
    assertThat(e).extracting(PartitionGuard.Expectation::source).doesNotContain("frames.dlq");
  }

  @Test
  void changedPartitionCountsAreRefusedAtStart(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka broker = new EmbeddedKafka(dir.resolve("broker"), "127.0.0.1", 0).start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      String bs = broker.bootstrapServers();
      // fresh cluster: nothing to compare
      assertThatCode(() -> PartitionGuard.check(bs, "cytostream")).doesNotThrowAnyException();
      admin
          .createTopics(
              List.of(
                  topic("frames.raw", 4),
                  topic("cells.observed", 4),
                  topic("cytostream-image-normalizer-changelog", 4),
                  topic("cytostream-track-frames-changelog", 4)))
          .all()
          .get();
      assertThatCode(() -> PartitionGuard.check(bs, "cytostream")).doesNotThrowAnyException();
      // frames.raw grown from 4 to 6 partitions under existing state
      admin
          .createPartitions(
              Map.of("frames.raw", org.apache.kafka.clients.admin.NewPartitions.increaseTo(6)))
          .all()
          .get();
      awaitPartitions(admin, "frames.raw", 6);
      assertThatThrownBy(() -> PartitionGuard.check(bs, "cytostream"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("frames.raw has 6 partitions")
          .hasMessageContaining("image-normalizer (cytostream-image-normalizer-changelog) 4");
      // another application id has no state yet
      assertThatCode(() -> PartitionGuard.check(bs, "other")).doesNotThrowAnyException();

      // the command: one line on stderr, exit code 1
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int rc =
          Main.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "serve",
              "--bootstrap",
              bs,
              "--data-dir",
              dir.resolve("svc").toString(),
              "--port",
              "0");
      assertThat(rc).isEqualTo(1);
      List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .startsWith("cytostream serve: refusing to start: partition counts changed")
          .contains("frames.raw has 6 partitions");
    }
  }

  /** Waits until the broker's metadata shows the new partition count. */
  private static void awaitPartitions(Admin admin, String topic, int n) throws Exception {
    for (int i = 0; i < 100; i++) {
      int now =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      if (now == n) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(topic + " never showed " + n + " partitions");
  }

  private static NewTopic topic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.empty());
  }
}
