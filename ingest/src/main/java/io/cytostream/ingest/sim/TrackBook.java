package io.cytostream.ingest.sim;

import java.util.List;
import java.util.TreeMap;

/**
 * The ground-truth tracks: which label each visible cell carries, frame by frame. A cell keeps its
 * label while visible; a cell that (re)appears gets a new label (1, 2, … up to 65535), with its
 * parent's label recorded when it is a daughter in its first visible frame. A track's {@code end}
 * is the last frame it was seen in.
 */
final class TrackBook {
  private static final int MAX_LABEL = 65535;

  private final TreeMap<Integer, TrackRecord> tracks = new TreeMap<>();
  private int nextLabel = 1;

  /** The tracks so far, by label. */
  List<TrackRecord> tracks() {
    return List.copyOf(tracks.values());
  }

  /**
   * Copies each cell's area, centroid and border contact from frame {@code t}'s label statistics
   * and continues, starts or ends its track.
   *
   * @throws IllegalStateException when more than 65535 tracks would be needed
   */
  void assign(int t, List<Cell> cells, LabelStats st) {
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      c.area = st.area[i];
      c.touches = st.touchesBorder[i];
      if (c.area > 0) {
        c.cx = st.centroidX(i);
        c.cy = st.centroidY(i);
        if (c.track == 0) {
          if (nextLabel > MAX_LABEL) {
            throw new IllegalStateException(
                "more than " + MAX_LABEL + " tracks: 16-bit label images cannot hold them");
          }
          c.track = nextLabel++;
          tracks.put(c.track, new TrackRecord(c.track, t, t, c.pendingParent, c.id, c.gamma));
        } else {
          TrackRecord r = tracks.get(c.track);
          tracks.put(
              c.track, new TrackRecord(r.label(), r.begin(), t, r.parent(), r.cellId(), r.gamma()));
        }
      } else {
        c.track = 0;
        c.touches = false;
      }
      c.pendingParent = 0;
    }
  }
}
