package io.cytostream.processors.service;

import io.cytostream.schemas.Json;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The internal HTTP hop between instances of the service: a query for a FOV owned by another
 * instance is sent there, marked with {@value #FORWARDED} so that the receiver answers from its own
 * stores and never forwards again.
 */
@Singleton
public class PeerClient {
  /** The header that marks a forwarded query. */
  public static final String FORWARDED = "X-Cytostream-Forwarded";

  /** How long a peer may take to answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  /** A peer's answer: HTTP status and JSON body. */
  public record Answer(int status, String body) {}

  /** Whether {@code request} came from another instance. */
  static boolean forwarded(HttpRequest<?> request) {
    return request.getHeaders().contains(FORWARDED);
  }

  /**
   * Sends {@code GET pathAndQuery} (raw, still encoded) to {@code peer}; a peer that cannot be
   * reached answers 503 with a JSON error.
   */
  public Answer get(HostInfo peer, String pathAndQuery) {
    String url = "http://" + peer.host() + ":" + peer.port() + pathAndQuery;
    try {
      HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(URI.create(url))
                  .timeout(TIMEOUT)
                  .header(FORWARDED, "1")
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return unreachable(peer, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreachable(peer, "interrupted");
    }
  }

  private static Answer unreachable(HostInfo peer, String why) {
    String message =
        "instance " + peer.host() + ":" + peer.port() + " did not answer (" + why + ")";
    return new Answer(
        503, "{\"status\":503,\"error\":" + Json.mapper().valueToTree(message).toString() + "}");
  }
}
