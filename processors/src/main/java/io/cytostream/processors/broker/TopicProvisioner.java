package io.cytostream.processors.broker;

import io.cytostream.schemas.Topic;
import io.cytostream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry's topics ({@link Topics#ALL}) with their topic-level settings when they do
 * not exist. Existing topics are left as they are.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /**
   * @param bootstrap Kafka bootstrap servers
   * @param partitions partitions per topic (the unit of parallelism: FOVs spread over them)
   * @param replication replication factor; 0 or less uses the cluster's default.replication.factor
   * @return the names of the topics created now
   */
  public static List<String> ensureTopics(String bootstrap, int partitions, short replication) {
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30000);
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> t : Topics.ALL) {
        if (!existing.contains(t.name())) {
          missing.add(
              new NewTopic(
                      t.name(),
                      Optional.of(partitions),
                      replication > 0 ? Optional.of(replication) : Optional.empty())
                  .configs(t.configs()));
        }
      }
      List<String> created = new ArrayList<>();
      for (NewTopic n : missing) {
        try {
          admin.createTopics(List.of(n)).all().get(30, TimeUnit.SECONDS);
          created.add(n.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + n.name() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + bootstrap + " to create topics: " + e.getMessage(), e);
    }
  }
}
