package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.schemas.PixelType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each optional look of {@link RenderStyle} shows in the images as documented. */
class RenderStyleTest {
  private static final SimulationConfig BASE =
      SimulationConfig.builder()
          .size(192, 192)
          .cells(24)
          .frames(1)
          .seed(4)
          .divisionProbability(0)
          .hotPixelRate(0)
          .build();

  private static SimulatedFrame first(SimulationConfig cfg) {
    return new CultureSimulator(cfg).next();
  }

  private static SimulationConfig styled(RenderStyle style) {
    return BASE.toBuilder().style(style).build();
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double background(SimulatedFrame f) {
    return f.labels().length - nonzero(f.labels());
  }

  private static int nonzero(short[] labels) {
    int n = 0;
    for (short l : labels) {
      n += l != 0 ? 1 : 0;
    }
    return n;
  }

  private static double meanArea(SimulatedFrame f) {
    return f.cells().stream()
        .filter(c -> !c.touchesBorder())
        .mapToInt(CellTruth::area)
        .average()
        .orElseThrow();
  }

  @Test
  void theDefaultStyleIsTheStandardOutput() {
    assertThat(BASE.style()).isEqualTo(RenderStyle.DEFAULT);
    SimulatedFrame a = first(BASE);
    SimulatedFrame b = first(styled(RenderStyle.DEFAULT.withStageDrift(0, 0)));
    assertThat(b.raw()).isEqualTo(a.raw());
    assertThat(b.labels()).isEqualTo(a.labels());
  }

  @Test
  void sparseNucleiAreSmallAndSeparated() {
    SimulatedFrame std = first(BASE);
    SimulatedFrame sparse = first(styled(RenderStyle.sparseNuclei()));
    assertThat(background(sparse)).isGreaterThan(1.5 * background(std));
    assertThat(meanArea(sparse)).isLessThan(0.4 * meanArea(std));
    long isolated = sparse.cells().stream().filter(c -> c.neighbours() == 0).count();
    assertThat(isolated)
        .as("cells without a neighbour")
        .isGreaterThan(sparse.cells().size() * 3L / 4);
    assertThat(std.cells().stream().filter(c -> c.neighbours() == 0).count()).isLessThan(isolated);
  }

  @Test
  void aLargerCellScaleGivesLargerFewerCells() {
    CultureSimulator std = new CultureSimulator(BASE);
    CultureSimulator big = new CultureSimulator(styled(RenderStyle.DEFAULT.withCellScale(2)));
    assertThat(big.cellSpacing()).isEqualTo(2 * std.cellSpacing());
    SimulatedFrame s = std.next();
    SimulatedFrame b = big.next();
    assertThat(meanArea(b) / meanArea(s)).isBetween(3.0, 5.0);
    assertThat(b.cells().size()).isLessThan(s.cells().size() / 2);
  }

  @Test
  void dimScalesTheMeanIntensity() {
    double std = mean(first(BASE).raw().toFloatArray());
    double dim = mean(first(styled(RenderStyle.dim())).raw().toFloatArray());
    assertThat(dim / std).isCloseTo(0.2, within(0.01));
  }

  @Test
  void noisyRaisesTheBackgroundSpread() {
    double std = backgroundSigma(first(BASE));
    double noisy = backgroundSigma(first(BASE.toBuilder().noisy().build()));
    // σ² = gain·background + readNoise² (+ 1/12 rounding): 2·100 + 64 vs 8·100 + 900
    assertThat(std).isCloseTo(Math.sqrt(264 + 1.0 / 12), within(1.0));
    assertThat(noisy).isCloseTo(Math.sqrt(1700 + 1.0 / 12), within(2.0));
  }

  private static double backgroundSigma(SimulatedFrame f) {
    float[] v = f.raw().toFloatArray();
    double s = 0;
    double s2 = 0;
    int n = 0;
    for (int p = 0; p < v.length; p++) {
      if (f.labels()[p] == 0) {
        s += v[p];
        s2 += (double) v[p] * v[p];
        n++;
      }
    }
    double m = s / n;
    return Math.sqrt(s2 / n - m * m);
  }

  @Test
  void aDriftingStageShiftsTheMasks() {
    // small separated nuclei, no culture drift or jitter: the masks differ by the stage's move only
    SimulationConfig still =
        BASE.toBuilder()
            .frames(11)
            .driftSpeed(0)
            .cellJitter(0)
            .style(RenderStyle.sparseNuclei())
            .build();
    SimulationConfig moving =
        still.toBuilder().style(RenderStyle.sparseNuclei().withStageDrift(2, -1)).build();
    SimulatedFrame a = last(still);
    SimulatedFrame b = last(moving);
    double shifted = iou(a, b, 20, -10); // t·v at t = 10
    double unshifted = iou(a, b, 0, 0);
    System.out.printf(
        "stage drift: mask IoU %.4f shifted by t·v, %.4f unshifted%n", shifted, unshifted);
    assertThat(shifted).as("masks shifted by t·v").isGreaterThan(0.97);
    assertThat(unshifted).as("unshifted masks differ").isLessThan(0.5);
  }

  /** IoU of the foreground of b with that of a moved by (dx, dy), over the overlap of both. */
  private static double iou(SimulatedFrame a, SimulatedFrame b, int dx, int dy) {
    int w = a.width();
    int h = a.height();
    int both = 0;
    int either = 0;
    for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      for (int x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
        boolean fa = a.labels()[(y - dy) * w + (x - dx)] != 0;
        boolean fb = b.labels()[y * w + x] != 0;
        both += fa && fb ? 1 : 0;
        either += fa || fb ? 1 : 0;
      }
    }
    return both / (double) either;
  }

  private static SimulatedFrame last(SimulationConfig cfg) {
    List<SimulatedFrame> all = new CultureSimulator(cfg).stream().toList();
    return all.get(all.size() - 1);
  }

  @Test
  void unevenIlluminationIsASmoothMultiplicativeField() {
    float[] std = first(BASE).raw().toFloatArray();
    float[] grad = first(styled(RenderStyle.unevenIllumination(0.5, 0))).raw().toFloatArray();
    int w = BASE.width();
    // over the left and right thirds the field averages 1 − g/... : 1 ∓ 0.5·2/3
    assertThat(ratio(grad, std, w, 0, w / 3, 0, w)).isCloseTo(1 - 1.0 / 3, within(0.04));
    assertThat(ratio(grad, std, w, w - w / 3, w, 0, w)).isCloseTo(1 + 1.0 / 3, within(0.04));
    float[] vig = first(styled(RenderStyle.unevenIllumination(0, 0.6))).raw().toFloatArray();
    assertThat(ratio(vig, std, w, 86, 106, 86, 106)).isCloseTo(1.0, within(0.03));
    assertThat(ratio(vig, std, w, 0, 16, 0, 16)).isLessThan(0.55);
  }

  /** Σ a / Σ b over columns [x0, x1) and rows [y0, y1). */
  private static double ratio(float[] a, float[] b, int w, int x0, int x1, int y0, int y1) {
    double sa = 0;
    double sb = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        sa += a[y * w + x];
        sb += b[y * w + x];
      }
    }
    return sa / sb;
  }

  @Test
  void bitDepthClipsToItsRange() {
    SimulationConfig eight =
        BASE.toBuilder().hotPixelRate(1e-3).style(RenderStyle.dim().withBitDepth(8)).build();
    SimulatedFrame f8 = first(eight);
    assertThat(f8.raw().type()).isEqualTo(PixelType.UINT8);
    float[] v = f8.raw().toFloatArray();
    double cells = 0;
    double bg = 0;
    int nc = 0;
    float max = 0;
    for (int p = 0; p < v.length; p++) {
      max = Math.max(max, v[p]);
      if (f8.labels()[p] != 0) {
        cells += v[p];
        nc++;
      } else {
        bg += v[p];
      }
    }
    assertThat(max).as("hot pixels at 2^8 − 1").isEqualTo(255f);
    assertThat(cells / nc).isGreaterThan(2 * bg / (v.length - nc));
    SimulatedFrame f12 =
        first(
            BASE.toBuilder()
                .hotPixelRate(1e-3)
                .style(RenderStyle.DEFAULT.withBitDepth(12))
                .build());
    assertThat(f12.raw().type()).isEqualTo(PixelType.UINT16);
    float max12 = 0;
    for (float x : f12.raw().toFloatArray()) {
      max12 = Math.max(max12, x);
    }
    assertThat(max12).isEqualTo(4095f);
    assertThatThrownBy(() -> RenderStyle.DEFAULT.withBitDepth(10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStyleIsWrittenToTruthJsonAndReadBackOnlyWhenNotTheDefault(@TempDir Path dir)
      throws IOException {
    SimulationConfig cfg =
        BASE.toBuilder().style(RenderStyle.sparseNuclei().withBitDepth(12)).build();
    CtcWriter.write(cfg, dir.resolve("styled"));
    Path styled = dir.resolve("styled").resolve("truth.json");
    assertThat(SimulationTruth.read(styled).config()).isEqualTo(cfg);
    assertThat(Files.readString(styled)).contains("\"style\"");
    CtcWriter.write(BASE, dir.resolve("plain"));
    Path plain = dir.resolve("plain").resolve("truth.json");
    assertThat(Files.readString(plain)).doesNotContain("\"style\"");
    assertThat(SimulationTruth.read(plain).config()).isEqualTo(BASE);
  }
}
