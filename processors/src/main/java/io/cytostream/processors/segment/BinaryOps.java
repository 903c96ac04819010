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
    java.util.Arrays.fill(labels, 0);
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
          int yy = y + dy;
          if (yy < 0 || yy >= h) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)) {
              continue;
            }
            int xx = x + dx;
            if (xx < 0 || xx >= w) {
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
    boolean[] bg = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      bg[i] = !mask[i];
    }
    int[] lab = new int[mask.length];
    int n = label(bg, w, h, false, lab);
    boolean[] touches = new boolean[n + 1];
    for (int x = 0; x < w; x++) {
      touches[lab[x]] = true;
      touches[lab[(h - 1) * w + x]] = true;
    }
    for (int y = 0; y < h; y++) {
      touches[lab[y * w]] = true;
      touches[lab[y * w + w - 1]] = true;
    }
    int[] area = areas(lab, n);
    for (int i = 0; i < mask.length; i++) {
      int l = lab[i];
      if (l != 0 && !touches[l] && area[l] <= maxHoleArea) {
        mask[i] = true;
      }
    }
  }
}
