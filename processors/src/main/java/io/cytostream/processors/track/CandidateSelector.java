package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses, for one frame, the non-overlapping candidate segments that best continue the active
 * tracks: the online, one-frame form of choosing among a segmentation hierarchy (the idea of
 * ultrack, Bragantini et al.). Stateless apart from its parameters.
 *
 * <p>Input: the frame's finest detections (leaves) and its {@link Candidate}s (unions of leaves,
 * laminar), which together form a forest; every root is a connected piece of foreground. A
 * <em>cut</em> of a tree is a set of its nodes that covers each leaf exactly once. Per tree:
 *
 * <ul>
 *   <li>The <em>preferred cut</em> is what the segmenter reports on its own (its preferred
 *       candidates, else leaves; a preferred candidate whose parts lie too far apart to touch,
 *       {@link #TOUCH}, is not one cell and is replaced by its parts). A tree that no active track
 *       reaches (no node within a track's gate, see {@link FrameLinker}) keeps its preferred cut,
 *       so that without history the output is the single-level segmentation.
 *   <li>Otherwise every cut is scored (at most {@link #MAX_CUTS} per tree, else the preferred cut
 *       is kept): the cost of the best assignment of the tree's nearby tracks to the cut's nodes
 *       (link cost as in {@link FrameLinker#linkCost}; {@code nonLinkCost} for a track left alone;
 *       {@link Costs#birth} for a node left alone: a new cell next to tracked ones), plus {@link
 *       Costs#deviation} per node of the cut that is not in the preferred cut. Cuts with a part of
 *       a preferred segment smaller than {@link #MIN_PART} of it are not considered. The cheapest
 *       cut is taken; the preferred cut wins ties.
 * </ul>
 *
 * With the defaults, a one-frame merge of two tracked cells (the segmenter reports one segment, the
 * hierarchy holds both) is cut back into two, because leaving one track alone costs more than the
 * two deviations; a segment split in two next to one track that fits the whole is kept whole. The
 * chosen nodes are then linked by the tracker as ordinary detections. Work per tree is the number
 * of cuts times a small assignment; trees are small (a few leaves).
 */
public final class CandidateSelector {
  /** A tree with more cuts than this keeps its preferred cut. */
  public static final int MAX_CUTS = 64;

  /**
   * A part of a preferred segment is only chosen when its area is at least this fraction of the
   * preferred segment's: a small protrusion cut off to keep a second track alive is not a cell.
   */
  public static final double MIN_PART = 0.3;

  /**
   * Two parts of a segment may touch when their centroids are at most this many times the sum of
   * their equivalent radii apart (1 for touching discs; elongated and branched cells reach
   * farther). A preferred candidate whose parts cannot all touch is not taken as one cell: the
   * preferred cut goes below it. The classical hierarchy sometimes groups a small cell at the image
   * edge with a distant one (8.5 times the radii apart on a simulated confluent culture, seed 5); 5
   * leaves every preferred segment of Fluo-C2DL-MSC 01 (irregular, branched cells) as it was, while
   * 1.5 and 3 cut some of them (chain SEG 0.567 to 0.544 and 0.563).
   */
  public static final double TOUCH = 5.0;

  /**
   * The selection's costs (dimensionless, on the scale of {@link TrackerConfig#nonLinkCost()}).
   *
   * @param deviation cost per chosen node that the segmenter did not prefer, {@code >= 0}
   * @param birth cost per chosen node that no nearby track continues, {@code >= 0}
   */
  public record Costs(double deviation, double birth) {
    /** Validates. */
    public Costs {
      if (!(deviation >= 0) || !(birth >= 0)) {
        throw new IllegalArgumentException("costs must be >= 0");
      }
    }

    /** deviation 0.3, birth 0.5. */
    public static Costs defaults() {
      return new Costs(0.3, 0.5);
    }
  }

  private final TrackerConfig cfg;
  private final FrameLinker linker;
  private final Costs costs;

  /** A selector with the tracker's configuration and the given costs. */
  public CandidateSelector(TrackerConfig cfg, Costs costs) {
    this.cfg = cfg;
    this.linker = new FrameLinker(cfg);
    this.costs = costs;
  }

  /**
   * One frame's choice.
   *
   * @param detections the chosen segments, see {@link #select}
   * @param splits for every chosen segment with parts, its cuts into two parts (each at least
   *     {@link #MIN_PART} of it): where a division found later may have begun
   */
  record Selection(List<Detection> detections, List<TrackerSnapshot.Split> splits) {}

  /**
   * The chosen detections of frame {@code t}: leaves keep their label, a chosen candidate becomes a
   * detection with the candidate's label, its area the sum of its leaves' areas and its centroid
   * and mean intensity their area-weighted means. Order: by tree, as the leaves first appear.
   *
   * @param tracks the active tracks
   * @param leaves the finest detections (labels unique)
   * @param candidates laminar unions of leaves (labels unique and distinct from the leaves')
   * @param t the frame index
   * @throws IllegalArgumentException if a candidate names an unknown leaf, repeats a label or the
   *     candidates are not laminar
   */
  Selection select(List<Track> tracks, List<Detection> leaves, List<Candidate> candidates, long t) {
    if (candidates.isEmpty()) {
      return new Selection(leaves, List.of());
    }
    CandidateForest f = CandidateForest.of(leaves, candidates);
    List<Detection> out = new ArrayList<>();
    List<TrackerSnapshot.Split> splits = new ArrayList<>();
    for (int root : f.roots) {
      for (int node : chooseCut(f, root, tracks, t)) {
        out.add(f.detections[node]);
        addSplits(f, node, splits);
      }
    }
    return new Selection(out, splits);
  }

  /** The two-part cuts of chosen {@code node}'s subtree, each part at least {@link #MIN_PART}. */
  private static void addSplits(CandidateForest f, int node, List<TrackerSnapshot.Split> out) {
    if (f.children.get(node).isEmpty()) {
      return;
    }
    List<List<Integer>> cuts = f.cuts(node, MAX_CUTS);
    if (cuts == null) {
      return;
    }
    double whole = f.detections[node].areaPx();
    for (List<Integer> cut : cuts) {
      if (cut.size() == 2
          && f.detections[cut.get(0)].areaPx() >= MIN_PART * whole
          && f.detections[cut.get(1)].areaPx() >= MIN_PART * whole) {
        out.add(
            new TrackerSnapshot.Split(
                f.detections[node].label(), f.detections[cut.get(0)], f.detections[cut.get(1)]));
      }
    }
  }

  private List<Integer> chooseCut(CandidateForest f, int root, List<Track> tracks, long t) {
    List<Integer> preferred = new ArrayList<>();
    f.preferredCut(root, preferred);
    List<Integer> nodes = new ArrayList<>();
    f.subtree(root, nodes);
    if (nodes.size() == 1) {
      return preferred;
    }
    List<double[]> near = nearbyTracks(f, nodes, tracks, t);
    if (near.isEmpty()) {
      return preferred;
    }
    List<List<Integer>> cuts = f.cuts(root, MAX_CUTS);
    if (cuts == null) {
      return preferred;
    }
    boolean[] pref = new boolean[f.detections.length];
    for (int p : preferred) {
      pref[p] = true;
    }
    List<Integer> best = preferred;
    double bestCost = cost(preferred, near, pref);
    double[] wholeArea = new double[f.detections.length];
    for (int p : preferred) {
      List<Integer> below = new ArrayList<>();
      f.subtree(p, below);
      for (int n : below) {
        wholeArea[n] = f.detections[p].areaPx();
      }
    }
    for (List<Integer> cut : cuts) {
      if (!admissible(cut, f, wholeArea)) {
        continue;
      }
      double c = cost(cut, near, pref);
      if (c < bestCost - 1e-12) {
        bestCost = c;
        best = cut;
      }
    }
    return best;
  }

  /** Whether no node of {@code cut} is a part of a preferred segment below {@link #MIN_PART}. */
  private static boolean admissible(List<Integer> cut, CandidateForest f, double[] wholeArea) {
    for (int n : cut) {
      if (wholeArea[n] > 0 && f.detections[n].areaPx() < MIN_PART * wholeArea[n]) {
        return false;
      }
    }
    return true;
  }

  /** Per nearby track, its link cost to every node of the tree (infinite outside its gate). */
  private List<double[]> nearbyTracks(
      CandidateForest f, List<Integer> nodes, List<Track> tracks, long t) {
    List<double[]> near = new ArrayList<>();
    for (Track tr : tracks) {
      int g = tr.gapBefore(t);
      double px = tr.x + cfg.velocityWeight() * tr.vx * (g + 1);
      double py = tr.y + cfg.velocityWeight() * tr.vy * (g + 1);
      double radius = linker.gate(tr) * Math.sqrt(1.0 + g);
      double[] c = new double[f.detections.length];
      Arrays.fill(c, Double.POSITIVE_INFINITY);
      boolean any = false;
      for (int n : nodes) {
        Detection d = f.detections[n];
        double dx = d.x() - px;
        double dy = d.y() - py;
        if (dx * dx + dy * dy <= radius * radius) {
          c[n] = linker.linkCost(tr, d, px, py, g);
          any |= c[n] < cfg.nonLinkCost();
        }
      }
      if (any) {
        near.add(c);
      }
    }
    return near;
  }

  private double cost(List<Integer> cut, List<double[]> near, boolean[] pref) {
    SparseCostMatrix.Builder b = SparseCostMatrix.builder(near.size(), cut.size());
    for (int i = 0; i < near.size(); i++) {
      double[] c = near.get(i);
      for (int j = 0; j < cut.size(); j++) {
        if (Double.isFinite(c[cut.get(j)])) {
          b.add(i, j, c[cut.get(j)]);
        }
      }
    }
    double[] rowAlone = new double[near.size()];
    double[] colAlone = new double[cut.size()];
    Arrays.fill(rowAlone, cfg.nonLinkCost());
    Arrays.fill(colAlone, costs.birth());
    double total = LapSolver.solve(b.build(), rowAlone, colAlone).totalCost();
    for (int n : cut) {
      if (!pref[n]) {
        total += costs.deviation();
      }
    }
    return total;
  }
}
