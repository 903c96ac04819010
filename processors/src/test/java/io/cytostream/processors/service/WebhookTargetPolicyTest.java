package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook target policy (IP literals only: no DNS in the test) and the API token's answers. */
class WebhookTargetPolicyTest {
  private final WebhookTargetPolicy strict = new WebhookTargetPolicy(List.of());

  @Test
  void refusesLoopbackLinkLocalMetadataPrivateAndOtherSchemes() {
    for (String url :
        List.of(
            "http://127.0.0.1:8080/hook",
            "http://127.1.2.3/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/",
            "http://10.0.0.5/",
            "http://172.20.1.1/",
            "http://192.168.1.10/",
            "http://[fd00:ec2::254]/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://[::ffff:127.0.0.1]/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "ftp://8.8.8.8/",
            "file:///etc/passwd",
            "http://user:pw@8.8.8.8/",
            "not a url")) {
      assertThat(strict.refusal(url)).as(url).isPresent();
    }
    assertThat(strict.refusal("http://169.254.169.254/").get()).contains("metadata");
    assertThat(strict.refusal("http://127.0.0.1/").get()).contains("loopback");
  }

  @Test
  void acceptsPublicAddressesAndAllowedNetworks() {
    assertThat(strict.refusal("https://8.8.8.8/hook")).isEmpty();
    assertThat(strict.refusal("http://[2001:4860:4860::8888]/")).isEmpty();
    WebhookTargetPolicy local = WebhookTargetPolicy.of("127.0.0.1/32, 10.20.0.0/16");
    assertThat(local.refusal("http://127.0.0.1:9000/hook")).isEmpty();
    assertThat(local.refusal("http://127.0.0.2:9000/hook")).isPresent();
    assertThat(local.refusal("http://10.20.3.4/")).isEmpty();
    assertThat(local.refusal("http://10.21.3.4/")).isPresent();
    assertThat(local.refusal("http://169.254.169.254/")).isPresent();
    assertThatThrownBy(() -> WebhookTargetPolicy.of("example.org/8"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTokenRefusesWith503WhenUnsetAnd401WhenMissingOrWrong() {
    ApiToken none = new ApiToken(null);
    assertThat(none.refusal("Bearer anything"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.code()).isEqualTo(503);
              assertThat(r.body()).contains("CYTOSTREAM_API_TOKEN").startsWith("{\"error\":");
            });
    ApiToken token = new ApiToken("s3cret-token");
    assertThat(token.refusal(null)).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(401));
    assertThat(token.refusal("Bearer wrong"))
        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(401));
    assertThat(token.refusal("Basic s3cret-token"))
        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(401));
    assertThat(token.refusal("Bearer s3cret-token")).isEmpty();
    assertThat(token.refusal("bearer s3cret-token")).isEmpty();
    assertThat(token.toString()).doesNotContain("s3cret");
  }
}
