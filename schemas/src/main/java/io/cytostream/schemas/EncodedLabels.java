package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A label image carried inside a JSON message: uint16 little-endian plane, DEFLATE-compressed,
 * base64 text ({@code encoding = "deflate-uint16le-base64"}). Label 0 is background. Optional on
 * the wire: the service attaches it only when asked (e.g. by {@code process}, which writes CTC
 * masks from it).
 *
 * @param encoding always {@value #ENCODING} in version 1
 * @param width plane width in pixels
 * @param height plane height in pixels
 * @param data base64 of the deflated plane
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EncodedLabels(String encoding, int width, int height, String data) {
  /** The only encoding of version 1. */
  public static final String ENCODING = "deflate-uint16le-base64";

  /** Encodes labels (each 0..65535). */
  public static EncodedLabels encode(int width, int height, int[] labels) {
    if (labels.length != width * height) {
      throw new IllegalArgumentException(
          "labels length " + labels.length + " != " + width * height);
    }
    ByteBuffer raw = ByteBuffer.allocate(labels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : labels) {
      if (v < 0 || v > 0xffff) {
        throw new IllegalArgumentException("label " + v + " outside 0..65535");
      }
      raw.putShort((short) v);
    }
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    deflater.setInput(raw.array());
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return new EncodedLabels(
        ENCODING, width, height, Base64.getEncoder().encodeToString(out.toByteArray()));
  }

  /** Decodes to a row-major int array of {@code width*height} labels. */
  public int[] decode() {
    if (!ENCODING.equals(encoding)) {
      throw new IllegalArgumentException("unknown label encoding '" + encoding + "'");
    }
    byte[] raw = new byte[width * height * 2];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(Base64.getDecoder().decode(data));
      int n = 0;
      while (n < raw.length && !inflater.finished()) {
        int got = inflater.inflate(raw, n, raw.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n != raw.length) {
        throw new IllegalArgumentException(
            "label data holds " + n + " bytes, expected " + raw.length);
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt label data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int[] labels = new int[width * height];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = in.getShort() & 0xffff;
    }
    return labels;
  }
}
