package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.BinaryOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the network's two probability maps (foreground, cell boundary) into a label image: seeded
 * watershed on the boundary map.
 *
 * <ol>
 *   <li>mask = foreground &gt; {@code fgThreshold}, holes up to {@code fillHolesMaxArea} filled;
 *   <li>seeds = connected components (4-neighbour) of mask ∧ boundary &lt; {@code
 *       boundaryThreshold}, seeds below {@code minSeedArea} dropped; seeds whose centroids lie
 *       closer than {@code seedMergeDistance} px are one seed (the fragments of one textured cell);
 *       0 disables merging;
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
 * @param seedMergeDistance seeds with centroids closer than this, px, are merged (0 = never)
 */
public record MapPostProcessor(
    double fgThreshold,
    double boundaryThreshold,
    int minSeedArea,
    int minArea,
    int fillHolesMaxArea,
    double seedMergeDistance) {

  /** Without seed merging. */
  public MapPostProcessor(
      double fgThreshold,
      double boundaryThreshold,
      int minSeedArea,
      int minArea,
      int fillHolesMaxArea) {
    this(fgThreshold, boundaryThreshold, minSeedArea, minArea, fillHolesMaxArea, 0);
  }

  /**
   * The defaults the shipped model (unet-seg v2) was validated with: foreground &gt; 0.5, seeds
   * where the boundary probability is below 0.3, seeds ≥ 20 px, objects ≥ 60 px, holes ≤ 400 px
   * filled. The boundary threshold was chosen on held-out CC0 and simulator data with the bundled
   * scale ({@link ScaleCalibratedSegmenter#BUNDLED_SCALE}; SEG 0.5 → 0.3: BBBC039 0.821 → 0.828,
   * DSB 2018 0.655 → 0.663, simulated cultures 0.604 → 0.715, textured nuclei 0.769 → 0.800); on
   * CTC SIM+ 01, reported and not tuned on, it costs SEG 0.559 → 0.454 (model card). v1 used 0.5.
   */
  public static MapPostProcessor defaults() {
    return new MapPostProcessor(0.5, 0.3, 20, 60, 400);
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
    int seeds = BinaryOps.label(seedMask, w, h, false, lab);
    if (seedMergeDistance > 0 && seeds > 1) {
      mergeSeeds(lab, seeds, w, seedMergeDistance);
    }
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

  /** Relabels seeds whose centroids are closer than {@code dist} px with one label. */
  static void mergeSeeds(int[] lab, int seeds, int w, double dist) {
    double[] sx = new double[seeds + 1];
    double[] sy = new double[seeds + 1];
    int[] n = new int[seeds + 1];
    for (int i = 0; i < lab.length; i++) {
      int l = lab[i];
      if (l != 0) {
        sx[l] += i % w;
        sy[l] += i / w;
        n[l]++;
      }
    }
    int[] parent = new int[seeds + 1];
    for (int l = 1; l <= seeds; l++) {
      parent[l] = l;
      sx[l] /= Math.max(1, n[l]);
      sy[l] /= Math.max(1, n[l]);
    }
    // a grid of cells of side dist: only seeds in neighbouring cells can be closer than dist
    long gw = (long) Math.ceil(w / dist) + 3;
    Map<Long, List<Integer>> grid = new HashMap<>();
    for (int l = 1; l <= seeds; l++) {
      if (n[l] > 0) {
        long key = (long) Math.floor(sy[l] / dist) * gw + (long) Math.floor(sx[l] / dist);
        grid.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
      }
    }
    double d2 = dist * dist;
    for (int l = 1; l <= seeds; l++) {
      if (n[l] == 0) {
        continue;
      }
      long cy = (long) Math.floor(sy[l] / dist);
      long cx = (long) Math.floor(sx[l] / dist);
      for (long dy = -1; dy <= 1; dy++) {
        for (long dx = -1; dx <= 1; dx++) {
          List<Integer> cell = grid.get((cy + dy) * gw + cx + dx);
          if (cell == null) {
            continue;
          }
          for (int m : cell) {
            if (m > l) {
              double ex = sx[l] - sx[m];
              double ey = sy[l] - sy[m];
              if (ex * ex + ey * ey < d2) {
                parent[find(parent, m)] = find(parent, l);
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < lab.length; i++) {
      if (lab[i] != 0) {
        lab[i] = find(parent, lab[i]);
      }
    }
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /** Seeded flooding of {@code mask} from the labelled pixels, lowest boundary level first. */
  static void grow(int[] lab, boolean[] mask, float[] boundary, int w, int h) {
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
