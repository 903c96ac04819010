package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns finalized tracking output into the Cell Tracking Challenge result format: the track table
 * {@code res_track.txt} (lines {@code L B E P}: label, first frame, last frame, parent label, 0 =
 * none) and, per frame, the relabelling of the segmentation labels into CTC labels for {@code
 * maskTTT.tif}.
 *
 * <p>CTC requires a label to be present in every frame from {@code B} to {@code E} (the evaluator
 * checks that each label listed in the table is in the mask of each of those frames, and that a
 * parent ends before its children begin). So a track that was gap-closed is split here: the part
 * after the gap gets a new CTC label whose parent is the label before the gap, which is also how
 * the CTC ground truth encodes a cell that went missing. A daughter track's first CTC label has the
 * mother's last CTC label as parent. CTC frame numbers are the tracker's frame indices, and CTC
 * labels are handed out 1, 2, 3, ... in order of appearance.
 *
 * <p>Frames must be accepted in increasing frame order (as {@link OnlineTracker} returns them).
 * Memory: O(number of CTC labels) for the table, plus the per-frame label maps if they are kept
 * (constructor flag), which the offline CLI needs to relabel masks after the fact.
 */
public final class CtcTrackTable {
  /** The largest CTC label that fits a 16-bit mask. */
  public static final int MAX_16BIT_LABEL = 0xFFFF;

  /**
   * One line of {@code res_track.txt}.
   *
   * @param label CTC label
   * @param begin first frame
   * @param end last frame
   * @param parent parent CTC label, 0 = none
   * @param trackId the tracker's track id this label belongs to
   */
  public record CtcTrack(int label, long begin, long end, int parent, long trackId) {}

  private final boolean keepLabelMaps;
  private final List<CtcTrack> rows = new ArrayList<>();

  /** trackId -> index in rows of its current (last) CTC label. */
  private final Map<Long, Integer> current = new HashMap<>();

  private final TreeMap<Long, Map<Integer, Integer>> labelMaps = new TreeMap<>();
  private boolean any;
  private long lastFrame;

  /** A table that keeps every frame's label map (for {@link #labelMap(long)}). */
  public CtcTrackTable() {
    this(true);
  }

  /**
   * A table.
   *
   * @param keepLabelMaps whether to keep each frame's label map for {@link #labelMap(long)}; when
   *     false, use the map returned by {@link #accept} immediately
   */
  public CtcTrackTable(boolean keepLabelMaps) {
    this.keepLabelMaps = keepLabelMaps;
  }

  /**
   * Adds one finalized frame.
   *
   * @return that frame's map from segmentation label to CTC label (insertion order = assignment
   *     order)
   * @throws IllegalArgumentException if frames are out of order or a track occurs twice in a frame
   */
  public Map<Integer, Integer> accept(FinalizedFrame frame) {
    long f = frame.frameIndex();
    if (any && f <= lastFrame) {
      throw new IllegalArgumentException("frames must be accepted in increasing order: " + f);
    }
    any = true;
    lastFrame = f;
    Map<Integer, Integer> map = new LinkedHashMap<>();
    Map<Long, Boolean> seen = new HashMap<>();
    for (TrackAssignment a : frame.assignments()) {
      if (seen.put(a.trackId(), Boolean.TRUE) != null) {
        throw new IllegalArgumentException("track " + a.trackId() + " twice in frame " + f);
      }
      Integer idx = current.get(a.trackId());
      int label;
      if (idx != null && rows.get(idx).end() == f - 1) {
        CtcTrack r = rows.get(idx);
        rows.set(idx, new CtcTrack(r.label(), r.begin(), f, r.parent(), r.trackId()));
        label = r.label();
      } else {
        int parent = 0;
        if (idx != null) {
          parent = rows.get(idx).label(); // continues after a gap
        } else if (a.parentTrackId() > 0) {
          Integer p = current.get(a.parentTrackId());
          parent = p == null ? 0 : rows.get(p).label();
        }
        label = rows.size() + 1;
        rows.add(new CtcTrack(label, f, f, parent, a.trackId()));
        current.put(a.trackId(), rows.size() - 1);
      }
      if (map.put(a.label(), label) != null) {
        throw new IllegalArgumentException("label " + a.label() + " twice in frame " + f);
      }
    }
    Map<Integer, Integer> out = Collections.unmodifiableMap(map);
    if (keepLabelMaps) {
      labelMaps.put(f, out);
    }
    return out;
  }

  /** Adds several finalized frames in order. */
  public void acceptAll(List<FinalizedFrame> frames) {
    for (FinalizedFrame f : frames) {
      accept(f);
    }
  }

  /** The CTC label map of an accepted frame (segmentation label to CTC label); empty if unknown. */
  public Map<Integer, Integer> labelMap(long frame) {
    Map<Integer, Integer> m = labelMaps.get(frame);
    return m == null ? Map.of() : m;
  }

  /** The CTC label of {@code label} in {@code frame}, or 0 if it has none. */
  public int ctcLabel(long frame, int label) {
    return labelMap(frame).getOrDefault(label, 0);
  }

  /** All CTC tracks so far, by increasing label. */
  public List<CtcTrack> tracks() {
    return List.copyOf(rows);
  }

  /** The content of {@code res_track.txt}: one {@code "L B E P"} line per CTC label. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (CtcTrack r : rows) {
      sb.append(r.label())
          .append(' ')
          .append(r.begin())
          .append(' ')
          .append(r.end())
          .append(' ')
          .append(r.parent())
          .append('\n');
    }
    return sb.toString();
  }
}
