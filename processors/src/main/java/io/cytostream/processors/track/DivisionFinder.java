package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the divisions of one frame {@code t} after linking, with the division cost documented in
 * {@link TrackerConfig}. Stateless apart from the configuration.
 *
 * <p>For every track seen in {@code t − 1}, a division into two detections of {@code t} is a
 * candidate when both lie within {@code divisionMaxDistance} px of the mother's last centroid, one
 * of them being the detection the LAP linked to the mother (or none: then both must be unlinked)
 * and the other one unlinked, and its cost is at most {@code divisionMaxCost}. Candidates are
 * accepted greedily by increasing cost (ties: lower mother, then detection indices), each mother
 * and detection at most once.
 */
final class DivisionFinder {
  /**
   * One accepted division.
   *
   * @param mother the mother's row in the active tracks
   * @param daughterA the lower detection index of the daughters
   * @param daughterB the higher detection index
   */
  record Division(int mother, int daughterA, int daughterB) {
    Division {
      if (daughterA > daughterB) {
        int swap = daughterA;
        daughterA = daughterB;
        daughterB = swap;
      }
    }
  }

  private record Candidate(double cost, int mother, int a, int b) {}

  private final TrackerConfig cfg;

  DivisionFinder(TrackerConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * The accepted divisions of frame {@code t}, in increasing mother order.
   *
   * @param active the tracks (rows of {@code links})
   * @param detections the detections of frame {@code t} (columns of {@code links})
   * @param grid the detections' centroids indexed for gating
   * @param links the frame's LAP solution
   */
  List<Division> find(
      long t,
      List<Track> active,
      List<Detection> detections,
      SpatialGrid grid,
      LapSolver.Assignment links) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < active.size(); i++) {
      Track mother = active.get(i);
      if (mother.lastFrame == t - 1) {
        addCandidates(i, mother, detections, grid, links, candidates);
      }
    }
    candidates.sort(
        Comparator.comparingDouble(Candidate::cost)
            .thenComparingInt(Candidate::mother)
            .thenComparingInt(Candidate::a)
            .thenComparingInt(Candidate::b));
    return acceptGreedily(candidates, active.size());
  }

  private void addCandidates(
      int i,
      Track mother,
      List<Detection> dets,
      SpatialGrid grid,
      LapSolver.Assignment links,
      List<Candidate> out) {
    int[] detTrack = links.colToRow();
    List<Integer> near = new ArrayList<>();
    grid.forEachWithin(
        mother.x,
        mother.y,
        cfg.divisionMaxDistance(),
        j -> {
          if (detTrack[j] < 0) {
            near.add(j);
          }
        });
    int s = links.rowToCol()[i];
    if (s >= 0) {
      for (int b : near) {
        addIfCheap(out, i, mother, dets, s, b);
      }
    } else {
      for (int p = 0; p < near.size(); p++) {
        for (int q = p + 1; q < near.size(); q++) {
          addIfCheap(out, i, mother, dets, near.get(p), near.get(q));
        }
      }
    }
  }

  private void addIfCheap(
      List<Candidate> out, int i, Track mother, List<Detection> dets, int a, int b) {
    double c = cost(mother, dets.get(a), dets.get(b));
    if (c <= cfg.divisionMaxCost()) {
      out.add(new Candidate(c, i, a, b));
    }
  }

  private static List<Division> acceptGreedily(List<Candidate> sorted, int tracks) {
    boolean[] divided = new boolean[tracks];
    Set<Integer> used = new HashSet<>();
    List<Division> chosen = new ArrayList<>();
    for (Candidate c : sorted) {
      if (divided[c.mother()] || used.contains(c.a()) || used.contains(c.b())) {
        continue;
      }
      divided[c.mother()] = true;
      used.add(c.a());
      used.add(c.b());
      chosen.add(new Division(c.mother(), c.a(), c.b()));
    }
    chosen.sort(Comparator.comparingInt(Division::mother));
    return chosen;
  }

  /** Division cost as documented in {@link TrackerConfig}; +inf if outside the gate. */
  double cost(Track mother, Detection a, Detection b) {
    double rd = cfg.divisionMaxDistance();
    double da = sq(a.x() - mother.x) + sq(a.y() - mother.y);
    double db = sq(b.x() - mother.x) + sq(b.y() - mother.y);
    if (da > rd * rd || db > rd * rd) {
      return Double.POSITIVE_INFINITY;
    }
    double lr = Math.log((a.areaPx() + b.areaPx()) / mother.area);
    double lt = Math.log(cfg.divisionAreaTolerance());
    return (lr * lr) / (lt * lt) + (da + db) / (2 * rd * rd);
  }

  private static double sq(double v) {
    return v * v;
  }
}
