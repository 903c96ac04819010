package io.cytostream.processors.segment;

/**
 * Plain binary-mask operations on row-major masks ({@code true} = foreground): connected-component
 * labelling, area filtering and hole filling.
 */
public final class BinaryOps {
  private BinaryOps() {}

  /**
   * Labels the connected components of {@code mask}.
   *
   * @param eight 8-connectivity when true, else 4-connectivity
   * @param labels output, same length as mask: 0 = background, components 1..n in row-major order
   *     of their first pixel
   * @return n, the number of components
   */
  public static int label(boolean[] mask, int w, int h, boolean eight, int[] labels) {
    // two passes: provisional labels from the already scanned neighbours (W, and NW, N, NE or N
    // alone) with a union-find of equivalences, then each pixel gets its component's number in
    // row-major order of the component's first pixel (the order a flood fill from each first
    // pixel would give)
    int[] parent = new int[256];
    int next = 1; // provisional labels 1..next-1; parent[0] unused
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int p = o + x;
        if (!mask[p]) {
          labels[p] = 0;
          continue;
        }
        int l = x > 0 ? labels[p - 1] : 0;
        if (y > 0) {
          int up = p - w;
          l = join(parent, l, labels[up]);
          if (eight) {
            if (x > 0) {
              l = join(parent, l, labels[up - 1]);
            }
            if (x < w - 1) {
              l = join(parent, l, labels[up + 1]);
            }
          }
        }
        if (l == 0) {
          if (next == parent.length) {
            parent = java.util.Arrays.copyOf(parent, 2 * parent.length);
          }
          parent[next] = next;
          l = next++;
        }
        labels[p] = l;
      }
    }
    int[] number = new int[next];
    int n = 0;
    for (int p = 0; p < labels.length; p++) {
      int l = labels[p];
      if (l != 0) {
        int r = Flood.find(parent, l);
        if (number[r] == 0) {
          number[r] = ++n;
        }
        labels[p] = number[r];
      }
    }
    return n;
  }

  /** Merges the classes of provisional labels {@code a} and {@code b} (0 = none); returns one. */
  private static int join(int[] parent, int a, int b) {
    if (b == 0) {
      return a;
    }
    if (a == 0) {
      return b;
    }
    int ra = Flood.find(parent, a);
    int rb = Flood.find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    return Math.min(ra, rb);
  }

  /** Pixel count per label, index 0..n. */
  public static int[] areas(int[] labels, int n) {
    int[] a = new int[n + 1];
    for (int l : labels) {
      a[l]++;
    }
    return a;
  }

  /**
   * Removes 8-connected foreground components with fewer than {@code minArea} pixels (in place).
   */
  public static void removeSmall(boolean[] mask, int w, int h, int minArea) {
    if (minArea <= 1) {
      return;
    }
    int[] lab = new int[mask.length];
    int n = label(mask, w, h, true, lab);
    int[] area = areas(lab, n);
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] && area[lab[i]] < minArea) {
        mask[i] = false;
      }
    }
  }

  /**
   * Fills holes (in place): 4-connected background components that do not touch the image border
   * and have at most {@code maxHoleArea} pixels become foreground.
   */
  public static void fillHoles(boolean[] mask, int w, int h, int maxHoleArea) {
    // padded state grid: 0 = foreground or padding (blocked), 1 = background, 2 = reached from
    // the border; neighbours are p +- 1 and p +- pw with no bounds checks
    int pw = w + 2;
    byte[] st = new byte[pw * (h + 2)];
    for (int y = 0; y < h; y++) {
      int o = (y + 1) * pw + 1;
      for (int x = 0; x < w; x++) {
        st[o + x] = mask[y * w + x] ? (byte) 0 : (byte) 1;
      }
    }
    int[] queue = new int[w * h];
    int tail = 0;
    for (int x = 0; x < w; x++) {
      tail = seed(st, pw + 1 + x, queue, tail);
      tail = seed(st, h * pw + 1 + x, queue, tail);
    }
    for (int y = 0; y < h; y++) {
      tail = seed(st, (y + 1) * pw + 1, queue, tail);
      tail = seed(st, (y + 1) * pw + w, queue, tail);
    }
    flood(st, pw, queue, 0, tail, (byte) 1, (byte) 2);
    // what is still 1 is a hole; measure each hole component and fill the small ones
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = (y + 1) * pw + 1 + x;
        if (st[p] != 1) {
          continue;
        }
        st[p] = 3;
        queue[0] = p;
        int n = flood(st, pw, queue, 0, 1, (byte) 1, (byte) 3);
        if (n <= maxHoleArea) {
          for (int k = 0; k < n; k++) {
            int q = queue[k];
            mask[(q / pw - 1) * w + (q % pw - 1)] = true;
          }
        }
      }
    }
  }

  private static int seed(byte[] st, int p, int[] queue, int tail) {
    if (st[p] == 1) {
      st[p] = 2;
      queue[tail++] = p;
    }
    return tail;
  }

  /** BFS from queue[head..tail) over cells equal to {@code from}, setting them to {@code to}. */
  private static int flood(byte[] st, int pw, int[] queue, int head, int tail, byte from, byte to) {
    while (head < tail) {
      int p = queue[head++];
      if (st[p - 1] == from) {
        st[p - 1] = to;
        queue[tail++] = p - 1;
      }
      if (st[p + 1] == from) {
        st[p + 1] = to;
        queue[tail++] = p + 1;
      }
      if (st[p - pw] == from) {
        st[p - pw] = to;
        queue[tail++] = p - pw;
      }
      if (st[p + pw] == from) {
        st[p + pw] = to;
        queue[tail++] = p + pw;
      }
    }
    return tail;
  }
}
