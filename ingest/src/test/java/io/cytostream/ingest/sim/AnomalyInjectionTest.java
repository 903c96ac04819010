package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each anomaly shows in the output as specified. Every random stream is private to its purpose, so
 * a run with one anomaly equals the run without it except where the anomaly acts: the tests compare
 * the two.
 */
class AnomalyInjectionTest {
  private static final int AT = 10;
  private static final SimulationConfig BASE =
      SimulationConfig.builder()
          .size(192, 160)
          .cells(14)
          .frames(20)
          .seed(21)
          .divisionProbability(0)
          .hotPixelRate(0)
          .build();
  private static final List<SimulatedFrame> BASELINE = run(BASE);

  private static List<SimulatedFrame> run(SimulationConfig cfg) {
    return new CultureSimulator(cfg).stream().toList();
  }

  private static List<SimulatedFrame> with(AnomalySpec spec) {
    return run(BASE.toBuilder().anomaly(spec).build());
  }

  private static InjectedAnomaly only(List<SimulatedFrame> frames, AnomalyType type) {
    List<InjectedAnomaly> all = frames.stream().flatMap(f -> f.anomalies().stream()).toList();
    assertThat(all).hasSize(1);
    InjectedAnomaly a = all.get(0);
    assertThat(a.type()).isEqualTo(type);
    assertThat(a.frame()).isEqualTo(AT);
    assertThat(frames.get(AT).anomalies()).containsExactly(a);
    assertThat(a.applied()).isTrue();
    assertThat(a.trackLabel() != 0).isEqualTo(type.cellLevel());
    return a;
  }

  private static CellTruth cell(SimulatedFrame f, int label) {
    return CultureSimulatorTest.cell(f, label);
  }

  private static void assertSameImages(List<SimulatedFrame> a, int from, int to) {
    for (int t = from; t < to; t++) {
      assertThat(a.get(t).raw()).as("raw %d", t).isEqualTo(BASELINE.get(t).raw());
      assertThat(a.get(t).labels()).as("labels %d", t).isEqualTo(BASELINE.get(t).labels());
    }
  }

  private static double meanRaw(SimulatedFrame f, int label) {
    short[] raw = f.raw().toShortArray();
    double s = 0;
    int n = 0;
    for (int p = 0; p < raw.length; p++) {
      if (Short.toUnsignedInt(f.labels()[p]) == label) {
        s += Short.toUnsignedInt(raw[p]);
        n++;
      }
    }
    return s / n;
  }

  private static int countAt(SimulatedFrame f, int value) {
    int n = 0;
    for (short s : f.raw().toShortArray()) {
      if (Short.toUnsignedInt(s) == value) {
        n++;
      }
    }
    return n;
  }

  @Test
  void spikeAddsToOneInteriorCellOnly() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.SPIKE, AT, 0.5));
    InjectedAnomaly a = only(frames, AnomalyType.SPIKE);
    int l = a.trackLabel();
    assertSameImages(frames, 0, AT);
    CellTruth hit = cell(frames.get(AT), l);
    assertThat(hit.role()).isEqualTo(CellTruth.Role.INTERIOR);
    assertThat(hit.excess()).isEqualTo(0.5);
    assertThat(hit.y() - cell(BASELINE.get(AT), l).y()).isCloseTo(0.5, within(1e-12));
    // the neighbours do not explain it: at AT they are as without the spike
    for (CellTruth c : frames.get(AT).cells()) {
      if (c.label() != l) {
        assertThat(c).isEqualTo(cell(BASELINE.get(AT), c.label()));
      }
    }
    // exp(b * 0.5) = 2.1 times brighter
    assertThat(meanRaw(frames.get(AT), l) / meanRaw(BASELINE.get(AT), l)).isGreaterThan(1.8);
    // afterwards it spreads to the neighbours
    assertThat(frames.get(AT + 1).cells()).isNotEqualTo(BASELINE.get(AT + 1).cells());
  }

  @Test
  void aberrantCellGetsAFeedFarOutsideTheCultureRange() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.ABERRANT_CELL, AT));
    InjectedAnomaly a = only(frames, AnomalyType.ABERRANT_CELL);
    assertThat(a.magnitude()).isEqualTo(0.02);
    double before = a.details().get("gammaBefore");
    assertThat(before).isBetween(BASE.gammaMin(), BASE.gammaMax());
    for (int t = AT; t < frames.size(); t++) {
      assertThat(cell(frames.get(t), a.trackLabel()).gamma()).isEqualTo(0.02);
    }
    assertThat(cell(frames.get(AT - 1), a.trackLabel()).gamma()).isEqualTo(before);
    double dt = BASE.frameIntervalSeconds();
    assertThat(
            cell(frames.get(AT), a.trackLabel()).y() - cell(BASELINE.get(AT), a.trackLabel()).y())
        .isCloseTo(dt * (0.02 - before), within(1e-12));
  }

  @Test
  void modelDriftChangesKFromItsFrame() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.MODEL_DRIFT, AT, 0.08));
    InjectedAnomaly a = only(frames, AnomalyType.MODEL_DRIFT);
    assertThat(a.details().get("kBefore")).isEqualTo(0.05);
    for (SimulatedFrame f : frames) {
      assertThat(f.k()).isEqualTo(f.index() < AT ? 0.05 : 0.08);
    }
    assertSameImages(frames, 0, AT);
    assertThat(frames.get(AT).cells()).isNotEqualTo(BASELINE.get(AT).cells());
  }

  @Test
  void areaChangeGrowsOneCellSuddenly() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.AREA_CHANGE, AT, 0.6));
    InjectedAnomaly a = only(frames, AnomalyType.AREA_CHANGE);
    int l = a.trackLabel();
    assertSameImages(frames, 0, AT);
    int before = cell(frames.get(AT - 1), l).area();
    int after = cell(frames.get(AT), l).area();
    assertThat(a.details().get("areaBefore")).isEqualTo((double) before);
    assertThat(a.details().get("areaAfter")).isEqualTo((double) after);
    assertThat((double) after / before).isGreaterThan(1.35);
    double normal = (double) cell(BASELINE.get(AT), l).area() / before;
    assertThat(normal).isBetween(0.9, 1.1);
    assertThat((double) cell(frames.get(AT + 5), l).area() / before).isGreaterThan(1.3);
  }

  @Test
  void trackLostLeavesAHoleAndEndsTheTrack() {
    CultureSimulator sim =
        new CultureSimulator(
            BASE.toBuilder().anomaly(AnomalySpec.of(AnomalyType.TRACK_LOST, AT)).build());
    List<SimulatedFrame> frames = sim.stream().toList();
    InjectedAnomaly a = only(frames, AnomalyType.TRACK_LOST);
    int l = a.trackLabel();
    assertThat(a.details().get("lastFrame")).isEqualTo(AT - 1.0);
    assertSameImages(frames, 0, AT);
    CellTruth last = cell(frames.get(AT - 1), l);
    assertThat(last.touchesBorder()).isFalse();
    TrackRecord r = sim.tracks().stream().filter(x -> x.label() == l).findFirst().orElseThrow();
    assertThat(r.end()).isEqualTo(AT - 1);
    assertThat(sim.tracks()).noneMatch(x -> x.parent() == l);
    for (int t = AT; t < frames.size(); t++) {
      assertThat(frames.get(t).cells()).noneMatch(c -> c.label() == l);
    }
    // where the cell was in the baseline, there is background now
    short[] lost = frames.get(AT).labels();
    short[] base = BASELINE.get(AT).labels();
    int hole = 0;
    int baseArea = 0;
    for (int p = 0; p < base.length; p++) {
      if (Short.toUnsignedInt(base[p]) == l) {
        baseArea++;
        if (lost[p] == 0) {
          hole++;
        }
      }
    }
    assertThat(hole).isEqualTo(baseArea);
  }

  @Test
  void hotPixelBurstSetsManyPixelsToTheMaximumInOneFrame() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.HOT_PIXEL_BURST, AT, 300));
    InjectedAnomaly a = only(frames, AnomalyType.HOT_PIXEL_BURST);
    assertThat(a.details().get("hotPixels")).isEqualTo(300.0);
    assertSameImages(frames, 0, AT);
    assertSameImages(frames, AT + 1, frames.size());
    assertThat(countAt(BASELINE.get(AT), 65535)).isZero();
    assertThat(countAt(frames.get(AT), 65535)).isBetween(290, 300);
    assertThat(frames.get(AT).labels()).isEqualTo(BASELINE.get(AT).labels());
  }

  @Test
  void saturationClipsADiskOnACell() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.SATURATION, AT));
    InjectedAnomaly a = only(frames, AnomalyType.SATURATION);
    assertSameImages(frames, 0, AT);
    assertSameImages(frames, AT + 1, frames.size());
    CellTruth c = cell(frames.get(AT), a.trackLabel());
    assertThat(a.details().get("centerX")).isEqualTo(c.centroidX());
    assertThat(a.details().get("radius")).isCloseTo(Math.sqrt(c.area() / Math.PI), within(1e-9));
    int pixels = a.details().get("pixels").intValue();
    assertThat(pixels).isGreaterThan(c.area() / 2);
    assertThat(countAt(frames.get(AT), 65535)).isEqualTo(pixels);
    short[] raw = frames.get(AT).raw().toShortArray();
    int w = BASE.width();
    int cx = (int) Math.round(c.centroidX());
    int cy = (int) Math.round(c.centroidY());
    assertThat(Short.toUnsignedInt(raw[cy * w + cx])).isEqualTo(65535);
    assertThat(frames.get(AT).labels()).isEqualTo(BASELINE.get(AT).labels());
  }

  @Test
  void droppedFrameIsSkippedLiveAndNotWrittenButItsTruthIsKept(@TempDir Path dir)
      throws IOException {
    SimulationConfig cfg =
        BASE.toBuilder().anomaly(AnomalySpec.of(AnomalyType.DROPPED_FRAME, AT)).build();
    List<SimulatedFrame> frames = run(cfg);
    only(frames, AnomalyType.DROPPED_FRAME);
    assertSameImages(frames, 0, frames.size());
    assertThat(frames.get(AT).dropped()).isTrue();
    assertThat(frames.stream().filter(SimulatedFrame::dropped)).hasSize(1);
    List<Integer> delivered =
        new CultureSimulator(cfg).delivered().map(SimulatedFrame::index).toList();
    assertThat(delivered).hasSize(19).doesNotContain(AT).contains(AT - 1, AT + 1);

    CtcWriter.Summary s = CtcWriter.write(cfg, dir);
    assertThat(s.rawFrames()).isEqualTo(19);
    assertThat(dir.resolve("01/t010.tif")).doesNotExist();
    assertThat(dir.resolve("01_GT/TRA/man_track010.tif")).exists();
    try (TiffSequenceReader r = TiffSequenceReader.open(dir.resolve("01"))) {
      assertThat(r.frameNumbers()).hasSize(19).doesNotContain(AT);
    }
    SimulationTruth truth = SimulationTruth.read(dir.resolve("truth.json"));
    assertThat(truth.frames().get(AT).dropped()).isTrue();
    assertThat(truth.frames().get(AT).cells()).isNotEmpty();
  }

  @Test
  void intensityCollapseDimsAndBlursOneFrame() {
    List<SimulatedFrame> frames = with(AnomalySpec.of(AnomalyType.INTENSITY_COLLAPSE, AT, 0.3));
    InjectedAnomaly a = only(frames, AnomalyType.INTENSITY_COLLAPSE);
    assertThat(a.magnitude()).isEqualTo(0.3);
    assertSameImages(frames, 0, AT);
    assertSameImages(frames, AT + 1, frames.size());
    SimulatedFrame dim = frames.get(AT);
    SimulatedFrame normal = BASELINE.get(AT);
    assertThat(dim.raw().sum() / normal.raw().sum()).isCloseTo(0.3, within(0.02));
    // blur: background pixels next to a cell catch its light, far ones do not
    short[] lab = normal.labels();
    short[] d = dim.raw().toShortArray();
    short[] n = normal.raw().toShortArray();
    int w = BASE.width();
    int h = BASE.height();
    double edgeDim = 0;
    double edgeNormal = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int p = y * w + x;
        if (lab[p] == 0
            && (lab[p - 1] != 0 || lab[p + 1] != 0 || lab[p - w] != 0 || lab[p + w] != 0)) {
          edgeDim += Short.toUnsignedInt(d[p]);
          edgeNormal += Short.toUnsignedInt(n[p]);
        }
      }
    }
    assertThat(edgeDim / edgeNormal).isGreaterThan(0.5);
  }

  @Test
  void anExplicitTrackIsHitAndAMissingOneIsRecordedAsNotApplied() {
    int target =
        BASELINE.get(AT - 1).cells().stream()
            .filter(c -> !c.touchesBorder())
            .mapToInt(CellTruth::label)
            .max()
            .orElseThrow();
    List<SimulatedFrame> frames = with(new AnomalySpec(AnomalyType.SPIKE, AT, target, 0.3));
    assertThat(frames.get(AT).anomalies().get(0).trackLabel()).isEqualTo(target);
    assertThat(cell(frames.get(AT), target).excess()).isEqualTo(0.3);
    List<SimulatedFrame> missing = with(new AnomalySpec(AnomalyType.SPIKE, AT, 999, 0.3));
    InjectedAnomaly a = missing.get(AT).anomalies().get(0);
    assertThat(a.applied()).isFalse();
    assertThat(a.trackLabel()).isEqualTo(999);
    assertSameImages(missing, 0, missing.size());
  }

  @Test
  void truthJsonListsTheAnomaliesByWireName(@TempDir Path dir) throws IOException {
    SimulationConfig cfg =
        BASE.toBuilder()
            .anomaly(AnomalySpec.of(AnomalyType.TRACK_LOST, 5))
            .anomaly(AnomalySpec.of(AnomalyType.HOT_PIXEL_BURST, 7))
            .build();
    CtcWriter.write(cfg, dir);
    JsonNode root = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
    JsonNode anomalies = root.get("anomalies");
    assertThat(anomalies).hasSize(2);
    assertThat(anomalies.get(0).get("type").asText()).isEqualTo("track_lost");
    assertThat(anomalies.get(0).get("frame").asInt()).isEqualTo(5);
    assertThat(anomalies.get(0).get("trackLabel").asInt()).isPositive();
    assertThat(anomalies.get(1).get("type").asText()).isEqualTo("hot_pixel_burst");
    assertThat(anomalies.get(1).get("trackLabel").asInt()).isZero();
    assertThat(SimulationTruth.read(dir.resolve("truth.json")).config()).isEqualTo(cfg);
  }
}
