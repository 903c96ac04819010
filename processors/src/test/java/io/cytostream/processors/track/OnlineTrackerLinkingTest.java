package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tracker's links between two frames are an optimal solution of the documented LAP: compared
 * with a brute-force search over all gated partial matchings, using the cost formula of {@link
 * TrackerConfig} written out independently here.
 */
class OnlineTrackerLinkingTest {

  private static double cost(TrackerConfig c, Detection a, Detection b, int gap) {
    double d2 = (a.x() - b.x()) * (a.x() - b.x()) + (a.y() - b.y()) * (a.y() - b.y());
    // the gate grows with the track's equivalent diameter (FrameLinker.SIZE_GATE per diameter)
    double r = Math.max(c.maxLinkDistance(), 2 * Math.sqrt(a.areaPx() / Math.PI));
    if (d2 > r * r * (1 + gap)) {
      return Double.POSITIVE_INFINITY;
    }
    double la = Math.log(b.areaPx() / a.areaPx());
    double rel =
        (b.meanIntensity() - a.meanIntensity())
            / Math.max(Math.abs(b.meanIntensity()), Math.abs(a.meanIntensity()));
    return d2 / (r * r)
        + c.areaWeight() * la * la
        + c.intensityWeight() * rel * rel
        + c.gapPenalty() * gap;
  }

  private static double best(double[][] c, double alone, int row, boolean[] used) {
    if (row == c.length) {
      int free = 0;
      for (boolean u : used) {
        free += u ? 0 : 1;
      }
      return free * alone;
    }
    double b = alone + best(c, alone, row + 1, used);
    for (int j = 0; j < used.length; j++) {
      if (!used[j] && Double.isFinite(c[row][j])) {
        used[j] = true;
        b = Math.min(b, c[row][j] + best(c, alone, row + 1, used));
        used[j] = false;
      }
    }
    return b;
  }

  @Test
  void linksAreOptimalAgainstBruteForce() {
    Random rnd = new Random(99);
    TrackerConfig cfg =
        new TrackerConfig(30, 2, 0, 0.0, 0.5, 0.7, 0.3, 0.5, 1.0, false, 50, 1.6, 1.5, false);
    int linksSeen = 0;
    for (int trial = 0; trial < 1500; trial++) {
      int n = rnd.nextInt(7);
      int m = rnd.nextInt(7);
      List<Detection> f0 = new ArrayList<>();
      List<Detection> f1 = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        f0.add(
            new Detection(
                i + 1,
                80 * rnd.nextDouble(),
                80 * rnd.nextDouble(),
                500 + 1000 * rnd.nextDouble(),
                50 + 100 * rnd.nextDouble()));
      }
      for (int j = 0; j < m; j++) {
        f1.add(
            new Detection(
                j + 1,
                80 * rnd.nextDouble(),
                80 * rnd.nextDouble(),
                500 + 1000 * rnd.nextDouble(),
                50 + 100 * rnd.nextDouble()));
      }
      int gap = rnd.nextInt(3);
      OnlineTracker tr = new OnlineTracker(cfg);
      tr.push(0, f0);
      List<FinalizedFrame> out = tr.push(1 + gap, f1);
      FinalizedFrame second = out.get(0);
      assertThat(second.frameIndex()).isEqualTo(1L + gap);

      double[][] c = new double[n][m];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          c[i][j] = cost(cfg, f0.get(i), f1.get(j), gap);
        }
      }
      // the tracker's objective: track ids 1..n are the detections of frame 0 in order
      double objective = 0;
      int linked = 0;
      for (int j = 0; j < m; j++) {
        long id = second.assignments().get(j).trackId();
        if (id <= n) {
          assertThat(c[(int) id - 1][j]).isFinite();
          objective += c[(int) id - 1][j];
          linked++;
        } else {
          objective += cfg.nonLinkCost();
        }
      }
      objective += (n - linked) * cfg.nonLinkCost();
      linksSeen += linked;
      assertThat(objective)
          .as("trial %d", trial)
          .isCloseTo(best(c, cfg.nonLinkCost(), 0, new boolean[m]), within(1e-9));
    }
    assertThat(linksSeen).isGreaterThan(1000);
  }
}
