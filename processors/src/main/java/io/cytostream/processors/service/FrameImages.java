package io.cytostream.processors.service;

import io.cytostream.processors.image.FloatImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Renders a plane for the live view: 8-bit grey, linear from black at the plane's 0.5th percentile
 * to grey level {@value #TOP} at its 99.5th (estimated on at most 65,536 evenly spaced pixels), so
 * that outlines drawn on top stay visible on the brightest cells; as a PNG.
 */
final class FrameImages {
  private static final int SAMPLES = 65_536;
  private static final int TOP = 200;

  private FrameImages() {}

  static byte[] png(FloatImage plane) {
    float[] v = plane.data();
    int step = Math.max(1, v.length / SAMPLES);
    float[] s = new float[(v.length + step - 1) / step];
    int n = 0;
    for (int i = 0; i < v.length && n < s.length; i += step) {
      if (Float.isFinite(v[i])) {
        s[n++] = v[i];
      }
    }
    Arrays.sort(s, 0, n);
    float lo = n == 0 ? 0 : s[(int) (0.005 * (n - 1))];
    float hi = n == 0 ? 1 : s[(int) Math.ceil(0.995 * (n - 1))];
    float scale = hi > lo ? TOP / (hi - lo) : 0;
    BufferedImage img =
        new BufferedImage(plane.width(), plane.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      float g = Float.isFinite(v[i]) ? (v[i] - lo) * scale : 0;
      px[i] = (byte) Math.max(0, Math.min(255, Math.round(g)));
    }
    img.getRaster().setDataElements(0, 0, plane.width(), plane.height(), px);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
