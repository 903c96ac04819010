package io.cytostream.processors.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which webhook targets the service may call (server-side request forgery guard). A target must be
 * an {@code http} or {@code https} URL without user info whose host resolves; every address it
 * resolves to must be public: loopback ({@code 127.0.0.0/8}, {@code ::1}), link-local ({@code
 * 169.254.0.0/16} — the cloud metadata address {@code 169.254.169.254} among them —, {@code
 * fe80::/10}), private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7}),
 * shared ({@code 100.64/10}), unspecified ({@code 0.0.0.0/8}, {@code ::}) and multicast addresses
 * are refused, as are the metadata host names ({@code metadata.google.internal}, {@code
 * metadata}...), unless the address lies in one of the allowed networks ({@code
 * cytostream.webhooks.allowed-networks}, CIDRs such as {@code 127.0.0.1/32} or {@code
 * 10.20.0.0/16}). The check runs when a subscription is made and again before every delivery
 * (addresses can change); redirects are never followed.
 */
public final class WebhookTargetPolicy {
  private static final Set<String> METADATA_HOSTS =
      Set.of(
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.azure.com");

  private record Network(byte[] base, int prefix) {}

  private final List<Network> allowed = new ArrayList<>();

  /**
   * @param allowedNetworks CIDRs whose addresses are allowed although loopback, private or
   *     link-local (empty: none)
   * @throws IllegalArgumentException for a CIDR that does not parse
   */
  public WebhookTargetPolicy(List<String> allowedNetworks) {
    for (String cidr : allowedNetworks) {
      String c = cidr.trim();
      if (c.isEmpty()) {
        continue;
      }
      String[] p = c.split("/", 2);
      byte[] base = literal(p[0]);
      if (base == null) {
        throw new IllegalArgumentException("not an IP network: " + c);
      }
      int prefix = p.length == 2 ? Integer.parseInt(p[1].trim()) : base.length * 8;
      if (prefix < 0 || prefix > base.length * 8) {
        throw new IllegalArgumentException("bad prefix length in " + c);
      }
      allowed.add(new Network(base, prefix));
    }
  }

  /** A policy from a comma-separated list of CIDRs. */
  public static WebhookTargetPolicy of(String allowedNetworks) {
    return new WebhookTargetPolicy(
        allowedNetworks == null ? List.of() : List.of(allowedNetworks.split(",")));
  }

  /** Why the service may not call {@code url}, or empty when it may. */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return Optional.of("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("only http and https targets are allowed, not '" + scheme + "'");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("user info in target URLs is not allowed");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return Optional.of("target URL without a host: " + url);
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (METADATA_HOSTS.contains(h)) {
      return Optional.of("cloud metadata host " + host + " is not allowed");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return Optional.of("cannot resolve host " + host);
    }
    for (InetAddress a : addresses) {
      Optional<String> why = refusal(a);
      if (why.isPresent()) {
        return Optional.of(host + " resolves to " + a.getHostAddress() + ", " + why.get());
      }
    }
    return Optional.empty();
  }

  /** Why the service may not call {@code a}, or empty. */
  Optional<String> refusal(InetAddress a) {
    byte[] b = a.getAddress();
    for (Network n : allowed) {
      if (n.base().length == b.length && matches(n, b)) {
        return Optional.empty();
      }
    }
    String why = null;
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (a.isLoopbackAddress()) {
      why = "a loopback address";
    } else if (b.length == 4
        && b0 == 169
        && b1 == 254
        && (b[2] & 0xff) == 169
        && (b[3] & 0xff) == 254) {
      why = "the cloud metadata address";
    } else if (a.isLinkLocalAddress()) {
      why = "a link-local address";
    } else if (a.isSiteLocalAddress()
        || b.length == 16 && (b0 & 0xfe) == 0xfc
        || b.length == 4
            && (b0 == 10 || b0 == 172 && (b1 & 0xf0) == 16 || b0 == 192 && b1 == 168)) {
      why = "a private address";
    } else if (b.length == 4 && b0 == 100 && (b1 & 0xc0) == 64) {
      why = "a shared (carrier-grade NAT) address";
    } else if (a.isAnyLocalAddress() || b.length == 4 && b0 == 0) {
      why = "an unspecified address";
    } else if (a.isMulticastAddress()) {
      why = "a multicast address";
    }
    return Optional.ofNullable(
        why == null ? null : why + " (allow it with cytostream.webhooks.allowed-networks)");
  }

  private static boolean matches(Network n, byte[] b) {
    int bits = n.prefix();
    for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((b[i] & mask) != (n.base()[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal, or null when {@code s} is not one (no DNS lookup). */
  private static byte[] literal(String s) {
    String t = s.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean looksLikeIp = t.contains(":") || t.matches("[0-9.]+");
    if (!looksLikeIp) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
