package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes one simulated sequence in CTC layout and checks it from the files alone: the CTC
 * invariants, and the consensus recursion recomputed from the written label images and truth.json.
 */
class CtcGroundTruthTest {
  @TempDir static Path dir;

  static final SimulationConfig CONFIG =
      SimulationConfig.builder()
          .size(256, 224)
          .cells(22)
          .frames(60)
          .seed(7)
          .divisionProbability(0.01)
          .build();

  static CtcWriter.Summary summary;
  static SimulationTruth truth;
  static List<short[]> labels = new ArrayList<>();
  static Map<Integer, int[]> manTrack = new TreeMap<>();

  @BeforeAll
  static void write() throws IOException {
    summary = CtcWriter.write(CONFIG, dir);
    truth = SimulationTruth.read(dir.resolve("truth.json"));
    try (TiffSequenceReader r = TiffSequenceReader.open(dir.resolve("01_GT/TRA"))) {
      for (TiffSequenceReader.Frame f : r) {
        labels.add(f.plane().toShortArray());
      }
    }
    for (String line : Files.readAllLines(dir.resolve("01_GT/TRA/man_track.txt"))) {
      String[] p = line.trim().split(" ");
      manTrack.put(
          Integer.parseInt(p[0]),
          new int[] {Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])});
    }
  }

  @Test
  void writesTheCtcLayout() throws IOException {
    assertThat(dir.resolve("01/t000.tif")).exists();
    assertThat(dir.resolve("01/t059.tif")).exists();
    assertThat(dir.resolve("01_GT/SEG/man_seg059.tif")).exists();
    assertThat(labels).hasSize(60);
    try (TiffSequenceReader raw = TiffSequenceReader.open(dir.resolve("01"))) {
      assertThat(raw.frameCount()).isEqualTo(60);
      RawPlane first = raw.read(0).plane();
      assertThat(first.width()).isEqualTo(256);
      assertThat(first.height()).isEqualTo(224);
    }
    try (TiffSequenceReader seg = TiffSequenceReader.open(dir.resolve("01_GT/SEG"))) {
      for (TiffSequenceReader.Frame f : seg) {
        assertThat(f.plane().toShortArray()).isEqualTo(labels.get(f.frameNumber()));
      }
    }
    assertThat(truth.format()).isEqualTo(SimulationTruth.FORMAT);
    assertThat(truth.config()).isEqualTo(CONFIG);
    assertThat(truth.frames()).hasSize(60);
    assertThat(truth.frames().get(59).timeSeconds()).isEqualTo(59.0);
    assertThat(truth.model().couplingWeight()).isEqualTo("w_ij = u_ij*l_ij/couplingScale");
    assertThat(truth.render().a()).isEqualTo(CONFIG.renderA());
    assertThat(summary.maxEulerGain()).isBetween(0.01, 1.0);
  }

  @Test
  void refusesToWriteOverAnEarlierSequence() {
    assertThatThrownBy(() -> CtcWriter.write(CONFIG, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not empty");
  }

  @Test
  void everyTrackIsPresentInExactlyItsFramesAndParentsEndBeforeDaughters() {
    Map<Integer, TreeSet<Integer>> seen = new HashMap<>();
    for (int t = 0; t < labels.size(); t++) {
      for (short s : labels.get(t)) {
        if (s != 0) {
          seen.computeIfAbsent(Short.toUnsignedInt(s), k -> new TreeSet<>()).add(t);
        }
      }
    }
    assertThat(seen.keySet()).isEqualTo(manTrack.keySet());
    int daughters = 0;
    for (Map.Entry<Integer, int[]> e : manTrack.entrySet()) {
      int[] bep = e.getValue();
      TreeSet<Integer> frames = seen.get(e.getKey());
      assertThat(frames.first()).as("begin of %d", e.getKey()).isEqualTo(bep[0]);
      assertThat(frames.last()).as("end of %d", e.getKey()).isEqualTo(bep[1]);
      assertThat(frames).as("track %d without gaps", e.getKey()).hasSize(bep[1] - bep[0] + 1);
      if (bep[2] != 0) {
        daughters++;
        assertThat(manTrack.get(bep[2])[1]).as("parent of %d", e.getKey()).isEqualTo(bep[0] - 1);
      }
    }
    assertThat(daughters).isGreaterThanOrEqualTo(4);
    // the truth's track table is man_track.txt plus facts
    assertThat(truth.tracks()).hasSize(manTrack.size());
    for (TrackRecord r : truth.tracks()) {
      assertThat(manTrack.get(r.label())).containsExactly(r.begin(), r.end(), r.parent());
    }
  }

  @Test
  void daughtersInheritTheParentsSignalAndFeed() {
    Map<Integer, List<Integer>> children = new TreeMap<>();
    manTrack.forEach(
        (l, bep) -> {
          if (bep[2] != 0) {
            children.computeIfAbsent(bep[2], k -> new ArrayList<>()).add(l);
          }
        });
    assertThat(children).isNotEmpty();
    for (Map.Entry<Integer, List<Integer>> e : children.entrySet()) {
      assertThat(e.getValue()).hasSizeBetween(1, 2);
      TrackRecord parent = track(e.getKey());
      for (int d : e.getValue()) {
        assertThat(track(d).gamma()).isEqualTo(parent.gamma());
      }
      if (e.getValue().size() == 2) {
        int b = manTrack.get(e.getValue().get(0))[0];
        assertThat(row(b, e.getValue().get(0)).y()).isEqualTo(row(b, e.getValue().get(1)).y());
      }
    }
  }

  @Test
  void theEulerRecursionHoldsOnTheWrittenGroundTruth() {
    double dt = truth.model().dtSeconds();
    double scale = truth.model().couplingScale();
    int minBorder = truth.model().minSharedBorder();
    int w = CONFIG.width();
    int h = CONFIG.height();
    int checked = 0;
    int withNeighbours = 0;
    int inputs = 0;
    Measured previous = new Measured(labels.get(0), w, h, truth.model().borderMargin());
    for (int t = 1; t < labels.size(); t++) {
      Measured now = new Measured(labels.get(t), w, h, truth.model().borderMargin());
      SimulationTruth.Frame frame = truth.frames().get(t);
      for (SimulationTruth.CellRow c : frame.cells()) {
        int[] bep = manTrack.get(c.label());
        int prev = bep[0] == t ? bep[2] : c.label(); // a daughter continues its parent
        boolean interior = prev != 0 && previous.has(prev) && !previous.touchesBorder(prev);
        assertThat(c.role())
            .as("role of %d at %d", c.label(), t)
            .isEqualTo(interior ? CellTruth.Role.INTERIOR : CellTruth.Role.INPUT);
        if (!interior) {
          inputs++;
          continue;
        }
        double yi = row(t - 1, prev).y();
        double sum = 0;
        int n = 0;
        for (Map.Entry<Integer, Integer> nb : previous.neighbours(prev).entrySet()) {
          int l = nb.getValue();
          if (l < minBorder) {
            continue;
          }
          int j = nb.getKey();
          double u =
              Math.hypot(previous.cx(prev) - previous.cx(j), previous.cy(prev) - previous.cy(j));
          sum += u * l / scale * (row(t - 1, j).y() - yi);
          n++;
        }
        double phi = n == 0 ? 0 : sum / n;
        double expected = yi + dt * (frame.k() * phi + c.gamma()) + c.excess();
        assertThat(c.y())
            .as("y of %d at %d", c.label(), t)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        checked++;
        if (n > 0) {
          withNeighbours++;
        }
      }
      previous = now;
    }
    assertThat(checked).isGreaterThan(300);
    assertThat(withNeighbours).isGreaterThan(300);
    assertThat(inputs).isGreaterThan(100);
  }

  private static TrackRecord track(int label) {
    return truth.tracks().stream().filter(r -> r.label() == label).findFirst().orElseThrow();
  }

  private static SimulationTruth.CellRow row(int frame, int label) {
    return truth.frames().get(frame).cells().stream()
        .filter(c -> c.label() == label)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no label " + label + " in frame " + frame));
  }
}
