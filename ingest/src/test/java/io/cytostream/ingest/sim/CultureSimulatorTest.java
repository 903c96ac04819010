package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CultureSimulatorTest {

  private static final SimulationConfig SMALL =
      SimulationConfig.builder()
          .size(192, 160)
          .cells(14)
          .frames(40)
          .seed(11)
          .divisionProbability(0.01)
          .hotPixelRate(1e-4)
          .anomaly(AnomalySpec.of(AnomalyType.SPIKE, 10))
          .anomaly(AnomalySpec.of(AnomalyType.INTENSITY_COLLAPSE, 12))
          .build();

  private static List<SimulatedFrame> run(SimulationConfig cfg) {
    return new CultureSimulator(cfg).stream().toList();
  }

  private static void assertSameFrames(List<SimulatedFrame> a, List<SimulatedFrame> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      SimulatedFrame x = a.get(i);
      SimulatedFrame y = b.get(i);
      assertThat(x.raw()).as("raw %d", i).isEqualTo(y.raw());
      assertThat(x.labels()).as("labels %d", i).isEqualTo(y.labels());
      assertThat(x.cells()).as("cells %d", i).isEqualTo(y.cells());
      assertThat(x.anomalies()).isEqualTo(y.anomalies());
      assertThat(x.k()).isEqualTo(y.k());
    }
  }

  @Test
  void theSameSeedGivesTheSameFramesBitForBit() {
    assertSameFrames(run(SMALL), run(SMALL));
    List<SimulatedFrame> other = run(SMALL.toBuilder().seed(12).build());
    assertThat(other.get(0).raw()).isNotEqualTo(run(SMALL).get(0).raw());
  }

  @Test
  void theOutputDoesNotDependOnTheThreadCount() throws Exception {
    ForkJoinPool single = new ForkJoinPool(1);
    try {
      List<SimulatedFrame> one = single.submit(() -> run(SMALL)).get();
      assertSameFrames(one, run(SMALL));
    } finally {
      single.shutdown();
    }
  }

  @Test
  void framesCarryTimesLabelsAndTruth() {
    SimulationConfig cfg = SMALL.toBuilder().frameIntervalSeconds(0.5).build();
    List<SimulatedFrame> frames = run(cfg);
    assertThat(frames).hasSize(40);
    for (SimulatedFrame f : frames) {
      assertThat(f.timeSeconds()).isEqualTo(f.index() * 0.5);
      assertThat(f.width()).isEqualTo(192);
      assertThat(f.height()).isEqualTo(160);
      assertThat(f.labels()).hasSize(192 * 160);
      Map<Integer, Integer> areas = new HashMap<>();
      for (short s : f.labels()) {
        if (s != 0) {
          areas.merge(Short.toUnsignedInt(s), 1, Integer::sum);
        }
      }
      assertThat(f.cells().stream().collect(Collectors.toMap(CellTruth::label, CellTruth::area)))
          .isEqualTo(areas);
      for (CellTruth c : f.cells()) {
        if (f.index() == 0) {
          assertThat(c.role()).isEqualTo(CellTruth.Role.INITIAL);
        } else {
          assertThat(c.role()).isNotEqualTo(CellTruth.Role.INITIAL);
        }
        assertThat(c.gamma()).isBetween(cfg.gammaMin(), cfg.gammaMax());
      }
    }
    // the culture is made of cells with background between and around them
    SimulatedFrame first = frames.get(0);
    long background = 0;
    for (short s : first.labels()) {
      if (s == 0) {
        background++;
      }
    }
    assertThat(background).isBetween(50L, first.labels().length / 2L);
    assertThat(first.cells().size()).isBetween(10, 40);
  }

  @Test
  void cellsLeaveAndEnterTheFieldOfViewAtTheBorder() {
    SimulationConfig cfg =
        SimulationConfig.builder()
            .size(160, 160)
            .cells(10)
            .frames(120)
            .seed(3)
            .driftSpeed(1.5)
            .cultureRadius(0.9)
            .divisionProbability(0)
            .build();
    CultureSimulator sim = new CultureSimulator(cfg);
    List<SimulatedFrame> frames = sim.stream().toList();
    List<TrackRecord> tracks = sim.tracks();
    List<TrackRecord> left = new ArrayList<>();
    for (TrackRecord r : tracks) {
      if (r.end() < cfg.frames() - 1) {
        left.add(r);
        CellTruth last = cell(frames.get(r.end()), r.label());
        assertThat(last.touchesBorder()).as("track %d ends at the border", r.label()).isTrue();
      }
    }
    assertThat(left).isNotEmpty();
    assertThat(tracks).anyMatch(r -> r.begin() > 0 && r.parent() == 0);
  }

  @Test
  void divisionsAreRecordedWithTheirParents() {
    CultureSimulator sim = new CultureSimulator(SMALL);
    List<SimulatedFrame> frames = sim.stream().toList();
    List<TrackRecord> tracks = sim.tracks();
    List<TrackRecord> daughters = tracks.stream().filter(r -> r.parent() != 0).toList();
    assertThat(daughters).isNotEmpty();
    for (TrackRecord d : daughters) {
      TrackRecord parent = tracks.get(d.parent() - 1);
      assertThat(parent.label()).isEqualTo(d.parent());
      assertThat(parent.end()).isEqualTo(d.begin() - 1);
      assertThat(d.cellId()).isNotEqualTo(parent.cellId());
      assertThat(frames.get(d.begin()).cells()).anyMatch(c -> c.label() == d.label());
      assertThat(frames.get(d.begin()).cells()).noneMatch(c -> c.label() == parent.label());
    }
  }

  @Test
  void theDefaultRunHasAFewDivisions() {
    CultureSimulator sim = new CultureSimulator(SimulationConfig.defaults());
    sim.forEachRemaining(f -> {});
    long divisions =
        sim.tracks().stream()
            .filter(r -> r.parent() != 0)
            .map(TrackRecord::parent)
            .distinct()
            .count();
    assertThat(divisions).isBetween(1L, 12L);
    assertThat(sim.maxEulerGain()).isBetween(0.05, 0.5);
  }

  @Test
  void noiseIsPoissonGaussianAroundTheRenderMap() {
    SimulationConfig cfg =
        SimulationConfig.builder()
            .size(256, 256)
            .cells(12)
            .frames(1)
            .seed(5)
            .cultureRadius(0.35)
            .hotPixelRate(0)
            .noise(2.0, 8.0)
            .build();
    checkNoise(cfg);
    checkNoise(cfg.toBuilder().noise(6.0, 0.0).seed(6).build());
  }

  private static void checkNoise(SimulationConfig cfg) {
    SimulatedFrame f = new CultureSimulator(cfg).next();
    int w = f.width();
    int h = f.height();
    short[] raw = f.raw().toShortArray();
    short[] lab = f.labels();
    double rounding = cfg.readNoise() > 0 ? 1.0 / 12 : 0;
    // background: every label-0 pixel has expected value `background`
    double sum = 0;
    double sum2 = 0;
    int n = 0;
    for (int p = 0; p < raw.length; p++) {
      if (lab[p] == 0) {
        double v = Short.toUnsignedInt(raw[p]);
        sum += v;
        sum2 += v * v;
        n++;
      }
    }
    double mean = sum / n;
    double var = sum2 / n - mean * mean;
    double bgVar = cfg.gain() * cfg.background() + cfg.readNoise() * cfg.readNoise() + rounding;
    assertThat(n).isGreaterThan(20_000);
    assertThat(mean).isCloseTo(cfg.background(), within(5 * Math.sqrt(bgVar / n)));
    assertThat(var).isCloseTo(bgVar, within(0.05 * bgVar));
    // cell interiors (two pixels away from any other label): exp(a + b*y) - 1
    double z2 = 0;
    int m = 0;
    int cellsChecked = 0;
    for (CellTruth c : f.cells()) {
      double lambda = Math.exp(cfg.renderA() + cfg.renderB() * c.y()) - 1;
      double cellVar = cfg.gain() * lambda + cfg.readNoise() * cfg.readNoise() + rounding;
      double s = 0;
      int k = 0;
      for (int y = 2; y < h - 2; y++) {
        for (int x = 2; x < w - 2; x++) {
          if (Short.toUnsignedInt(lab[y * w + x]) == c.label() && interior(lab, w, x, y)) {
            double v = Short.toUnsignedInt(raw[y * w + x]);
            s += v;
            z2 += (v - lambda) * (v - lambda) / cellVar;
            k++;
            m++;
          }
        }
      }
      if (k > 500) {
        assertThat(s / k)
            .as("cell %d", c.label())
            .isCloseTo(lambda, within(5 * Math.sqrt(cellVar / k)));
        cellsChecked++;
      }
    }
    assertThat(cellsChecked).isGreaterThanOrEqualTo(5);
    // normalised squared deviations average 1 when the variance is gain*lambda + readNoise^2
    assertThat(z2 / m).isCloseTo(1.0, within(0.05));
  }

  private static boolean interior(short[] lab, int w, int x, int y) {
    short l = lab[y * w + x];
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        if (lab[(y + dy) * w + x + dx] != l) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void refusesUnstableOrInvalidConfigs() {
    assertThatThrownBy(() -> SimulationConfig.builder().k(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unstable");
    assertThatThrownBy(
            () ->
                SimulationConfig.builder()
                    .frames(10)
                    .anomaly(AnomalySpec.of(AnomalyType.SPIKE, 10))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulationConfig.builder().renderMap(5, 0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnomalySpec.of(AnomalyType.SPIKE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static CellTruth cell(SimulatedFrame f, int label) {
    return f.cells().stream().filter(c -> c.label() == label).findFirst().orElseThrow();
  }
}
