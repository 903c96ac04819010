package io.cytostream.processors.service;

import io.cytostream.processors.topology.CytostreamTopology;
import io.cytostream.processors.topology.PipelineConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Refuses to start on topics whose partition counts no longer match the state built on them. A
 * FOV's state lives in the task of the partition its key hashes to; when a source topic's partition
 * count changes (e.g. {@code kafka-topics --alter --partitions}), FOVs hash to other partitions and
 * meet other tasks' state, silently. So, before anything starts: for every sub-topology of the
 * topology, each existing changelog topic of its stores ({@code
 * <application.id>-<store>-changelog}) must have as many partitions as its source topic. Fresh
 * topics (no changelog yet) pass.
 */
final class PartitionGuard {
  private PartitionGuard() {}

  /** One store's changelog and the source topic whose partitioning it follows. */
  record Expectation(String source, String store, String changelog) {}

  /** The changelog/source pairs of the cytostream topology for {@code applicationId}. */
  static List<Expectation> expectations(String applicationId) {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, PipelineConfig.defaults());
    TopologyDescription d = builder.build().describe();
    List<Expectation> out = new ArrayList<>();
    for (TopologyDescription.Subtopology sub : d.subtopologies()) {
      Set<String> sources = new TreeSet<>();
      Set<String> stores = new TreeSet<>();
      for (TopologyDescription.Node n : sub.nodes()) {
        if (n instanceof TopologyDescription.Source s && s.topicSet() != null) {
          sources.addAll(s.topicSet());
        } else if (n instanceof TopologyDescription.Processor p) {
          stores.addAll(p.stores());
        }
      }
      for (String source : sources) {
        for (String store : stores) {
          out.add(new Expectation(source, store, applicationId + "-" + store + "-changelog"));
        }
      }
    }
    return out;
  }

  /**
   * Checks the partition counts on the cluster at {@code bootstrap}.
   *
   * @throws IllegalStateException with one line naming the topics and counts when a changelog's
   *     partition count differs from its source topic's, or when Kafka does not answer
   */
  static void check(String bootstrap, String applicationId) {
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(conf)) {
      check(admin, applicationId);
    }
  }

  static void check(Admin admin, String applicationId) {
    List<Expectation> expected = expectations(applicationId);
    Set<String> wanted = new HashSet<>();
    for (Expectation e : expected) {
      wanted.add(e.source());
      wanted.add(e.changelog());
    }
    Map<String, Integer> partitions = new LinkedHashMap<>();
    try {
      Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
      wanted.retainAll(existing);
      if (wanted.isEmpty()) {
        return;
      }
      for (Map.Entry<String, TopicDescription> e :
          admin.describeTopics(wanted).allTopicNames().get(20, TimeUnit.SECONDS).entrySet()) {
        partitions.put(e.getKey(), e.getValue().partitions().size());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot check the topics' partition counts: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking partition counts", e);
    }
    List<String> wrong = new ArrayList<>();
    for (Expectation e : expected) {
      Integer src = partitions.get(e.source());
      Integer log = partitions.get(e.changelog());
      if (src != null && log != null && !src.equals(log)) {
        wrong.add(
            e.source()
                + " has "
                + src
                + " partitions, the state of store "
                + e.store()
                + " ("
                + e.changelog()
                + ") "
                + log);
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(
          "refusing to start: partition counts changed under existing state ("
              + String.join("; ", wrong)
              + "): FOVs would meet another partition's state. Give the topics their old"
              + " partition count back, or reset the application's state (kafka-streams-"
              + "application-reset.sh --application-id "
              + applicationId
              + ") to start afresh");
    }
  }
}
