package io.cytostream.processors.topology;

import io.cytostream.schemas.EncodedLabels;
import io.cytostream.schemas.FrameObservations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The wire side of candidate segments: a {@code cells.observed} message with candidates, reduced to
 * the segments the tracker chose. Each chosen candidate becomes one cell with the candidate's
 * label: area the sum of its members' areas; centroid, mean and normalised intensity their
 * area-weighted means (the mean over the union, except that each member's intensity was taken over
 * its own interior); bounding box the union; on the border when a member is. Neighbour pairs are
 * summed over members (pairs inside one chosen segment vanish), centroid distances recomputed; the
 * label image, when present, carries the chosen labels.
 */
final class ChosenSegments {
  private ChosenSegments() {}

  /**
   * {@code obs} with only the chosen segments as cells and without candidates; {@code obs} itself
   * when it has no candidates.
   *
   * @param chosen labels of the chosen cells and candidates (the tracker's assignments)
   */
  static FrameObservations resolve(FrameObservations obs, Set<Integer> chosen) {
    if (obs.candidates() == null) {
      return obs;
    }
    Map<Integer, FrameObservations.Cell> leaves = new HashMap<>();
    for (FrameObservations.Cell c : obs.cells()) {
      leaves.put(c.label(), c);
    }
    Map<Integer, Integer> owner = new HashMap<>(); // leaf label -> chosen label
    Map<Integer, FrameObservations.Cell> cells = new TreeMap<>();
    for (FrameObservations.Candidate k : obs.candidates()) {
      if (!chosen.contains(k.label())) {
        continue;
      }
      List<FrameObservations.Cell> members = new ArrayList<>();
      for (int m : k.members()) {
        owner.put(m, k.label());
        members.add(leaves.get(m));
      }
      cells.put(k.label(), merge(k.label(), members));
    }
    for (FrameObservations.Cell c : obs.cells()) {
      if (chosen.contains(c.label()) && !owner.containsKey(c.label())) {
        owner.put(c.label(), c.label());
        cells.put(c.label(), c);
      }
    }
    Map<Long, Integer> border = new TreeMap<>();
    for (FrameObservations.Neighbours n : obs.neighbours()) {
      Integer a = owner.get(n.labelI());
      Integer b = owner.get(n.labelJ());
      if (a == null || b == null || a.equals(b)) {
        continue;
      }
      long key = ((long) Math.min(a, b) << 32) | Math.max(a, b);
      border.merge(key, n.sharedBorderPx(), Integer::sum);
    }
    List<FrameObservations.Neighbours> pairs = new ArrayList<>(border.size());
    border.forEach(
        (key, l) -> {
          FrameObservations.Cell i = cells.get((int) (key >>> 32));
          FrameObservations.Cell j = cells.get((int) (long) key);
          double u = Math.hypot(i.centroidX() - j.centroidX(), i.centroidY() - j.centroidY());
          pairs.add(new FrameObservations.Neighbours(i.label(), j.label(), l, u));
        });
    EncodedLabels labels = obs.labels();
    if (labels != null) {
      int[] img = labels.decode();
      for (int p = 0; p < img.length; p++) {
        if (img[p] != 0) {
          img[p] = owner.getOrDefault(img[p], 0);
        }
      }
      labels = EncodedLabels.encode(obs.width(), obs.height(), img);
    }
    return new FrameObservations(
        obs.schemaVersion(),
        obs.fov(),
        obs.frameIndex(),
        obs.acquisitionTime(),
        obs.timeSeconds(),
        obs.width(),
        obs.height(),
        obs.quality(),
        new ArrayList<>(cells.values()),
        pairs,
        labels,
        obs.pixelSizeUm());
  }

  private static FrameObservations.Cell merge(int label, List<FrameObservations.Cell> members) {
    double area = 0;
    double sx = 0;
    double sy = 0;
    double si = 0;
    double sn = 0;
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int maxY = Integer.MIN_VALUE;
    boolean onBorder = false;
    for (FrameObservations.Cell c : members) {
      double a = c.areaPx();
      area += a;
      sx += a * c.centroidX();
      sy += a * c.centroidY();
      si += a * c.meanIntensity();
      sn += a * c.normalizedIntensity();
      minX = Math.min(minX, c.minX());
      minY = Math.min(minY, c.minY());
      maxX = Math.max(maxX, c.maxX());
      maxY = Math.max(maxY, c.maxY());
      onBorder |= c.onBorder();
    }
    return new FrameObservations.Cell(
        label,
        sx / area,
        sy / area,
        (int) area,
        minX,
        minY,
        maxX,
        maxY,
        si / area,
        sn / area,
        onBorder);
  }
}
