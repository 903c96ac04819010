package io.cytostream.schemas;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: header {@value #HEADER} = {@code t=<unix seconds>,v1=<hex>}
 * where {@code <hex>} is the lower-case hex HMAC-SHA256, keyed with the subscription's secret (its
 * UTF-8 bytes), of the timestamp's decimal digits, a {@code .}, and the request body's bytes. A
 * receiver recomputes it over the raw body, compares in constant time, and refuses timestamps too
 * far from its clock (replays). {@code cytostream_hook.verify_webhook} does the same in Python.
 */
public final class WebhookSignature {
  /** The request header carrying the signature. */
  public static final String HEADER = "X-Cytostream-Signature";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public static String sign(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
  }

  /**
   * Whether {@code header} is a valid signature of {@code body} with {@code secret}, made within
   * {@code toleranceSeconds} of {@code nowSeconds}.
   */
  public static boolean verify(
      String secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
    if (header == null || secret == null) {
      return false;
    }
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("t=")) {
        try {
          t = Long.parseLong(p.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (p.startsWith("v1=")) {
        v1 = p.substring(3);
      }
    }
    if (t == null || v1 == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(v1);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, hmac(secret, t, body));
  }

  private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
