package io.cytostream.processors.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelContoursTest {

  static LabelImage image(int w, int h, int[] labels) {
    int max = 0;
    for (int l : labels) {
      max = Math.max(max, l);
    }
    return new LabelImage(w, h, labels, max);
  }

  /** Even-odd test of point (x, y) against the closed outline {@code xy}. */
  static boolean inside(int[] xy, double x, double y) {
    boolean hit = false;
    for (int i = 0, j = xy.length - 2; i < xy.length; j = i, i += 2) {
      double xi = xy[i];
      double yi = xy[i + 1];
      double xj = xy[j];
      double yj = xy[j + 1];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
        hit = !hit;
      }
    }
    return hit;
  }

  @Test
  void aRectangleIsItsFourCornersClockwise() {
    int w = 6;
    int h = 5;
    int[] lab = new int[w * h];
    for (int y = 1; y < 3; y++) {
      for (int x = 1; x < 4; x++) {
        lab[y * w + x] = 1;
      }
    }
    List<LabelContours.Contour> c = LabelContours.of(image(w, h, lab));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).label()).isEqualTo(1);
    assertThat(c.get(0).xy()).containsExactly(1, 1, 4, 1, 4, 3, 1, 3);
    assertThat(c.get(0).areaPx()).isEqualTo(6);
  }

  @Test
  void aCellAtTheImageEdgeIsClosedAlongTheEdge() {
    int[] lab = {1, 1, 0, 1};
    List<LabelContours.Contour> c = LabelContours.of(image(2, 2, lab));
    assertThat(c.get(0).xy()).containsExactly(0, 0, 2, 0, 2, 2, 1, 2, 1, 1, 0, 1);
    assertThat(c.get(0).areaPx()).isEqualTo(3);
  }

  @Test
  void aRingIsOutlinedOnTheOutsideOnly() {
    int w = 5;
    int[] lab = new int[w * w];
    for (int y = 1; y < 4; y++) {
      for (int x = 1; x < 4; x++) {
        lab[y * w + x] = (x == 2 && y == 2) ? 0 : 1;
      }
    }
    List<LabelContours.Contour> c = LabelContours.of(image(w, w, lab));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).xy()).containsExactly(1, 1, 4, 1, 4, 4, 1, 4);
    assertThat(c.get(0).areaPx()).isEqualTo(9);
  }

  @Test
  void diagonalPiecesAreKeptApartAndTheLargestIsOutlined() {
    // label 1: a 2x2 block and, touching it only at a corner, a single pixel
    int w = 4;
    int[] lab = new int[w * w];
    lab[0] = 1;
    lab[1] = 1;
    lab[w] = 1;
    lab[w + 1] = 1;
    lab[2 * w + 2] = 1;
    List<LabelContours.Contour> c = LabelContours.of(image(w, w, lab));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).xy()).containsExactly(0, 0, 2, 0, 2, 2, 0, 2);
  }

  /**
   * Discs cut by a Voronoi partition of random seeds (convex cells, no holes, touching each other):
   * each outline encloses exactly the pixels of its label's largest 4-connected piece.
   */
  @Test
  void outlinesEncloseExactlyTheirCellsPixels() {
    Random rnd = new Random(3);
    for (int round = 0; round < 5; round++) {
      int w = 60 + rnd.nextInt(20);
      int h = 50 + rnd.nextInt(20);
      int n = 12;
      double[][] seeds = new double[n][];
      for (int i = 0; i < n; i++) {
        seeds[i] = new double[] {rnd.nextDouble() * w, rnd.nextDouble() * h};
      }
      int[] lab = new int[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int best = 0;
          double bd = Double.MAX_VALUE;
          for (int i = 0; i < n; i++) {
            double d = Math.hypot(x - seeds[i][0], y - seeds[i][1]);
            if (d < bd) {
              bd = d;
              best = i;
            }
          }
          lab[y * w + x] = bd < 12 ? best + 1 : 0;
        }
      }
      LabelImage img = image(w, h, lab);
      List<LabelContours.Contour> contours = LabelContours.of(img);
      assertThat(contours).isNotEmpty();
      for (LabelContours.Contour c : contours) {
        boolean[] piece = largestPiece(img, c.label());
        int enclosed = 0;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean in = inside(c.xy(), x + 0.5, y + 0.5);
            assertThat(in)
                .as("label %d pixel (%d,%d)", c.label(), x, y)
                .isEqualTo(piece[y * w + x]);
            enclosed += in ? 1 : 0;
          }
        }
        assertThat(c.areaPx()).isEqualTo(enclosed);
      }
    }
  }

  static boolean[] largestPiece(LabelImage img, int label) {
    int w = img.width();
    int h = img.height();
    int[] comp = new int[w * h];
    int best = 0;
    int bestSize = 0;
    int next = 0;
    for (int s = 0; s < w * h; s++) {
      if (img.labels()[s] != label || comp[s] != 0) {
        continue;
      }
      next++;
      int size = 0;
      ArrayDeque<Integer> q = new ArrayDeque<>(List.of(s));
      comp[s] = next;
      while (!q.isEmpty()) {
        int p = q.poll();
        size++;
        int x = p % w;
        int y = p / w;
        int[][] nb = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
        for (int[] q2 : nb) {
          if (q2[0] >= 0 && q2[0] < w && q2[1] >= 0 && q2[1] < h) {
            int k = q2[1] * w + q2[0];
            if (img.labels()[k] == label && comp[k] == 0) {
              comp[k] = next;
              q.add(k);
            }
          }
        }
      }
      if (size > bestSize) {
        bestSize = size;
        best = next;
      }
    }
    boolean[] out = new boolean[w * h];
    for (int i = 0; i < w * h; i++) {
      out[i] = comp[i] == best && best != 0;
    }
    return out;
  }
}
