package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One frame's leaves and candidates as one forest, for {@link CandidateSelector}: nodes {@code
 * 0..L-1} are the leaves (in their given order), then the candidates (node {@code L + k} is
 * candidate {@code k}). A candidate's parent is the smallest candidate that strictly contains it;
 * the roots are the nodes without a parent, ordered by their first leaf.
 *
 * <p>Contract: built by {@link #of}, which checks that labels are unique, every member is a known
 * leaf and the candidates are laminar (throwing {@link IllegalArgumentException} otherwise); a
 * candidate's detection is the area-weighted merge of its children ({@link #merge}, area in
 * pixels). After construction the forest is only read. Package-private: an implementation detail of
 * the selector, stateless apart from the frame it describes.
 */
final class CandidateForest {
  final Detection[] detections;
  final boolean[] preferred;
  final int[] parent;
  final List<List<Integer>> children = new ArrayList<>();
  final List<Integer> roots = new ArrayList<>();

  private CandidateForest(int n) {
    detections = new Detection[n];
    preferred = new boolean[n];
    parent = new int[n];
    Arrays.fill(parent, -1);
    for (int i = 0; i < n; i++) {
      children.add(new ArrayList<>());
    }
  }

  static CandidateForest of(List<Detection> leaves, List<Candidate> candidates) {
    int nl = leaves.size();
    CandidateForest f = new CandidateForest(nl + candidates.size());
    Map<Integer, Integer> leafIndex = new HashMap<>();
    for (int i = 0; i < nl; i++) {
      f.detections[i] = leaves.get(i);
      leafIndex.put(leaves.get(i).label(), i);
    }
    // candidates by increasing size: each leaf's chain of containing candidates, innermost first
    Integer[] order = new Integer[candidates.size()];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(
        order, (a, b) -> Integer.compare(candidates.get(a).size(), candidates.get(b).size()));
    int[] top = new int[nl]; // the largest node containing each leaf so far
    for (int i = 0; i < nl; i++) {
      top[i] = i;
    }
    Set<Integer> labels = new HashSet<>(leafIndex.keySet());
    for (int k : order) {
      Candidate c = candidates.get(k);
      int node = nl + k;
      if (!labels.add(c.label())) {
        throw new IllegalArgumentException("duplicate label " + c.label());
      }
      int count = 0;
      for (int m : c.members()) {
        Integer leaf = leafIndex.get(m);
        if (leaf == null) {
          throw new IllegalArgumentException("candidate " + c.label() + ": unknown leaf " + m);
        }
        int child = top[leaf];
        if (child == node) {
          throw new IllegalArgumentException("candidate " + c.label() + " repeats leaf " + m);
        }
        if (f.parent[child] < 0) {
          f.parent[child] = node;
          f.children.get(node).add(child);
          count += f.leafCount(child);
        }
        top[leaf] = node;
      }
      if (count != c.size()) {
        throw new IllegalArgumentException("candidates are not laminar at " + c.label());
      }
      f.preferred[node] = c.preferred();
      f.detections[node] = merge(c.label(), f, node);
    }
    for (int i = 0; i < f.parent.length; i++) {
      if (f.parent[i] < 0) {
        f.roots.add(i);
      }
    }
    f.roots.sort((a, b) -> Integer.compare(f.firstLeaf(a), f.firstLeaf(b)));
    return f;
  }

  int leafCount(int node) {
    if (children.get(node).isEmpty()) {
      return 1;
    }
    int s = 0;
    for (int c : children.get(node)) {
      s += leafCount(c);
    }
    return s;
  }

  int firstLeaf(int node) {
    int n = node;
    while (!children.get(n).isEmpty()) {
      n = children.get(n).stream().mapToInt(this::firstLeaf).min().getAsInt();
    }
    return n;
  }

  static Detection merge(int label, CandidateForest f, int node) {
    double area = 0;
    double sx = 0;
    double sy = 0;
    double si = 0;
    for (int c : f.children.get(node)) {
      Detection d = f.detections[c];
      area += d.areaPx();
      sx += d.areaPx() * d.x();
      sy += d.areaPx() * d.y();
      si += d.areaPx() * d.meanIntensity();
    }
    return new Detection(label, sx / area, sy / area, area, si / area);
  }

  void subtree(int node, List<Integer> out) {
    out.add(node);
    for (int c : children.get(node)) {
      subtree(c, out);
    }
  }

  void preferredCut(int node, List<Integer> out) {
    if ((preferred[node] && !scattered(node)) || children.get(node).isEmpty()) {
      out.add(node);
      return;
    }
    for (int c : children.get(node)) {
      preferredCut(c, out);
    }
  }

  /**
   * Whether the children of {@code node} cannot all touch: linking two children whose centroids are
   * at most {@link CandidateSelector#TOUCH} times the sum of their equivalent radii apart leaves
   * them in more than one group. Such a node is not one cell, whatever the segmenter prefers.
   */
  boolean scattered(int node) {
    List<Integer> kids = children.get(node);
    int n = kids.size();
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      group[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (mayTouch(detections[kids.get(i)], detections[kids.get(j)])) {
          int gi = group[i];
          int gj = group[j];
          for (int k = 0; k < n; k++) {
            if (group[k] == gj) {
              group[k] = gi;
            }
          }
        }
      }
    }
    for (int k = 1; k < n; k++) {
      if (group[k] != group[0]) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayTouch(Detection a, Detection b) {
    double ra = Math.sqrt(a.areaPx() / Math.PI);
    double rb = Math.sqrt(b.areaPx() / Math.PI);
    return Math.hypot(a.x() - b.x(), a.y() - b.y()) <= CandidateSelector.TOUCH * (ra + rb);
  }

  /** Every cut of the subtree at {@code node}, or null when there are more than {@code max}. */
  List<List<Integer>> cuts(int node, int max) {
    List<List<Integer>> out = new ArrayList<>();
    out.add(List.of(node));
    List<Integer> kids = children.get(node);
    if (kids.isEmpty()) {
      return out;
    }
    List<List<Integer>> combined = new ArrayList<>();
    combined.add(List.of());
    for (int c : kids) {
      List<List<Integer>> sub = cuts(c, max);
      if (sub == null || (long) combined.size() * sub.size() > max) {
        return null;
      }
      List<List<Integer>> next = new ArrayList<>();
      for (List<Integer> a : combined) {
        for (List<Integer> b : sub) {
          List<Integer> joined = new ArrayList<>(a);
          joined.addAll(b);
          next.add(joined);
        }
      }
      combined = next;
    }
    out.addAll(combined);
    return out.size() > max ? null : out;
  }
}
