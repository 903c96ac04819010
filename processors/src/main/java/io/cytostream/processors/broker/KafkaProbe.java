package io.cytostream.processors.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/** Checks, before anything else starts, that an external Kafka cluster answers. */
public final class KafkaProbe {
  private KafkaProbe() {}

  /**
   * Returns when the cluster at {@code bootstrap} answers a describe-cluster request within {@code
   * timeout}; otherwise throws an {@link IllegalStateException} whose message is one line naming
   * the address (and no cause, so that the command line prints just that line).
   */
  public static void awaitReachable(String bootstrap, Duration timeout) {
    int ms = (int) Math.max(1000, timeout.toMillis());
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
            1000L,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
            2000L,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            1000L);
    String failure;
    try (Admin admin = Admin.create(conf)) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(ms))
          .nodes()
          .get(ms + 1000L, TimeUnit.MILLISECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (ExecutionException | TimeoutException e) {
      failure = "no answer within " + ms / 1000 + " s";
    } catch (KafkaException e) {
      // e.g. no resolvable bootstrap address
      String m = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      failure = m == null ? e.getClass().getSimpleName() : m;
    }
    throw new IllegalStateException(
        "Kafka at " + bootstrap + " is not reachable (" + failure + ")", null);
  }
}
