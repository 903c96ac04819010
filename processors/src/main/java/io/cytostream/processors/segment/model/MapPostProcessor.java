package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.BinaryOps;
import java.util.Arrays;

/**
 * Turns the network's two probability maps (foreground, cell boundary) into a label image: seeded
 * watershed on the boundary map.
 *
 * <ol>
 *   <li>mask = foreground &gt; {@code fgThreshold}, holes up to {@code fillHolesMaxArea} filled;
 *   <li>seeds = connected components (4-neighbour) of mask ∧ boundary &lt; {@code
 *       boundaryThreshold}, seeds below {@code minSeedArea} dropped;
 *   <li>seeds grow through the mask in order of increasing boundary probability (bucket queue, 256
 *       levels; ties first come first served), so touching cells meet on the boundary ridge;
 *   <li>objects below {@code minArea} removed, labels made contiguous.
 * </ol>
 *
 * Stateless and thread-safe.
 *
 * @param fgThreshold foreground probability threshold
 * @param boundaryThreshold boundary probability below which a foreground pixel is a seed pixel
 * @param minSeedArea smallest seed component, px
 * @param minArea smallest object kept, px
 * @param fillHolesMaxArea holes in the mask up to this area are filled
 */
public record MapPostProcessor(
    double fgThreshold,
    double boundaryThreshold,
    int minSeedArea,
    int minArea,
    int fillHolesMaxArea) {

  /** The defaults the shipped model was validated with. */
  public static MapPostProcessor defaults() {
    return new MapPostProcessor(0.5, 0.5, 20, 60, 400);
  }

  /**
   * @param fg foreground probability per pixel, row-major
   * @param boundary boundary probability per pixel
   */
  public LabelImage labels(float[] fg, float[] boundary, int w, int h) {
    int n = w * h;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      mask[i] = fg[i] > fgThreshold;
    }
    if (fillHolesMaxArea > 0) {
      BinaryOps.fillHoles(mask, w, h, fillHolesMaxArea);
    }
    boolean[] seedMask = new boolean[n];
    for (int i = 0; i < n; i++) {
      seedMask[i] = mask[i] && boundary[i] < boundaryThreshold;
    }
    BinaryOps.removeSmall(seedMask, w, h, minSeedArea);
    int[] lab = new int[n];
    BinaryOps.label(seedMask, w, h, false, lab);
    grow(lab, mask, boundary, w, h);
    LabelImage grown = LabelImage.relabel(w, h, lab);
    int[] raw = grown.labels();
    int[] area = BinaryOps.areas(raw, grown.count());
    for (int i = 0; i < n; i++) {
      if (raw[i] != 0 && area[raw[i]] < minArea) {
        raw[i] = 0;
      }
    }
    return LabelImage.relabel(w, h, raw);
  }

  /** Seeded flooding of {@code mask} from the labelled pixels, lowest boundary level first. */
  private static void grow(int[] lab, boolean[] mask, float[] boundary, int w, int h) {
    int levels = 256;
    int[][] bucket = new int[levels][];
    int[] size = new int[levels];
    for (int i = 0; i < lab.length; i++) {
      if (lab[i] != 0) {
        for (int d = 0; d < 4; d++) {
          int j = neighbour(i, d, w, h);
          if (j >= 0 && mask[j] && lab[j] == 0) {
            push(bucket, size, level(boundary[i], levels), i);
            break;
          }
        }
      }
    }
    for (int lv = 0; lv < levels; lv++) {
      while (size[lv] > 0) {
        int i = bucket[lv][--size[lv]];
        for (int d = 0; d < 4; d++) {
          int j = neighbour(i, d, w, h);
          if (j >= 0 && mask[j] && lab[j] == 0) {
            lab[j] = lab[i];
            int l = Math.max(lv, level(boundary[j], levels));
            push(bucket, size, l, j);
          }
        }
      }
    }
  }

  private static int level(float p, int levels) {
    int l = (int) (p * levels);
    return l < 0 ? 0 : Math.min(levels - 1, l);
  }

  private static void push(int[][] bucket, int[] size, int lv, int v) {
    if (bucket[lv] == null) {
      bucket[lv] = new int[64];
    } else if (size[lv] == bucket[lv].length) {
      bucket[lv] = Arrays.copyOf(bucket[lv], size[lv] * 2);
    }
    bucket[lv][size[lv]++] = v;
  }

  private static int neighbour(int i, int d, int w, int h) {
    int x = i % w;
    int y = i / w;
    return switch (d) {
      case 0 -> x > 0 ? i - 1 : -1;
      case 1 -> x < w - 1 ? i + 1 : -1;
      case 2 -> y > 0 ? i - w : -1;
      default -> y < h - 1 ? i + w : -1;
    };
  }
}
