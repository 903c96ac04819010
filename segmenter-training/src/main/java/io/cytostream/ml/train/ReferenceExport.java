package io.cytostream.ml.train;

import io.cytostream.processors.segment.model.Tiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code reference.json}: a fixed 32×32 input and the outputs the trained network computed
 * for it, so that the service's runtime (DJL) can be checked against the training runtime.
 */
final class ReferenceExport {
  private ReferenceExport() {}

  /** A fixed 32×32 input (a smooth blob pattern) and the model's outputs for it. */
  static void write(Path file, Tiler.Net net, long seed) throws IOException {
    int n = 32;
    float[] in = referenceInput(n);
    float[] o = net.run(in, 1, n, n);
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"shape\": [1, ").append(n).append(", ").append(n).append(", 1],\n");
    sb.append("  \"seed\": ").append(seed).append(",\n  \"input\": ");
    array(sb, in);
    sb.append(",\n  \"output\": ");
    array(sb, o);
    sb.append("\n}\n");
    Files.writeString(file, sb.toString());
  }

  /** The reference input: background 0.35 with two bright discs, deterministic. */
  static float[] referenceInput(int n) {
    float[] in = new float[n * n];
    for (int yy = 0; yy < n; yy++) {
      for (int xx = 0; xx < n; xx++) {
        double d1 = Math.hypot(xx - 10, yy - 12);
        double d2 = Math.hypot(xx - 21, yy - 20);
        double v = 0.35 + 0.4 * Math.exp(-d1 * d1 / 40) + 0.3 * Math.exp(-d2 * d2 / 60);
        in[yy * n + xx] = (float) (v + 0.02 * Math.sin(xx * 1.3 + yy * 0.7));
      }
    }
    return in;
  }

  private static void array(StringBuilder sb, float[] v) {
    sb.append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(i % 16 == 0 ? ",\n    " : ", ");
      }
      sb.append(Float.toString(v[i]));
    }
    sb.append(']');
  }
}
