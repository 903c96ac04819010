package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.Segmenter;
import org.junit.jupiter.api.Test;

/** Object size estimate, resizing, and the two-pass rescaling segmenter. */
class ObjectScaleTest {
  /** Discs of radius r on a regular grid, labelled 1..n. */
  static LabelImage discs(int w, int h, double r, int step) {
    int[] lab = new int[w * h];
    int n = 0;
    for (int cy = step / 2; cy + r < h; cy += step) {
      for (int cx = step / 2; cx + r < w; cx += step) {
        n++;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            if (Math.hypot(x - cx, y - cy) <= r) {
              lab[y * w + x] = n;
            }
          }
        }
      }
    }
    return new LabelImage(w, h, lab, n);
  }

  static FloatImage plane(LabelImage l) {
    float[] v = new float[l.labels().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = l.labels()[i] != 0 ? 1.2f : 0.4f;
    }
    return new FloatImage(l.width(), l.height(), v);
  }

  @Test
  void medianDiameterOfDiscs() {
    assertThat(ObjectScale.medianDiameter(discs(200, 200, 10, 40))).isBetween(19.0, 21.5);
    assertThat(ObjectScale.medianDiameter(new LabelImage(4, 4, new int[16], 0))).isNaN();
  }

  @Test
  void factorOnlyOutsideTheRangeAndClamped() {
    ObjectScale s = new ObjectScale(30, 12, 60, 3, 4);
    assertThat(s.factor(discs(200, 200, 10, 40))).isEqualTo(1.0);
    assertThat(s.factor(discs(600, 600, 50, 200))).isBetween(0.28, 0.32);
    assertThat(s.factor(discs(200, 200, 2, 20))).isEqualTo(4.0);
    assertThat(s.factor(discs(200, 200, 50, 400))).as("too few objects").isEqualTo(1.0);
  }

  @Test
  void resizeRoundTripKeepsTheObjects() {
    LabelImage l = discs(200, 160, 12, 40);
    LabelImage back =
        ObjectScale.resize(ObjectScale.resize(l, 100, 80), l.width(), l.height()).validate();
    assertThat(back.count()).isEqualTo(l.count());
    int same = 0;
    for (int i = 0; i < l.labels().length; i++) {
      same += (l.labels()[i] != 0) == (back.labels()[i] != 0) ? 1 : 0;
    }
    assertThat(same / (double) l.labels().length).isGreaterThan(0.97);
    FloatImage p = ObjectScale.resize(plane(l), 50, 40);
    assertThat(p.width()).isEqualTo(50);
    for (float v : p.data()) {
      assertThat(v).isBetween(0.4f, 1.2f);
    }
  }

  @Test
  void rescalingSegmenterResizesLargeObjectsToTheTarget() {
    LabelImage big = discs(480, 480, 60, 160);
    int[] seen = new int[1];
    Segmenter inner =
        img -> {
          seen[0] = img.width();
          // a perfect segmenter of this scene at any scale
          return ObjectScale.resize(big, img.width(), img.height());
        };
    Segmenter s = new RescalingSegmenter(inner, new ObjectScale(30, 12, 60, 3, 4));
    LabelImage out = s.segment(plane(big));
    assertThat(seen[0]).as("second pass at about 30/120 of the size").isBetween(110, 130);
    assertThat(out.width()).isEqualTo(480);
    assertThat(out.count()).isEqualTo(big.count());
  }
}
