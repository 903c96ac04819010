package io.cytostream.processors.service;

import io.cytostream.schemas.Json;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The bearer token of the subscription endpoints: {@code cytostream.api.token}, or the environment
 * variable {@code CYTOSTREAM_API_TOKEN} (Micronaut maps it to that property). It is never logged
 * nor printed. Without one, the endpoints refuse every request with 503 and a JSON error saying how
 * to configure it; with one, a request without {@code Authorization: Bearer <token>} or with
 * another token gets 401. The comparison takes the same time whatever the token's prefix.
 */
@Singleton
public class ApiToken {
  private final byte[] token;

  public ApiToken(@Value("${cytostream.api.token:}") @Nullable String token) {
    this.token =
        token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a token is configured. */
  public boolean configured() {
    return token != null;
  }

  /** The refusal of a request with this {@code Authorization} header, or empty to let it in. */
  public Optional<HttpResponse<String>> refusal(@Nullable String authorization) {
    if (token == null) {
      return Optional.of(
          error(
              HttpStatus.SERVICE_UNAVAILABLE,
              "subscriptions are disabled: no API token is configured (set CYTOSTREAM_API_TOKEN"
                  + " or cytostream.api.token)"));
    }
    String prefix = "Bearer ";
    if (authorization == null
        || authorization.length() <= prefix.length()
        || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return Optional.of(
          error(HttpStatus.UNAUTHORIZED, "missing bearer token (Authorization: Bearer <token>)")
              .header("WWW-Authenticate", "Bearer realm=\"cytostream\""));
    }
    byte[] given = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      return Optional.of(
          error(HttpStatus.UNAUTHORIZED, "invalid bearer token")
              .header("WWW-Authenticate", "Bearer realm=\"cytostream\", error=\"invalid_token\""));
    }
    return Optional.empty();
  }

  /** A JSON error answer: {@code {"error": message}}. */
  static MutableHttpResponse<String> error(HttpStatus status, String message) {
    return HttpResponse.<String>status(status)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(Json.mapper().createObjectNode().put("error", message).toString());
  }

  @Override
  public String toString() {
    return "ApiToken[" + (token == null ? "none" : "configured") + "]";
  }
}
