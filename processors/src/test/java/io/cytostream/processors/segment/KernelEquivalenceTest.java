package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels agree exactly with the plain formulations they replaced: the radix order of
 * {@link HeightOrder} with sorting {@code (key << 32) | index} as longs, and the two-pass labelling
 * of {@link BinaryOps#label} with a flood fill from each component's first pixel, and {@link
 * Flood#run}'s neighbour lists with the bounds-checked loop it had before its interior fast path.
 */
class KernelEquivalenceTest {

  /** The order the watersheds used before: a sort of packed longs. */
  static int[] sortedOrder(float[] height, boolean[] mask) {
    long[] order = new long[mask.length];
    int k = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        int bits = Float.floatToIntBits(-height[i]);
        int key = bits ^ ((bits >> 31) & 0x7fffffff);
        order[k++] = ((long) key << 32) | i;
      }
    }
    long[] used = Arrays.copyOf(order, k);
    Arrays.sort(used);
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = (int) used[i];
    }
    return out;
  }

  @Test
  void radixOrderIsTheSortedOrder() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 40; trial++) {
      int n = 1 + rnd.nextInt(5000);
      float[] height = new float[n];
      boolean[] mask = new boolean[n];
      int kind = trial % 4;
      for (int i = 0; i < n; i++) {
        mask[i] = rnd.nextDouble() < 0.7;
        height[i] =
            switch (kind) {
              case 0 -> (float) (rnd.nextGaussian() * 1e3); // both signs, wide range
              case 1 -> rnd.nextInt(7); // many ties
              case 2 -> rnd.nextInt(3) - 1 + (rnd.nextBoolean() ? 0f : -0f); // signed zeros
              default -> (float) Math.sqrt(rnd.nextInt(400)); // a distance map's values
            };
      }
      if (kind == 0 && n > 2) {
        height[0] = Float.POSITIVE_INFINITY;
        height[1] = Float.NEGATIVE_INFINITY;
        height[2] = Float.MAX_VALUE;
      }
      assertThat(HeightOrder.descending(height, mask))
          .as("trial %d", trial)
          .containsExactly(sortedOrder(height, mask));
    }
    // one height everywhere: every pass is skipped
    float[] flat = new float[100];
    boolean[] all = new boolean[100];
    Arrays.fill(all, true);
    assertThat(HeightOrder.descending(flat, all)).containsExactly(sortedOrder(flat, all));
    assertThat(HeightOrder.descending(flat, new boolean[100])).isEmpty();
  }

  /** Flood fill from each first pixel in row-major order. */
  static int floodLabel(boolean[] mask, int w, int h, boolean eight, int[] labels) {
    Arrays.fill(labels, 0);
    int[] queue = new int[mask.length];
    int n = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      n++;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = n;
      while (head < tail) {
        int p = queue[head++];
        int x = p % w;
        int y = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            boolean diagonal = dx != 0 && dy != 0;
            if ((dx == 0 && dy == 0) || (!eight && diagonal)) {
              continue;
            }
            if (xx < 0 || xx >= w || yy < 0 || yy >= h) {
              continue;
            }
            int q = yy * w + xx;
            if (mask[q] && labels[q] == 0) {
              labels[q] = n;
              queue[tail++] = q;
            }
          }
        }
      }
    }
    return n;
  }

  @Test
  void twoPassLabellingIsTheFloodFill() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + rnd.nextInt(90);
      int h = 1 + rnd.nextInt(90);
      double density = 0.2 + 0.6 * rnd.nextDouble();
      boolean[] mask = new boolean[w * h];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = rnd.nextDouble() < density;
      }
      for (boolean eight : new boolean[] {true, false}) {
        int[] expected = new int[mask.length];
        int[] actual = new int[mask.length];
        Arrays.fill(actual, -7); // the output array's old content must not matter
        int ne = floodLabel(mask, w, h, eight, expected);
        int na = BinaryOps.label(mask, w, h, eight, actual);
        assertThat(na).as("trial %d %dx%d eight=%b", trial, w, h, eight).isEqualTo(ne);
        assertThat(actual).isEqualTo(expected);
      }
    }
  }

  /** What {@link Flood#run} told its visitor before the interior fast path, one line per pixel. */
  static List<String> plainFloodVisits(float[] height, boolean[] mask, int w, int h) {
    List<String> out = new ArrayList<>();
    boolean[] visited = new boolean[mask.length];
    for (int p : HeightOrder.descending(height, mask)) {
      int y = p / w;
      int x = p - y * w;
      List<Integer> nb = new ArrayList<>();
      int best = -1;
      float bestH = Float.NEGATIVE_INFINITY;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int xx = x + dx;
          int yy = y + dy;
          if ((dx == 0 && dy == 0) || xx < 0 || xx >= w || yy < 0 || yy >= h) {
            continue;
          }
          int q = yy * w + xx;
          if (visited[q]) {
            nb.add(q);
            if (height[q] > bestH) {
              bestH = height[q];
              best = q;
            }
          }
        }
      }
      out.add(p + " " + height[p] + " " + nb + " " + best);
      visited[p] = true;
    }
    return out;
  }

  @Test
  void floodVisitsEqualThePlainLoop() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 60; trial++) {
      int w = 1 + rnd.nextInt(60);
      int h = 1 + rnd.nextInt(60);
      float[] height = new float[w * h];
      boolean[] mask = new boolean[w * h];
      int levels = 1 + rnd.nextInt(12); // few levels: many ties, which scan order breaks
      for (int i = 0; i < height.length; i++) {
        height[i] = rnd.nextInt(levels);
        mask[i] = rnd.nextDouble() < 0.85;
      }
      List<String> actual = new ArrayList<>();
      Flood.run(
          height,
          mask,
          w,
          h,
          (p, level, neighbours, count, highest) -> {
            List<Integer> nb = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              nb.add(neighbours[i]);
            }
            actual.add(p + " " + level + " " + nb + " " + highest);
          });
      assertThat(actual)
          .as("trial %d %dx%d", trial, w, h)
          .isEqualTo(plainFloodVisits(height, mask, w, h));
    }
  }
}
