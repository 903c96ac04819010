package io.cytostream.processors.segment;

import io.cytostream.processors.image.LabelImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small hierarchy of candidate segments of one frame: the finest segments (leaves, a label image)
 * and groups of leaves, each the union of its members, that a coarser cut of the segmentation
 * reports as one object. Groups are laminar (two groups are disjoint or nested) and distinct.
 *
 * @param leaves the finest segments, labels 1..count
 * @param groups unions of at least two leaves, ordered by level (finer first)
 */
public record SegmentHierarchy(LabelImage leaves, List<Group> groups) {

  /**
   * A union of leaves.
   *
   * @param members leaf labels, ascending, at least two
   * @param preferred whether the segmenter's single-level answer reports it as one object
   */
  public record Group(int[] members, boolean preferred) {
    /** Copies {@code members}. */
    public Group {
      members = members.clone();
    }

    @Override
    public int[] members() {
      return members.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Group g && g.preferred == preferred && Arrays.equals(g.members, members);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(members) + Boolean.hashCode(preferred);
    }

    @Override
    public String toString() {
      return "Group" + Arrays.toString(members) + (preferred ? " pref" : "");
    }
  }

  /** Copies the group list. */
  public SegmentHierarchy {
    groups = List.copyOf(groups);
  }

  /**
   * The single-level segmentation: each leaf replaced by the outermost preferred group containing
   * it, relabelled contiguously in row-major order of first appearance.
   */
  public LabelImage preferredLabels() {
    int[] map = new int[leaves.count() + 1];
    for (int i = 0; i <= leaves.count(); i++) {
      map[i] = i;
    }
    // groups are ordered finer first, so a later (outer) preferred group overrides an inner one
    int next = leaves.count() + 1;
    for (Group g : groups) {
      if (g.preferred()) {
        int id = next++;
        for (int m : g.members()) {
          map[m] = id;
        }
      }
    }
    int[] out = new int[leaves.labels().length];
    int[] in = leaves.labels();
    for (int i = 0; i < in.length; i++) {
      out[i] = map[in[i]];
    }
    return LabelImage.relabel(leaves.width(), leaves.height(), out);
  }

  /**
   * The hierarchy of a watershed by dynamics ({@link HierarchicalWatershed}) cut at {@code levels}:
   * leaves are the basins at the lowest level, with every basin smaller than {@code minArea} px
   * merged into the basin it merges into first (and dropped when it has none); each higher level
   * adds the unions it makes as groups (a union already present is not repeated). The groups of
   * {@code preferredLevel} (one of {@code levels}) are preferred; when it is the lowest level, the
   * leaves are the preferred cut.
   *
   * @param w width, px
   * @param h height, px
   * @param ws the watershed, computed with {@code minDynamic} = the lowest level
   * @param levels dynamics, ascending, height units
   * @param preferredLevel the level of the segmenter's single-level answer
   * @param minArea smallest leaf, px
   */
  public static SegmentHierarchy of(
      int w,
      int h,
      HierarchicalWatershed.Result ws,
      double[] levels,
      double preferredLevel,
      int minArea) {
    int[] raw = ws.basins();
    // basin label -> 0-based index in order of first appearance (row-major), -1 = absent
    int maxLabel = 0;
    for (int v : raw) {
      maxLabel = Math.max(maxLabel, v);
    }
    int[] index = new int[maxLabel + 1];
    Arrays.fill(index, -1);
    int n = 0;
    for (int v : raw) {
      if (v != 0 && index[v] < 0) {
        index[v] = n++;
      }
    }
    int[] area = new int[n];
    for (int v : raw) {
      if (v != 0) {
        area[index[v]]++;
      }
    }
    int[] forced = identity(n);
    List<HierarchicalWatershed.Edge> edges = new ArrayList<>(ws.edges());
    edges.sort((a, b) -> Double.compare(a.dynamic(), b.dynamic()));
    for (HierarchicalWatershed.Edge e : edges) {
      int c = Flood.find(forced, index[e.child()]);
      int p = Flood.find(forced, index[e.parent()]);
      if (c != p && area[c] < minArea) {
        forced[c] = p;
        area[p] += area[c];
      }
    }
    // leaves: forced components of at least minArea px, labelled in row-major order
    int[] leafOf = new int[n];
    Arrays.fill(leafOf, -1);
    int[] labels = new int[raw.length];
    int count = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        continue;
      }
      int c = Flood.find(forced, index[raw[i]]);
      if (area[c] < minArea) {
        continue;
      }
      if (leafOf[c] < 0) {
        leafOf[c] = ++count;
      }
      labels[i] = leafOf[c];
    }
    LabelImage leaves = new LabelImage(w, h, labels, count);
    List<Group> groups = new ArrayList<>();
    Map<List<Integer>, Integer> seen = new HashMap<>();
    for (double level : levels) {
      if (level <= levels[0]) {
        continue;
      }
      int[] uf = identity(count + 1);
      for (HierarchicalWatershed.Edge e : edges) {
        if (e.dynamic() >= level) {
          continue;
        }
        int c = leafOf[Flood.find(forced, index[e.child()])];
        int p = leafOf[Flood.find(forced, index[e.parent()])];
        if (c > 0 && p > 0) {
          int a = Flood.find(uf, c);
          int b = Flood.find(uf, p);
          if (a != b) {
            uf[a] = b;
          }
        }
      }
      Map<Integer, List<Integer>> comps = new HashMap<>();
      for (int leaf = 1; leaf <= count; leaf++) {
        comps.computeIfAbsent(Flood.find(uf, leaf), r -> new ArrayList<>()).add(leaf);
      }
      List<List<Integer>> sorted = new ArrayList<>(comps.values());
      sorted.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
      for (List<Integer> members : sorted) {
        if (members.size() < 2) {
          continue;
        }
        boolean pref = level == preferredLevel;
        Integer at = seen.get(members);
        if (at != null) {
          if (pref) {
            groups.set(at, new Group(groups.get(at).members(), true));
          }
          continue;
        }
        seen.put(members, groups.size());
        groups.add(new Group(members.stream().mapToInt(Integer::intValue).toArray(), pref));
      }
    }
    return new SegmentHierarchy(leaves, groups);
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}
