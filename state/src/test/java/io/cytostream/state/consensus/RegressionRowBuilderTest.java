package io.cytostream.state.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionRowBuilderTest {

  // Cell 1 interior, cells 2 and 3 on the border; links 1–2 (l = 10, u = 20: w = 200) and 1–3
  // (l = 5, u = 20: w = 100).
  static final List<NeighbourLink> LINKS =
      List.of(new NeighbourLink(1, 2, 10, 20), new NeighbourLink(3, 1, 5, 20));

  static ConsensusFrame frame(long index, double time, double y1, double y2, double y3) {
    return new ConsensusFrame(
        index,
        time,
        List.of(
            new CellSample(1, y1, false, 0),
            new CellSample(2, y2, true, 0),
            new CellSample(3, y3, true, 0)),
        LINKS);
  }

  @Test
  void handComputedRow() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    assertThat(b.accept(frame(0, 0.0, 0.5, 0.7, 0.2))).isEmpty();
    List<RegressionRow> rows = b.accept(frame(1, 2.0, 0.6, 0.0, 0.0));
    // φ = (200·(0.7 − 0.5) + 100·(0.2 − 0.5)) / 2 = (40 − 30) / 2 = 5; z = (0.6 − 0.5) / 2 = 0.05
    assertThat(rows).hasSize(1);
    RegressionRow r = rows.get(0);
    assertThat(r.trackId()).isEqualTo(1);
    assertThat(r.frameIndex()).isEqualTo(1);
    assertThat(r.phi()).isCloseTo(5.0, within(1e-12));
    assertThat(r.z()).isCloseTo(0.05, within(1e-12));
    assertThat(r.dtSeconds()).isEqualTo(2.0);
  }

  @Test
  void missingFrameSkipsRowsAndOutOfOrderFrameIsIgnored() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    b.accept(frame(0, 0, 0.5, 0.7, 0.2));
    assertThat(b.accept(frame(2, 2, 0.6, 0.7, 0.2))).as("gap of one frame").isEmpty();
    assertThat(b.accept(frame(1, 1, 0.6, 0.7, 0.2))).as("late frame").isEmpty();
    assertThat(b.previous().frameIndex()).isEqualTo(2);
    // a duplicate with other values is ignored too: the next row is built from the first copy
    assertThat(b.accept(frame(2, 2, 0.1, 0.7, 0.2))).as("duplicate").isEmpty();
    List<RegressionRow> next = b.accept(frame(3, 3, 0.7, 0.7, 0.2));
    assertThat(next).hasSize(1);
    assertThat(next.get(0).z()).isCloseTo(0.7 - 0.6, within(1e-12));

    RegressionRowBuilder lenient = new RegressionRowBuilder(2);
    lenient.accept(frame(0, 0, 0.5, 0.7, 0.2));
    List<RegressionRow> rows = lenient.accept(frame(2, 4, 0.6, 0.7, 0.2));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).z()).as("Δt covers the gap").isCloseTo(0.1 / 4, within(1e-12));
  }

  @Test
  void topologyChanges() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    // Frame 0: cells 1 (interior), 2 (border), 4 (interior, about to divide); link 1–2, 1–4.
    b.accept(
        new ConsensusFrame(
            0,
            0,
            List.of(
                new CellSample(1, 0.5, false, 0),
                new CellSample(2, 0.7, true, 0),
                new CellSample(4, 0.1, false, 0)),
            List.of(new NeighbourLink(1, 2, 10, 10), new NeighbourLink(1, 4, 10, 10))));
    // Frame 1: 4 divided into 5 and 6 (new tracks), 7 appeared next to 1, 2 vanished.
    List<RegressionRow> rows =
        b.accept(
            new ConsensusFrame(
                1,
                1,
                List.of(
                    new CellSample(1, 0.6, false, 0),
                    new CellSample(5, 0.1, false, 4),
                    new CellSample(6, 0.1, false, 4),
                    new CellSample(7, 0.9, false, 0)),
                List.of(
                    new NeighbourLink(1, 5, 10, 10),
                    new NeighbourLink(1, 6, 10, 10),
                    new NeighbourLink(1, 7, 10, 10),
                    new NeighbourLink(5, 6, 10, 10))));
    // Only cell 1 has two frames; its φ uses frame 0's neighbours 2 (vanished) and 4 (divided):
    // φ = (100·(0.7 − 0.5) + 100·(0.1 − 0.5)) / 2 = −10. Cell 7 (new) contributes nothing.
    assertThat(rows).extracting(RegressionRow::trackId).containsExactly(1L);
    assertThat(rows.get(0).phi()).isCloseTo(-10, within(1e-12));
    // Frame 2: daughters and the newcomer get their first rows; cell 1 now sees 5, 6, 7.
    List<RegressionRow> next =
        b.accept(
            new ConsensusFrame(
                2,
                2,
                List.of(
                    new CellSample(1, 0.6, false, 0),
                    new CellSample(5, 0.2, false, 0),
                    new CellSample(6, 0.2, true, 0),
                    new CellSample(7, 0.9, false, 0)),
                List.of()));
    assertThat(next).extracting(RegressionRow::trackId).containsExactlyInAnyOrder(1L, 5L, 7L);
    RegressionRow one = next.stream().filter(r -> r.trackId() == 1).findFirst().orElseThrow();
    // φ = 100·((0.1 − 0.6) + (0.1 − 0.6) + (0.9 − 0.6)) / 3
    assertThat(one.phi()).isCloseTo(100 * (-0.5 - 0.5 + 0.3) / 3, within(1e-12));
  }

  @Test
  void anIsolatedCellGivesNoRow() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    b.accept(
        new ConsensusFrame(
            0,
            0,
            List.of(new CellSample(1, 0.5, false, 0), new CellSample(2, 0.3, false, 0)),
            List.of()));
    assertThat(
            b.accept(
                new ConsensusFrame(
                    1,
                    1,
                    List.of(new CellSample(1, 0.5, false, 0), new CellSample(2, 0.1, false, 0)),
                    List.of())))
        .isEmpty();
  }

  /**
   * Three interior cells in a chain 1–2–3 (all links w = 100) plus a fourth interior cell 4 linked
   * to 1 only; {@code y} gives each cell's y at t−1 and {@code yNow} at t.
   */
  static List<RegressionRow> chainRows(double[] y, double[] yNow) {
    List<NeighbourLink> links =
        List.of(
            new NeighbourLink(1, 2, 10, 10),
            new NeighbourLink(2, 3, 10, 10),
            new NeighbourLink(1, 4, 10, 10));
    RegressionRowBuilder b = new RegressionRowBuilder();
    List<CellSample> before = new java.util.ArrayList<>();
    List<CellSample> now = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      before.add(new CellSample(i + 1, y[i], false, 0));
      now.add(new CellSample(i + 1, yNow[i], false, 0));
    }
    b.accept(new ConsensusFrame(0, 0, before, links));
    return b.accept(new ConsensusFrame(1, 1, now, links));
  }

  @Test
  void aCellWithANonFiniteNeighbourAtTMinus1GivesNoRow() {
    // y_3 is NaN at t−1: cell 2 (neighbour of 3) and cell 3 itself give no row; cells 1 and 4,
    // whose neighbours are finite, give theirs
    double[] y = {0.5, 0.4, Double.NaN, 0.6};
    List<RegressionRow> rows = chainRows(y, new double[] {0.55, 0.45, 0.3, 0.65});
    assertThat(rows).extracting(RegressionRow::trackId).containsExactly(1L, 4L);
    assertThat(rows).allSatisfy(r -> assertThat(r.phi()).isFinite());
    // φ_1 = 100·((0.4 − 0.5) + (0.6 − 0.5)) / 2 = 0
    assertThat(rows.get(0).phi()).isCloseTo(0, within(1e-12));
  }

  @Test
  void aCellWithANonFiniteIntensityAtTGivesNoRow() {
    // y_2 is NaN at t only: its own z is undefined, so no row for 2; its neighbours at t−1 were
    // all finite, so 1, 3 and 4 give rows
    double[] y = {0.5, 0.4, 0.3, 0.6};
    List<RegressionRow> rows = chainRows(y, new double[] {0.55, Double.NaN, 0.3, 0.65});
    assertThat(rows).extracting(RegressionRow::trackId).containsExactly(1L, 3L, 4L);
    assertThat(rows).allSatisfy(r -> assertThat(r.z()).isFinite());
  }

  @Test
  void aCouplingSumThatOverflowsGivesNoRow() {
    // every term w·(x_j − y_i) is finite (±0.8 or 0.4 × MAX_VALUE), but the sums for cells 1
    // (+1.6 × MAX_VALUE) and 2 (−1.2 × MAX_VALUE) overflow: no rows for them; 3 and 4 give theirs
    double big = Double.MAX_VALUE / 250;
    double[] y = {-big, big, 0.3, big};
    List<RegressionRow> rows = chainRows(y, y.clone());
    assertThat(rows).extracting(RegressionRow::trackId).containsExactly(3L, 4L);
    assertThat(rows).allSatisfy(r -> assertThat(r.phi()).isFinite());
  }

  @Test
  void snapshotRestoreGivesTheSameRows() {
    ConsensusSimulator sim = new ConsensusSimulator(ConsensusSimulator.Params.defaults(0.01, 3));
    RegressionRowBuilder a = new RegressionRowBuilder();
    RegressionRowBuilder b = new RegressionRowBuilder();
    for (int f = 0; f < 20; f++) {
      ConsensusFrame frame = sim.next();
      List<RegressionRow> ra = a.accept(frame);
      b = RegressionRowBuilder.restore(b.snapshot());
      assertThat(b.accept(frame)).isEqualTo(ra);
      if (f > 0) {
        // 10 × 6 grid: 8 × 4 interior cells
        assertThat(ra).hasSize(32);
      }
    }
  }

  @Test
  void aRowsInstrumentIsTheSameCellsPhiOneFrameEarlier() {
    RegressionRowBuilder b = new RegressionRowBuilder();
    b.accept(frame(0, 0, 0.5, 0.7, 0.2));
    RegressionRow first = b.accept(frame(1, 1, 0.6, 0.9, 0.1)).get(0);
    assertThat(first.hasInstrument()).as("a track's first row").isFalse();
    // survives a snapshot through the state store
    b = RegressionRowBuilder.restore(b.snapshot());
    RegressionRow second = b.accept(frame(2, 2, 0.65, 0.8, 0.3)).get(0);
    // φ_1 (from frame 0) = 5; φ_2 (from frame 1) = (200·0.3 + 100·(−0.5)) / 2 = 5
    assertThat(second.instrument()).isEqualTo(first.phi());
    RegressionRow third = b.accept(frame(3, 3, 0.6, 0.8, 0.3)).get(0);
    assertThat(third.instrument()).isEqualTo(second.phi());
    assertThat(third.phi()).isCloseTo((200 * 0.15 + 100 * (0.3 - 0.65)) / 2, within(1e-12));
    // after a missing frame the next row starts without an instrument again
    b.accept(frame(5, 5, 0.6, 0.8, 0.3));
    assertThat(b.accept(frame(6, 6, 0.6, 0.8, 0.3)).get(0).hasInstrument()).isFalse();
  }
}
