package io.cytostream.processors.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellMeasurerTest {

  static LabelImage parse(String... rows) {
    int w = rows[0].length();
    int h = rows.length;
    int[] l = new int[w * h];
    int max = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        char c = rows[y].charAt(x);
        l[y * w + x] = c == '.' ? 0 : c - '0';
        max = Math.max(max, l[y * w + x]);
      }
    }
    return new LabelImage(w, h, l, max);
  }

  static FloatImage ramp(int w, int h) {
    float[] d = new float[w * h];
    for (int i = 0; i < d.length; i++) {
      d[i] = i;
    }
    return new FloatImage(w, h, d);
  }

  @Test
  void handComputedTouchingCells() {
    LabelImage l = parse("11222", "11222", "..333");
    Measurements m = CellMeasurer.measure(l, ramp(5, 3), null, new MeasureConfig(1, 1, 0));
    assertThat(m.cells()).hasSize(3);
    CellMeasurement c1 = m.cells().get(0);
    assertThat(c1.areaPx()).isEqualTo(4);
    assertThat(c1.centroidX()).isEqualTo(0.5);
    assertThat(c1.centroidY()).isEqualTo(0.5);
    assertThat(c1.meanIntensity()).isEqualTo((0 + 1 + 5 + 6) / 4.0);
    assertThat(c1.onBorder()).isTrue();
    assertThat(Double.isNaN(c1.normalizedIntensity())).isTrue();
    assertThat(c1.minX()).isZero();
    assertThat(c1.maxX()).isEqualTo(1);
    // 1|2: two horizontal pairs; 2/3: three vertical pairs (column 2..4, rows 1->2)
    assertThat(m.pairs())
        .containsExactly(
            new NeighbourPair(1, 2, 2, Math.hypot(3 - 0.5, 0)),
            new NeighbourPair(2, 3, 3, Math.hypot(0, 1.5)));
  }

  @Test
  void gapTolerance() {
    // cells 1 and 2 separated by a 2-pixel dark gap over 3 rows
    LabelImage l = parse("11..22", "11..22", "11..22");
    MeasureConfig strict = new MeasureConfig(1, 1, 0);
    assertThat(CellMeasurer.measure(l, ramp(6, 3), null, strict).pairs()).isEmpty();
    MeasureConfig gap1 = new MeasureConfig(1, 1, 1);
    assertThat(CellMeasurer.measure(l, ramp(6, 3), null, gap1).pairs()).isEmpty();
    Measurements m = CellMeasurer.measure(l, ramp(6, 3), null, new MeasureConfig(1, 1, 2));
    assertThat(m.pairs()).hasSize(1);
    assertThat(m.pairs().get(0).sharedBorderPx()).isEqualTo(3);
    // minSharedBorder 5 rejects a 3-pixel border
    assertThat(CellMeasurer.measure(l, ramp(6, 3), null, new MeasureConfig(1, 5, 2)).pairs())
        .isEmpty();
  }

  @Test
  void dropsSmallCellsAndRelabels() {
    LabelImage l = parse("5.777", "5.777", "..7.9");
    FloatImage z = new FloatImage(5, 3, new float[15]);
    java.util.Arrays.fill(z.data(), 0.5f);
    Measurements m = CellMeasurer.measure(l, ramp(5, 3), z, new MeasureConfig(2, 1, 0));
    // label 9 (1 px) dropped; 5 -> 1, 7 -> 2
    assertThat(m.relabelled().count()).isEqualTo(2);
    assertThat(m.relabelled().labels())
        .containsExactly(1, 0, 2, 2, 2, 1, 0, 2, 2, 2, 0, 0, 2, 0, 0);
    m.relabelled().validate();
    assertThat(m.cells().get(1).areaPx()).isEqualTo(7);
    assertThat(m.cells().get(1).normalizedIntensity()).isCloseTo(0.5, within(1e-9));
    assertThat(m.cells().get(1).onBorder()).isTrue();
    assertThat(m.pairs()).isEmpty(); // the 1-px gap column separates 1 and 2 with gap 0
  }

  /**
   * Naive reference: every pixel pair in a row/column within gap+1 with only background between.
   */
  static Map<Long, Integer> naiveShared(int[] lab, int w, int h, int gap) {
    Map<Long, Integer> m = new HashMap<>();
    for (int p = 0; p < lab.length; p++) {
      for (int q = p + 1; q < lab.length; q++) {
        int a = lab[p];
        int b = lab[q];
        if (a == 0 || b == 0 || a == b) {
          continue;
        }
        int px = p % w;
        int py = p / w;
        int qx = q % w;
        int qy = q / w;
        int step;
        int d;
        if (py == qy) {
          step = 1;
          d = qx - px;
        } else if (px == qx) {
          step = w;
          d = qy - py;
        } else {
          continue;
        }
        if (d < 1 || d > gap + 1) {
          continue;
        }
        boolean clear = true;
        for (int k = p + step; k < q; k += step) {
          clear &= lab[k] == 0;
        }
        if (clear) {
          m.merge(((long) Math.min(a, b) << 32) | Math.max(a, b), 1, Integer::sum);
        }
      }
    }
    return m;
  }

  @Test
  void matchesNaiveReferenceOnRandomLabelImages() {
    Random rnd = new Random(31);
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + rnd.nextInt(25);
      int h = 1 + rnd.nextInt(25);
      int nl = 1 + rnd.nextInt(6);
      int[] lab = new int[w * h];
      for (int i = 0; i < lab.length; i++) {
        lab[i] = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(nl);
      }
      LabelImage l = LabelImage.relabel(w, h, lab);
      for (int gap = 0; gap <= 3; gap++) {
        Map<Long, Integer> ref = naiveShared(l.labels(), w, h, gap);
        long[] got = CellMeasurer.sharedBorders(l.labels(), w, h, gap);
        Map<Long, Integer> g = new HashMap<>();
        for (long e : got) {
          g.put(((e >>> 42) << 32) | ((e >>> 21) & 0x1FFFFF), (int) (e & 0x1FFFFF));
        }
        assertThat(g).as("trial %d gap %d", trial, gap).isEqualTo(ref);
        // the pair list agrees with the reference for minSharedBorder 2
        Measurements m = CellMeasurer.measure(l, ramp(w, h), null, new MeasureConfig(0, 2, gap));
        long expected = ref.values().stream().filter(v -> v >= 2).count();
        assertThat(m.pairs()).hasSize((int) expected);
        for (NeighbourPair p : m.pairs()) {
          assertThat(p.sharedBorderPx()).isEqualTo(ref.get(((long) p.labelI() << 32) | p.labelJ()));
        }
      }
      // centroids and areas against direct sums
      Measurements m = CellMeasurer.measure(l, ramp(w, h), null, new MeasureConfig(0, 1, 0));
      for (CellMeasurement c : m.cells()) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < lab.length; i++) {
          if (l.labels()[i] == c.label()) {
            sx += i % w;
            sy += i / w;
            n++;
          }
        }
        assertThat(c.areaPx()).isEqualTo(n);
        assertThat(c.centroidX()).isCloseTo(sx / n, within(1e-9));
        assertThat(c.centroidY()).isCloseTo(sy / n, within(1e-9));
      }
    }
  }
}
