package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The linking and division steps of one frame, on hand-made tracks and LAP solutions. */
class LinkingStepsTest {

  private static Detection det(int label, double x, double y, double area) {
    return new Detection(label, x, y, area, 1);
  }

  private static SpatialGrid grid(List<Detection> dets, double cell) {
    double[] xs = new double[dets.size()];
    double[] ys = new double[dets.size()];
    for (int j = 0; j < xs.length; j++) {
      xs[j] = dets.get(j).x();
      ys[j] = dets.get(j).y();
    }
    return new SpatialGrid(xs, ys, cell);
  }

  /** Index of the detection the one track is linked to in frame 10. */
  private static int linkedAfterAGap(double vx, double vy, List<Detection> dets) {
    FrameLinker linker =
        new FrameLinker(TrackerConfig.builder().maxLinkDistance(30).velocityWeight(0.5).build());
    Track tr = Track.start(1, det(1, 0, 0, 10), 8); // last seen at 8: one frame missed
    tr.vx = vx;
    tr.vy = vy;
    LapSolver.Assignment a = linker.link(List.of(tr), dets, grid(dets, 30), 10);
    return a.rowToCol()[0];
  }

  @Test
  void theMotionPredictionScalesTheVelocityByItsWeightAndTheFramesElapsed() {
    // predicted: 0 + 0.5 · 10 px/frame · 2 frames = 10 px; the other detection is nearer to the
    // last position, to half the velocity, to one frame of it, and to a backward step
    assertThat(linkedAfterAGap(10, 0, List.of(det(1, -4, 0, 10), det(2, 10, 0, 10)))).isEqualTo(1);
    assertThat(linkedAfterAGap(0, 10, List.of(det(1, 0, -4, 10), det(2, 0, 10, 10)))).isEqualTo(1);
    assertThat(linkedAfterAGap(0, 0, List.of(det(1, 0, -4, 10), det(2, 0, 10, 10)))).isEqualTo(0);
  }

  private static Track seen(long id, double x, double y, double area, long lastFrame) {
    return Track.start(id, det(1, x, y, area), lastFrame);
  }

  private static LapSolver.Assignment links(int[] rowToCol, int cols) {
    int[] colToRow = new int[cols];
    java.util.Arrays.fill(colToRow, -1);
    for (int i = 0; i < rowToCol.length; i++) {
      if (rowToCol[i] >= 0) {
        colToRow[rowToCol[i]] = i;
      }
    }
    return new LapSolver.Assignment(rowToCol, colToRow, 0);
  }

  private static final TrackerConfig DIV =
      TrackerConfig.builder()
          .divisionMaxDistance(10)
          .divisionAreaTolerance(2)
          .divisionMaxCost(1.5)
          .build();

  @Test
  void theCheaperDivisionWinsAContestedDaughterWhateverTheMotherOrder() {
    // detection 1 lies between both mothers; mother 1's division (1, 2) is the cheaper
    List<Track> mothers = List.of(seen(1, 0, 0, 100, 4), seen(2, 12, 0, 100, 4));
    List<Detection> dets = List.of(det(1, -8, 0, 50), det(2, 6, 0, 50), det(3, 15, 0, 50));
    List<DivisionFinder.Division> found =
        new DivisionFinder(DIV)
            .find(5, mothers, dets, grid(dets, 10), links(new int[] {-1, -1}, 3));
    assertThat(found).containsExactly(new DivisionFinder.Division(1, 1, 2));
  }

  @Test
  void acceptedDivisionsComeInMotherOrder() {
    // mother 1's division is cheaper (daughters nearer) and accepted first
    List<Track> mothers = List.of(seen(1, 0, 0, 100, 4), seen(2, 100, 0, 100, 4));
    List<Detection> dets =
        List.of(det(1, -8, 0, 50), det(2, 8, 0, 50), det(3, 99, 0, 50), det(4, 101, 0, 50));
    assertThat(
            new DivisionFinder(DIV)
                .find(5, mothers, dets, grid(dets, 10), links(new int[] {-1, -1}, 4)))
        .containsExactly(
            new DivisionFinder.Division(0, 0, 1), new DivisionFinder.Division(1, 2, 3));
  }

  @Test
  void aLinkedMotherDividesIntoItsDetectionAndAnUnlinkedOneOnly() {
    // row 0 is a bystander linked to detection 2, which is also near mother row 1
    List<Track> tracks = List.of(seen(1, 50, 50, 100, 4), seen(2, 0, 0, 100, 4));
    List<Detection> dets = List.of(det(1, -6, 0, 50), det(2, 0, 8, 50), det(3, 5, 5, 50));
    List<DivisionFinder.Division> found =
        new DivisionFinder(DIV).find(5, tracks, dets, grid(dets, 10), links(new int[] {2, 0}, 3));
    // cost (36 + 64) / 200 = 0.5 with detection 1; detection 2 is taken by row 0
    assertThat(found).containsExactly(new DivisionFinder.Division(1, 0, 1));
    // a division costing exactly divisionMaxCost is accepted
    TrackerConfig tight = DIV.toBuilder().divisionMaxCost(0.5).build();
    assertThat(
            new DivisionFinder(tight)
                .find(5, tracks, dets, grid(dets, 10), links(new int[] {2, 0}, 3)))
        .containsExactly(new DivisionFinder.Division(1, 0, 1));
    // a mother not seen in the frame just before does not divide
    List<Track> old = List.of(seen(1, 50, 50, 100, 4), seen(2, 0, 0, 100, 3));
    assertThat(
            new DivisionFinder(DIV).find(5, old, dets, grid(dets, 10), links(new int[] {2, 0}, 3)))
        .isEmpty();
  }

  @Test
  void theGridFindsPointsOnTheQueryBoundary() {
    SpatialGrid g = new SpatialGrid(new double[] {10, 40}, new double[] {5, 5}, 10);
    List<Integer> hit = new ArrayList<>();
    g.forEachWithin(10, 5, 0, hit::add);
    assertThat(hit).containsExactly(0);
    hit.clear();
    g.forEachWithin(4, 5, 6, hit::add); // touches the left-most point from outside the grid
    assertThat(hit).containsExactly(0);
    hit.clear();
    g.forEachWithin(10, -1, 6, hit::add); // touches it from below
    assertThat(hit).containsExactly(0);
    assertThat(g.size()).isEqualTo(2);
    assertThatThrownBy(() -> new SpatialGrid(new double[0], new double[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLapRefusesInvalidAlternativeCosts() {
    SparseCostMatrix m = SparseCostMatrix.builder(1, 1).build();
    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> LapSolver.solve(m, new double[] {bad}, new double[] {1}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> LapSolver.solve(m, new double[] {1}, new double[] {bad}))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(LapSolver.solve(m, new double[] {0}, new double[] {0}).rowToCol())
        .containsExactly(-1);
  }
}
