package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.schemas.FovId;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.WebhookSubscription;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook subscriptions, behind the bearer token ({@link ApiToken}):
 *
 * <ul>
 *   <li>{@code POST /subscriptions} with {@code {"url", "fov"?, "types"? (or "type"), "minScore"?,
 *       "secret"?}}: 201 with the subscription and its {@code secret} (generated when not given:
 *       shown only here); 400 for a bad body or a target the address policy refuses ({@link
 *       WebhookTargetPolicy});
 *   <li>{@code GET /subscriptions}, {@code GET /subscriptions/{id}}: without secrets;
 *   <li>{@code DELETE /subscriptions/{id}}: 204, or 404.
 * </ul>
 *
 * Errors are JSON {@code {"error": "..."}}: 401 without a valid token, 503 when no token is
 * configured or the subscriptions are not loaded yet. Runs on the blocking executor (a write waits
 * for the broker).
 */
@Controller("/subscriptions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SubscriptionsController {
  private static final int MIN_SECRET_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiToken token;
  private final SubscriptionStore store;
  private final WebhookDispatcher dispatcher;

  public SubscriptionsController(
      ApiToken token, SubscriptionStore store, WebhookDispatcher dispatcher) {
    this.token = token;
    this.store = store;
    this.dispatcher = dispatcher;
  }

  @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> create(
      @Header("Authorization") @Nullable String authorization, @Body @Nullable String body) {
    Optional<HttpResponse<String>> refused = guard(authorization);
    if (refused.isPresent()) {
      return refused.get();
    }
    JsonNode in;
    try {
      in = Json.mapper().readTree(body == null ? "" : body);
    } catch (IOException e) {
      return ApiToken.error(HttpStatus.BAD_REQUEST, "the body is not JSON");
    }
    if (in == null || !in.isObject()) {
      return ApiToken.error(HttpStatus.BAD_REQUEST, "the body must be a JSON object");
    }
    String url = in.path("url").asText("");
    if (url.isBlank()) {
      return ApiToken.error(HttpStatus.BAD_REQUEST, "'url' is required");
    }
    Optional<String> why = dispatcher.policy().refusal(url);
    if (why.isPresent()) {
      return ApiToken.error(HttpStatus.BAD_REQUEST, "target refused: " + why.get());
    }
    String fov = in.hasNonNull("fov") ? in.get("fov").asText() : null;
    if (fov != null && !FovId.isValid(fov)) {
      return ApiToken.error(HttpStatus.BAD_REQUEST, FovId.violation(fov).orElse("bad fov"));
    }
    List<String> types = new ArrayList<>();
    if (in.hasNonNull("type")) {
      types.add(in.get("type").asText());
    }
    if (in.has("types") && in.get("types").isArray()) {
      in.get("types").forEach(t -> types.add(t.asText()));
    }
    Double minScore = null;
    if (in.hasNonNull("minScore")) {
      if (!in.get("minScore").isNumber()) {
        return ApiToken.error(HttpStatus.BAD_REQUEST, "'minScore' must be a number");
      }
      minScore = in.get("minScore").asDouble();
    }
    String secret = in.hasNonNull("secret") ? in.get("secret").asText() : null;
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      return ApiToken.error(
          HttpStatus.BAD_REQUEST,
          "'secret' must have at least " + MIN_SECRET_LENGTH + " characters");
    }
    if (secret == null) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      secret = HexFormat.of().formatHex(b);
    }
    WebhookSubscription s =
        new WebhookSubscription(
            UUID.randomUUID().toString(), url, fov, types, minScore, secret, Instant.now());
    store.put(s);
    return HttpResponse.<String>status(HttpStatus.CREATED)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .header("Location", "/subscriptions/" + s.id())
        .body(json(s));
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> list(@Header("Authorization") @Nullable String authorization) {
    Optional<HttpResponse<String>> refused = guard(authorization);
    if (refused.isPresent()) {
      return refused.get();
    }
    ArrayNode out = Json.mapper().createArrayNode();
    store.all().forEach(s -> out.add(Json.mapper().valueToTree(s.withoutSecret())));
    return HttpResponse.ok(out.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> one(
      @Header("Authorization") @Nullable String authorization, @PathVariable String id) {
    Optional<HttpResponse<String>> refused = guard(authorization);
    if (refused.isPresent()) {
      return refused.get();
    }
    return store
        .get(id)
        .map(
            s ->
                HttpResponse.ok(json(s.withoutSecret()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE))
        .orElseGet(() -> ApiToken.error(HttpStatus.NOT_FOUND, "no subscription " + id));
  }

  @Delete(value = "/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> delete(
      @Header("Authorization") @Nullable String authorization, @PathVariable String id) {
    Optional<HttpResponse<String>> refused = guard(authorization);
    if (refused.isPresent()) {
      return refused.get();
    }
    return store.delete(id)
        ? HttpResponse.noContent()
        : ApiToken.error(HttpStatus.NOT_FOUND, "no subscription " + id);
  }

  private Optional<HttpResponse<String>> guard(String authorization) {
    Optional<HttpResponse<String>> refused = token.refusal(authorization);
    if (refused.isPresent()) {
      return refused;
    }
    if (!store.awaitLoaded(Duration.ofSeconds(10))) {
      return Optional.of(
          ApiToken.error(
              HttpStatus.SERVICE_UNAVAILABLE, "subscriptions are still loading; try again"));
    }
    return Optional.empty();
  }

  private static String json(WebhookSubscription s) {
    ObjectNode n = Json.mapper().valueToTree(s);
    return n.toString();
  }
}
