package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription, as kept in the compacted topic {@code webhooks.subscriptions} (key = its
 * id; a deletion is a tombstone, a null value). Every service instance reads the whole topic, so a
 * subscription survives restarts and is shared by instances.
 *
 * @param id subscription id (a random UUID given by the service)
 * @param url the target: an {@code http} or {@code https} URL that passed the address policy
 * @param fov only events of this FOV (null: every FOV)
 * @param types only events of these types: a stream ({@code anomaly}, {@code lifecycle}), a kind
 *     ({@code spike}, {@code division}) or a full CloudEvents type ({@code
 *     io.cytostream.anomaly.spike}); empty: every type
 * @param minScore only anomaly events whose score — how far past its threshold: {@code |value| /
 *     |threshold|}, {@code threshold / value} for {@code intensity_collapse} — is at least this
 *     (null: no limit; events without a score, life events among them, never pass a limit)
 * @param secret the HMAC-SHA256 key of the signatures (never returned by the API)
 * @param created when it was created
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookSubscription(
    String id,
    String url,
    String fov,
    List<String> types,
    Double minScore,
    String secret,
    Instant created) {

  public WebhookSubscription {
    types = types == null ? List.of() : List.copyOf(types);
  }

  /** The same without its secret, for API answers. */
  public WebhookSubscription withoutSecret() {
    return new WebhookSubscription(id, url, fov, types, minScore, null, created);
  }
}
