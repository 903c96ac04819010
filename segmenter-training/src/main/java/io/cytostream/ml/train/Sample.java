package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.DistanceTransform;
import java.util.Arrays;

/**
 * One training image with its per-pixel targets, all row-major {@code w × h}.
 *
 * @param set the data set it comes from (picks its share of the crops)
 * @param img the normalised plane (service normalisation)
 * @param fg 1 where a cell is
 * @param bd 1 on a cell's one-pixel inner boundary (a pixel whose 3×3 neighbourhood holds another
 *     label, background included)
 * @param known 1 where the loss counts (0 where unannotated cells may lie)
 * @param w width, px
 * @param h height, px
 */
record Sample(String set, float[] img, byte[] fg, byte[] bd, byte[] known, int w, int h) {

  /** Known band around the annotated cells of a partly annotated frame, px. */
  static final int KNOWN_MARGIN = 15;

  /**
   * Targets of one frame. For a partly annotated frame (fewer SEG objects than TRA markers) only
   * pixels within {@value #KNOWN_MARGIN} px of an annotated cell are known (loss weight 1); the
   * rest may be unannotated cells and gets weight 0.
   *
   * @param lab instance labels (0 = background), row-major, same size as {@code img}
   */
  static Sample of(String set, FloatImage img, int[] lab, boolean partial) {
    int w = img.width();
    int h = img.height();
    byte[] known = new byte[w * h];
    if (partial) {
      boolean[] bg = new boolean[w * h];
      for (int i = 0; i < bg.length; i++) {
        bg[i] = lab[i] == 0;
      }
      float[] d = DistanceTransform.euclidean(bg, w, h);
      for (int i = 0; i < d.length; i++) {
        known[i] = (byte) (d[i] <= KNOWN_MARGIN ? 1 : 0);
      }
    } else {
      Arrays.fill(known, (byte) 1);
    }
    byte[] fg = new byte[w * h];
    byte[] bd = new byte[w * h];
    boundaryTargets(lab, w, h, fg, bd);
    return new Sample(set, img.data(), fg, bd, known, w, h);
  }

  /** Fills the foreground and one-pixel inner boundary targets of a label image. */
  static void boundaryTargets(int[] lab, int w, int h, byte[] fg, byte[] bd) {
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        int i = yy * w + xx;
        int l = lab[i];
        if (l == 0) {
          continue;
        }
        fg[i] = 1;
        for (int dy = -1; dy <= 1 && bd[i] == 0; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = xx + dx;
            int ny = yy + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h && lab[ny * w + nx] != l) {
              bd[i] = 1;
              break;
            }
          }
        }
      }
    }
  }

  /** Number of distinct non-zero labels. */
  static int distinct(int[] lab) {
    return (int) Arrays.stream(lab).filter(v -> v != 0).distinct().count();
  }
}
