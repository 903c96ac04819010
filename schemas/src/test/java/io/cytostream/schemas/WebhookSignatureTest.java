package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Webhook signatures: a known vector, and what verification refuses. */
class WebhookSignatureTest {
  private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesAnIndependentHmacAndVerifies() {
    // python3 -c 'import hmac,hashlib; print(hmac.new(b"s3cret", b"1700000000.{\"id\":\"1\"}",
    //   hashlib.sha256).hexdigest())'
    assertThat(WebhookSignature.sign("s3cret", 1700000000L, BODY))
        .isEqualTo("t=1700000000,v1=" + PYTHON_HMAC);
    String h = WebhookSignature.sign("s3cret", 1700000000L, BODY);
    assertThat(WebhookSignature.verify("s3cret", h, BODY, 1700000100L, 300)).isTrue();
  }

  @Test
  void refusesAnotherSecretBodyOrAnOldTimestamp() {
    String h = WebhookSignature.sign("s3cret", 1700000000L, BODY);
    assertThat(WebhookSignature.verify("other", h, BODY, 1700000000L, 300)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", h, "{}".getBytes(), 1700000000L, 300)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", h, BODY, 1700000301L, 300)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", "t=1700000000,v1=zz", BODY, 1700000000L, 300))
        .isFalse();
    assertThat(WebhookSignature.verify("s3cret", null, BODY, 1700000000L, 300)).isFalse();
    // the timestamp is signed: moving it breaks the signature
    String moved = h.replace("t=1700000000", "t=1700000001");
    assertThat(WebhookSignature.verify("s3cret", moved, BODY, 1700000001L, 300)).isFalse();
  }

  private static final String PYTHON_HMAC =
      "2b9dee6c893e4bf012ad34ee7b89d492b9567b4f47740ccbf0f161ba3717dc08";
}
