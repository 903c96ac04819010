package io.cytostream.processors.testing;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded fuzzer of {@code frames.raw} records: valid frames (small planes of every pixel type)
 * and bad records made from them by mutations that each break a rule of {@code schemas/README.md}
 * by construction: random bytes, truncation, extension, corrupted magic, version and header length,
 * header JSON not an object or not JSON, required fields removed or of the wrong JSON type or out
 * of range, schema versions, pixel type names, FOV ids that break the grammar, keys that do not
 * match, NaN/Inf in float32 planes, and malformed claim checks. (Plain seeded random rather than
 * jqwik, which is not in the offline Maven repository; a failing case is reproduced from the seed
 * and the record's index.)
 */
public final class FrameFuzzer {
  /** One record: key and value bytes; {@code bad} when a rule is broken, with the mutation name. */
  public record Case(
      byte[] key, byte[] value, boolean bad, String mutation, String fov, long frame) {}

  private static final String[] TYPES = {"uint8", "uint16", "float32"};
  private static final String[] REQUIRED = {
    "schemaVersion", "fov", "frameIndex", "width", "height", "pixelType"
  };
  private static final String[] BAD_FOVS = {
    "",
    "/a",
    "a/",
    "a//b",
    "..",
    "a/./b",
    "a b",
    "ä",
    "a\\b",
    "x".repeat(65),
    "a/b/c/d/e/f/g/h/i",
    "tab\tid",
    "new\nline",
    "a?b",
    "a#b",
    "a*b"
  };

  private final Random rnd;

  public FrameFuzzer(long seed) {
    this.rnd = new Random(seed);
  }

  /** A valid frame of {@code fov} with index {@code frame}: a small random plane. */
  public Case good(String fov, long frame) {
    String type = TYPES[(int) Math.floorMod(fov.hashCode(), 3)];
    Frame f = frame(fov, frame, type, 6 + rnd.nextInt(6), 6 + rnd.nextInt(6));
    return new Case(utf8(fov), FrameCodec.encode(f), false, "good", fov, frame);
  }

  private Frame frame(String fov, long index, String type, int w, int h) {
    PixelType t = PixelType.fromWireName(type).orElseThrow();
    ByteBuffer b = ByteBuffer.allocate(w * h * t.bytesPerPixel()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < w * h; i++) {
      switch (t) {
        case UINT8 -> b.put((byte) rnd.nextInt(256));
        case UINT16 -> b.putShort((short) rnd.nextInt(65536));
        case FLOAT32 -> b.putFloat((float) (rnd.nextGaussian() * 100 + 500));
      }
    }
    return new Frame(
        new FrameHeader(1, fov, index, null, w, h, type, null, null, null, null), b.array());
  }

  /** A bad record for FOV {@code fov}: one mutation chosen at random. */
  public Case bad(String fov) {
    long index = rnd.nextInt(1000);
    String type = TYPES[rnd.nextInt(3)];
    int w = 2 + rnd.nextInt(6);
    int h = 2 + rnd.nextInt(6);
    Frame base = frame(fov, index, type, w, h);
    byte[] env = FrameCodec.encode(base);
    int headerLen = ByteBuffer.wrap(env).order(ByteOrder.LITTLE_ENDIAN).getInt(5);
    byte[] key = utf8(fov);
    int kind = rnd.nextInt(16);
    switch (kind) {
      case 0 -> {
        byte[] r = new byte[rnd.nextInt(120)];
        rnd.nextBytes(r);
        if (r.length > 0 && r[0] == 'C') {
          r[0] = 'X';
        }
        return bad(key, r, "random-bytes", fov);
      }
      case 1 -> {
        int cut = rnd.nextInt(env.length); // strictly shorter
        return bad(key, java.util.Arrays.copyOf(env, cut), "truncated", fov);
      }
      case 2 -> {
        byte[] extra = new byte[1 + rnd.nextInt(40)];
        rnd.nextBytes(extra);
        byte[] out = java.util.Arrays.copyOf(env, env.length + extra.length);
        System.arraycopy(extra, 0, out, env.length, extra.length);
        return bad(key, out, "extended", fov);
      }
      case 3 -> {
        byte[] out = env.clone();
        int i = rnd.nextInt(4);
        out[i] = (byte) (out[i] + 1 + rnd.nextInt(255));
        return bad(key, out, "magic", fov);
      }
      case 4 -> {
        byte[] out = env.clone();
        out[4] = (byte) (2 + rnd.nextInt(254)); // 0 or >= 2
        if (rnd.nextBoolean()) {
          out[4] = 0;
        }
        return bad(key, out, "version", fov);
      }
      case 5 -> {
        byte[] out = env.clone();
        int len = headerLen + 1 + rnd.nextInt(Integer.MAX_VALUE - headerLen - 1);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(5, len);
        return bad(key, out, "header-length", fov);
      }
      case 6 -> {
        String[] notObjects = {"[1,2]", "3", "\"x\"", "null", "{", "{\"a\":}", "garbage", "{}}"};
        String j = notObjects[rnd.nextInt(notObjects.length)];
        if (j.equals("{}}")) {
          j = "{}"; // an empty object: every required field missing
        }
        return bad(key, envelope(j, base.pixels()), "header-not-object", fov);
      }
      case 7 -> {
        Map<String, Object> hdr = header(base);
        hdr.remove(REQUIRED[rnd.nextInt(REQUIRED.length)]);
        return bad(key, envelope(json(hdr), base.pixels()), "missing-field", fov);
      }
      case 8 -> {
        Map<String, Object> hdr = header(base);
        String f = REQUIRED[rnd.nextInt(REQUIRED.length)];
        Object v = hdr.get(f);
        Object[] wrong =
            v instanceof String
                ? new Object[] {7, true, List.of(1), Map.of("a", 1), null}
                : new Object[] {"" + v, 1.5, true, List.of(), Map.of(), null};
        hdr.put(f, wrong[rnd.nextInt(wrong.length)]);
        return bad(key, envelope(json(hdr), base.pixels()), "wrong-type:" + f, fov);
      }
      case 9 -> {
        Map<String, Object> hdr = header(base);
        int[] versions = {0, 2, 3, -1, 99};
        hdr.put("schemaVersion", versions[rnd.nextInt(versions.length)]);
        return bad(key, envelope(json(hdr), base.pixels()), "schema-version", fov);
      }
      case 10 -> {
        Map<String, Object> hdr = header(base);
        switch (rnd.nextInt(4)) {
          case 0 -> hdr.put("frameIndex", -1 - rnd.nextInt(100));
          case 1 -> hdr.put("width", -rnd.nextInt(3));
          case 2 -> hdr.put("height", -rnd.nextInt(3));
          default -> hdr.put("acquisitionTime", "yesterday");
        }
        return bad(key, envelope(json(hdr), base.pixels()), "invalid-value", fov);
      }
      case 11 -> {
        Map<String, Object> hdr = header(base);
        String[] types = {
          type.toUpperCase(Locale.ROOT), "int16", "uint32", "float64", " uint8", "Uint16", ""
        };
        hdr.put("pixelType", types[rnd.nextInt(types.length)]);
        return bad(key, envelope(json(hdr), base.pixels()), "pixel-type", fov);
      }
      case 12 -> {
        String badFov = BAD_FOVS[rnd.nextInt(BAD_FOVS.length)];
        Map<String, Object> hdr = header(base);
        hdr.put("fov", badFov);
        return bad(utf8(badFov), envelope(json(hdr), base.pixels()), "invalid-fov", fov);
      }
      case 13 -> {
        byte[] k = rnd.nextInt(3) == 0 ? null : utf8(fov + "-other");
        return bad(k, env, "key", fov);
      }
      case 14 -> {
        Frame f = frame(fov, index, "float32", w, h);
        ByteBuffer b = ByteBuffer.wrap(f.pixels()).order(ByteOrder.LITTLE_ENDIAN);
        float[] nonFinite = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        b.putFloat(4 * rnd.nextInt(w * h), nonFinite[rnd.nextInt(3)]);
        return bad(key, FrameCodec.encode(new Frame(f.header(), b.array())), "non-finite", fov);
      }
      default -> {
        Map<String, Object> hdr = header(base);
        Object[] refs = {
          Map.of("uri", "file:///etc/passwd", "sha256", "0".repeat(64), "byteLength", 16),
          Map.of("uri", "s3://b/k", "sha256", "0".repeat(64), "byteLength", 16),
          Map.of("uri", "file:///x", "sha256", "z", "byteLength", 16),
          Map.of("uri", 5, "sha256", "0".repeat(64), "byteLength", 16),
          Map.of("sha256", "0".repeat(64), "byteLength", 16),
          "file:///x",
        };
        hdr.put("pixelRef", refs[rnd.nextInt(refs.length)]);
        byte[] pixels = rnd.nextBoolean() ? new byte[0] : base.pixels();
        return bad(key, envelope(json(hdr), pixels), "pixel-ref", fov);
      }
    }
  }

  private static Case bad(byte[] key, byte[] value, String mutation, String fov) {
    return new Case(key, value, true, mutation, fov, -1);
  }

  private static Map<String, Object> header(Frame f) {
    FrameHeader h = f.header();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", h.schemaVersion());
    m.put("fov", h.fov());
    m.put("frameIndex", h.frameIndex());
    m.put("width", h.width());
    m.put("height", h.height());
    m.put("pixelType", h.pixelType());
    return m;
  }

  /** JSON of a header map (strings escaped; numbers, booleans, lists, maps, null). */
  static String json(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.append('"').toString();
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(json(k.toString()) + ":" + json(x)));
      return "{" + String.join(",", parts) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(json(x)));
      return "[" + String.join(",", parts) + "]";
    }
    return v.toString();
  }

  static byte[] envelope(String headerJson, byte[] pixels) {
    byte[] hb = utf8(headerJson);
    ByteBuffer b =
        ByteBuffer.allocate(9 + hb.length + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'C', 'S', 'F', 'R'}).put((byte) 1).putInt(hb.length).put(hb).put(pixels);
    return b.array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
