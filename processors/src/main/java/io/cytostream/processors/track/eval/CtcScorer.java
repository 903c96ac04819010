package io.cytostream.processors.track.eval;

import io.cytostream.processors.track.CtcTrackTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Cell Tracking Challenge tracking measures, in Java, following py-ctcmetrics
 * (ctc_metrics/utils/representations.py, metrics/technical/tra.py, metrics/biological/bc.py):
 *
 * <ul>
 *   <li>Matching: a result object matches a reference marker when it covers more than 50 % of the
 *       marker's pixels.
 *   <li>AOGM (Matula et al. 2015): graph vertices are (frame, label); edges are track links (same
 *       label in consecutive frames, semantic 0) and parent links (parent's last frame to child's
 *       first frame, semantic 1). NS = Σ(k − 1) over result objects matching k ≥ 1 markers; FN =
 *       unmatched markers; FP = result objects matching none; ED = result edges between uniquely
 *       matched vertices that have no reference counterpart; EA = reference edges without result
 *       counterpart; EC = edges present in both with different semantics. AOGM = 5 NS + 10 FN + FP
 *       + ED + 1.5 EA + EC; AOGM_0 = 10 |V_R| + 1.5 |E_R|; TRA = 1 − min(AOGM, AOGM_0)/AOGM_0; LNK
 *       is the same with the edge terms only.
 *   <li>BC(i): F1 of divisions, a result division matching a reference division within ±i frames
 *       when the mothers match at the earlier of the two end frames and the daughters at the frame
 *       after the later one.
 * </ul>
 *
 * <p>Frame numbers are indices into the list of {@link FrameMatch}es: {@code frames.get(t)} is
 * frame t, starting at 0, as in the CTC layout. Agreement with the independent evaluator ({@code
 * ../shared/tools/ctc-eval}) on a real {@code process} output is tested ({@code
 * CtcScorerAgreementTest}). Kafka-free; not thread-safe only in the sense that the inputs must not
 * change during a call.
 */
public final class CtcScorer {
  private CtcScorer() {}

  /** A track line {@code L B E P}. */
  public record Track(int label, int begin, int end, int parent) {}

  /**
   * Matching in one frame.
   *
   * @param refLabels labels present in the reference (marker) image
   * @param compLabels labels present in the result mask
   * @param mappedRef / mappedComp parallel lists of matched (reference, result) label pairs
   */
  public record FrameMatch(int[] refLabels, int[] compLabels, int[] mappedRef, int[] mappedComp) {

    /** Matches two label images of the same size (0 = background). */
    public static FrameMatch of(int[] ref, int[] comp) {
      if (ref.length != comp.length) {
        throw new IllegalArgumentException("image sizes differ");
      }
      Map<Integer, Integer> refArea = new HashMap<>();
      Map<Long, Integer> overlap = new HashMap<>();
      TreeSet<Integer> compSet = new TreeSet<>();
      for (int k = 0; k < ref.length; k++) {
        int r = ref[k];
        int c = comp[k];
        if (c != 0) {
          compSet.add(c);
        }
        if (r != 0) {
          refArea.merge(r, 1, Integer::sum);
          if (c != 0) {
            overlap.merge(((long) r << 32) | c, 1, Integer::sum);
          }
        }
      }
      List<int[]> pairs = new ArrayList<>();
      overlap.forEach(
          (key, n) -> {
            int r = (int) (key >>> 32);
            int c = (int) (long) key;
            if (n > 0.5 * refArea.get(r)) {
              pairs.add(new int[] {r, c});
            }
          });
      pairs.sort((a, b) -> Integer.compare(a[0], b[0]));
      int[] mr = pairs.stream().mapToInt(p -> p[0]).toArray();
      int[] mc = pairs.stream().mapToInt(p -> p[1]).toArray();
      int[] rl = new TreeSet<>(refArea.keySet()).stream().mapToInt(Integer::intValue).toArray();
      int[] cl = compSet.stream().mapToInt(Integer::intValue).toArray();
      return new FrameMatch(rl, cl, mr, mc);
    }
  }

  /** AOGM counts and the derived measures. */
  public record Result(
      long ns,
      long fn,
      long fp,
      long ed,
      long ea,
      long ec,
      long refVertices,
      long refEdges,
      double aogm,
      double aogm0,
      double tra,
      double lnk) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "TRA %.5f LNK %.5f AOGM %.1f (NS %d FN %d FP %d ED %d EA %d EC %d; |V_R| %d |E_R| %d)",
          tra,
          lnk,
          aogm,
          ns,
          fn,
          fp,
          ed,
          ea,
          ec,
          refVertices,
          refEdges);
    }
  }

  /** Division counts for BC(i). */
  public record Divisions(int tp, int fp, int fn) {
    /** F1 of divisions (0 when there are none in both). */
    public double bc() {
      double precision = tp / (double) Math.max(tp + fp, 1);
      double recall = tp / (double) Math.max(tp + fn, 1);
      return 2 * precision * recall / Math.max(precision + recall, 0.0001);
    }
  }

  /** Computes AOGM, TRA and LNK. {@code frames.get(t)} is frame t. */
  public static Result aogm(List<Track> ref, List<Track> comp, List<FrameMatch> frames) {
    long ns = 0;
    long fn = 0;
    long fp = 0;
    long nRef = 0;
    // unique comp -> ref vertex per frame (only for comp objects matching exactly one marker)
    List<Map<Integer, Integer>> uniqueCompToRef = new ArrayList<>();
    for (FrameMatch fm : frames) {
      nRef += fm.refLabels().length;
      Map<Integer, Integer> count = new HashMap<>();
      Map<Integer, Integer> to = new HashMap<>();
      for (int k = 0; k < fm.mappedComp().length; k++) {
        count.merge(fm.mappedComp()[k], 1, Integer::sum);
        to.put(fm.mappedComp()[k], fm.mappedRef()[k]);
      }
      fn += fm.refLabels().length - fm.mappedRef().length;
      for (int c : fm.compLabels()) {
        int k = count.getOrDefault(c, 0);
        if (k == 0) {
          fp++;
        } else {
          ns += k - 1;
        }
      }
      Map<Integer, Integer> unique = new HashMap<>();
      to.forEach(
          (c, r) -> {
            if (count.get(c) == 1) {
              unique.put(c, r);
            }
          });
      uniqueCompToRef.add(unique);
    }
    Map<Edge, Integer> refEdges = edges(ref, frames, true);
    Map<Edge, Integer> compEdges = edges(comp, frames, false);
    Map<Edge, Integer> mapped = new HashMap<>();
    for (Map.Entry<Edge, Integer> e : compEdges.entrySet()) {
      Edge ce = e.getKey();
      Integer r1 = uniqueCompToRef.get(ce.t1()).get(ce.l1());
      Integer r2 = uniqueCompToRef.get(ce.t2()).get(ce.l2());
      if (r1 != null && r2 != null) {
        mapped.put(new Edge(ce.t1(), r1, ce.t2(), r2), e.getValue());
      }
    }
    long ed = 0;
    long ec = 0;
    for (Map.Entry<Edge, Integer> e : mapped.entrySet()) {
      Integer sem = refEdges.get(e.getKey());
      if (sem == null) {
        ed++;
      } else if (!sem.equals(e.getValue())) {
        ec++;
      }
    }
    long ea = 0;
    for (Edge e : refEdges.keySet()) {
      if (!mapped.containsKey(e)) {
        ea++;
      }
    }
    long nEdges = refEdges.size();
    double aogm = 5.0 * ns + 10.0 * fn + fp + ed + 1.5 * ea + ec;
    double aogm0 = 10.0 * nRef + 1.5 * nEdges;
    double tra = 1 - Math.min(aogm, aogm0) / aogm0;
    double aogmA = ed + 1.5 * ea + ec;
    double lnk = 1 - Math.min(aogmA, 1.5 * nEdges) / (1.5 * nEdges);
    return new Result(ns, fn, fp, ed, ea, ec, nRef, nEdges, aogm, aogm0, tra, lnk);
  }

  private record Edge(int t1, int l1, int t2, int l2) {}

  private static Map<Edge, Integer> edges(
      List<Track> tracks, List<FrameMatch> frames, boolean ref) {
    Map<Edge, Integer> out = new HashMap<>();
    for (int t = 0; t + 1 < frames.size(); t++) {
      Set<Integer> now = new HashSet<>();
      for (int l : ref ? frames.get(t).refLabels() : frames.get(t).compLabels()) {
        now.add(l);
      }
      for (int l : ref ? frames.get(t + 1).refLabels() : frames.get(t + 1).compLabels()) {
        if (now.contains(l)) {
          out.put(new Edge(t, l, t + 1, l), 0);
        }
      }
    }
    Map<Integer, Track> byLabel = new HashMap<>();
    for (Track tr : tracks) {
      byLabel.put(tr.label(), tr);
    }
    for (Track tr : tracks) {
      if (tr.parent() != 0) {
        Track p = byLabel.get(tr.parent());
        out.put(new Edge(p.end(), p.label(), tr.begin(), tr.label()), 1);
      }
    }
    return out;
  }

  /** Branching correctness counts with tolerance {@code i} frames (py-ctcmetrics semantics). */
  public static Divisions divisions(
      List<Track> ref, List<Track> comp, List<FrameMatch> frames, int i) {
    Map<Integer, List<Integer>> refKids = children(ref);
    Map<Integer, List<Integer>> compKids = children(comp);
    Map<Integer, Integer> refEnd = ends(ref);
    Map<Integer, Integer> compEnd = ends(comp);
    if (refKids.isEmpty()) {
      return new Divisions(0, compKids.size(), 0);
    }
    if (compKids.isEmpty()) {
      return new Divisions(0, 0, refKids.size());
    }
    int matches = 0;
    for (Map.Entry<Integer, List<Integer>> c : compKids.entrySet()) {
      int tc = compEnd.get(c.getKey());
      for (Map.Entry<Integer, List<Integer>> r : refKids.entrySet()) {
        int tr = refEnd.get(r.getKey());
        if (Math.abs(tr - tc) > i) {
          continue;
        }
        if (isMatching(c.getKey(), r.getKey(), c.getValue(), r.getValue(), tr, tc, frames)) {
          matches++;
        }
      }
    }
    return new Divisions(matches, compKids.size() - matches, refKids.size() - matches);
  }

  private static boolean isMatching(
      int comp,
      int refLabel,
      List<Integer> compChildren,
      List<Integer> refChildren,
      int tr,
      int tc,
      List<FrameMatch> frames) {
    if (compChildren.size() != refChildren.size()) {
      return false;
    }
    int t1 = Math.min(tr, tc);
    int t2 = Math.max(tr, tc);
    FrameMatch f1 = frames.get(t1);
    int refCount = 0;
    int refIdx = -1;
    int compCount = 0;
    for (int k = 0; k < f1.mappedRef().length; k++) {
      if (f1.mappedRef()[k] == refLabel) {
        refCount++;
        refIdx = k;
      }
      if (f1.mappedComp()[k] == comp) {
        compCount++;
      }
    }
    if (compCount < 1 || refCount != 1 || f1.mappedComp()[refIdx] != comp) {
      return false;
    }
    if (t2 + 1 >= frames.size()) {
      return false;
    }
    FrameMatch f2 = frames.get(t2 + 1);
    Set<Integer> mc = new HashSet<>();
    for (int c : f2.mappedComp()) {
      mc.add(c);
    }
    if (!mc.containsAll(compChildren)) {
      return false;
    }
    for (int k = 0; k < f2.mappedComp().length; k++) {
      if (compChildren.contains(f2.mappedComp()[k]) && !refChildren.contains(f2.mappedRef()[k])) {
        return false;
      }
    }
    return true;
  }

  /** Parents with more than one child, mapped to their children. */
  private static Map<Integer, List<Integer>> children(List<Track> tracks) {
    Map<Integer, List<Integer>> kids = new java.util.TreeMap<>();
    for (Track t : tracks) {
      if (t.parent() > 0) {
        kids.computeIfAbsent(t.parent(), k -> new ArrayList<>()).add(t.label());
      }
    }
    kids.values().removeIf(l -> l.size() < 2);
    return kids;
  }

  private static Map<Integer, Integer> ends(List<Track> tracks) {
    Map<Integer, Integer> m = new HashMap<>();
    for (Track t : tracks) {
      m.put(t.label(), t.end());
    }
    return m;
  }

  /** Converts the main-code CTC table rows. */
  public static List<Track> fromTable(List<CtcTrackTable.CtcTrack> rows) {
    List<Track> out = new ArrayList<>();
    for (CtcTrackTable.CtcTrack r : rows) {
      out.add(new Track(r.label(), (int) r.begin(), (int) r.end(), r.parent()));
    }
    return out;
  }

  /** Reads a CTC track file ({@code res_track.txt}, {@code man_track.txt}): lines L B E P. */
  public static List<Track> readTracks(Path file) throws IOException {
    List<Track> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.trim();
      if (t.isEmpty()) {
        continue;
      }
      String[] p = t.split("\\s+");
      if (p.length != 4) {
        throw new IOException(file + ": not an 'L B E P' line: " + line);
      }
      out.add(
          new Track(
              Integer.parseInt(p[0]),
              Integer.parseInt(p[1]),
              Integer.parseInt(p[2]),
              Integer.parseInt(p[3])));
    }
    return out;
  }

  /**
   * The tracks restricted to frames {@code [0, frames)}: tracks beginning later are dropped, ends
   * are clipped. A parent always ends before its daughters begin, so every parent of a kept track
   * is kept.
   */
  public static List<Track> clip(List<Track> tracks, int frames) {
    List<Track> out = new ArrayList<>();
    for (Track t : tracks) {
      if (t.begin() < frames) {
        out.add(new Track(t.label(), t.begin(), Math.min(t.end(), frames - 1), t.parent()));
      }
    }
    return out;
  }

  /** Relabels a label image through {@code map} (labels not in the map become 0). */
  public static int[] relabel(int[] labels, Map<Integer, Integer> map) {
    int[] out = Arrays.copyOf(labels, labels.length);
    for (int k = 0; k < out.length; k++) {
      if (out[k] != 0) {
        out[k] = map.getOrDefault(out[k], 0);
      }
    }
    return out;
  }
}
