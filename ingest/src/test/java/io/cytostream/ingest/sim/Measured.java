package io.cytostream.ingest.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-side measurement of a label image, written independently of the simulator's: per label the
 * area, centroid and border contact, and the shared border of every pair of labels counted as
 * 4-adjacent pixel pairs.
 */
final class Measured {
  final Map<Integer, long[]> sums = new TreeMap<>(); // label -> {area, sumX, sumY, touches}
  final Map<Integer, Map<Integer, Integer>> border = new HashMap<>();

  Measured(short[] labels, int width, int height, int margin) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int a = Short.toUnsignedInt(labels[y * width + x]);
        if (a == 0) {
          continue;
        }
        long[] s = sums.computeIfAbsent(a, k -> new long[4]);
        s[0]++;
        s[1] += x;
        s[2] += y;
        if (x <= margin || y <= margin || x >= width - 1 - margin || y >= height - 1 - margin) {
          s[3] = 1;
        }
        if (x + 1 < width) {
          count(a, Short.toUnsignedInt(labels[y * width + x + 1]));
        }
        if (y + 1 < height) {
          count(a, Short.toUnsignedInt(labels[(y + 1) * width + x]));
        }
      }
    }
  }

  private void count(int a, int b) {
    if (b != 0 && b != a) {
      border.computeIfAbsent(a, k -> new HashMap<>()).merge(b, 1, Integer::sum);
      border.computeIfAbsent(b, k -> new HashMap<>()).merge(a, 1, Integer::sum);
    }
  }

  boolean has(int label) {
    return sums.containsKey(label);
  }

  boolean touchesBorder(int label) {
    return sums.get(label)[3] == 1;
  }

  double cx(int label) {
    long[] s = sums.get(label);
    return (double) s[1] / s[0];
  }

  double cy(int label) {
    long[] s = sums.get(label);
    return (double) s[2] / s[0];
  }

  /** Shared border of a and b, px. */
  int shared(int a, int b) {
    return border.getOrDefault(a, Map.of()).getOrDefault(b, 0);
  }

  Map<Integer, Integer> neighbours(int label) {
    return border.getOrDefault(label, Map.of());
  }
}
