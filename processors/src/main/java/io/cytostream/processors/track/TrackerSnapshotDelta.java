package io.cytostream.processors.track;

import io.cytostream.processors.track.TrackerSnapshot.HeldFrame;
import io.cytostream.processors.track.TrackerSnapshot.TrackState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two {@link TrackerSnapshot}s of one tracker, so that a store can keep a
 * snapshot as separate entries — a small header, one entry per active track, one per held frame —
 * and rewrite per frame only the entries that changed.
 *
 * <p>Contract: for snapshots {@code a} and {@code b}, applying {@code between(a, b)} to the entries
 * of {@code a} (put {@link #tracks} and {@link #heldFrames}, remove {@link #endedTracks} and {@link
 * #releasedFrames}) gives the entries of {@code b}, and {@link #assemble} of {@code b}'s {@link
 * #header}, tracks and held frames equals {@code b}. A track entry changes when the track was
 * detected (position, velocity, size, counts) or renamed by a division taken back; a held frame
 * when it is new or a division in it was taken back. Kafka-free; values are the snapshot's own
 * immutable records.
 *
 * @param header {@code after} without tracks and held frames (version, frame counter, id counter,
 *     pending divisions)
 * @param tracks tracks new or changed since {@code before}, in id order
 * @param endedTracks ids of tracks of {@code before} that are no longer active, ascending
 * @param heldFrames held frames new or changed since {@code before}, oldest first
 * @param releasedFrames indices of frames held in {@code before} and no longer held, ascending
 */
public record TrackerSnapshotDelta(
    TrackerSnapshot header,
    List<TrackState> tracks,
    List<Long> endedTracks,
    List<HeldFrame> heldFrames,
    List<Long> releasedFrames) {

  public TrackerSnapshotDelta {
    tracks = List.copyOf(tracks);
    endedTracks = List.copyOf(endedTracks);
    heldFrames = List.copyOf(heldFrames);
    releasedFrames = List.copyOf(releasedFrames);
  }

  /** The snapshot of a tracker that has seen nothing: no tracks, no held frames. */
  public static TrackerSnapshot empty() {
    return new TrackerSnapshot(1, false, 0, 1, List.of(), List.of(), List.of());
  }

  /** {@code s} without its tracks and held frames. */
  public static TrackerSnapshot header(TrackerSnapshot s) {
    return new TrackerSnapshot(
        s.version(),
        s.started(),
        s.lastFrameIndex(),
        s.nextTrackId(),
        List.of(),
        List.of(),
        s.pendingDivisions());
  }

  /** The changes from {@code before} (null: {@link #empty()}) to {@code after}. */
  public static TrackerSnapshotDelta between(TrackerSnapshot before, TrackerSnapshot after) {
    TrackerSnapshot b = before == null ? empty() : before;
    Map<Long, TrackState> oldTracks = new HashMap<>();
    for (TrackState t : b.tracks()) {
      oldTracks.put(t.id(), t);
    }
    List<TrackState> changed = new ArrayList<>();
    for (TrackState t : after.tracks()) {
      if (!t.equals(oldTracks.remove(t.id()))) {
        changed.add(t);
      }
    }
    List<Long> ended = new ArrayList<>(oldTracks.keySet());
    ended.sort(Comparator.naturalOrder());
    Map<Long, HeldFrame> oldHeld = new HashMap<>();
    for (HeldFrame h : b.heldFrames()) {
      oldHeld.put(h.frameIndex(), h);
    }
    List<HeldFrame> held = new ArrayList<>();
    for (HeldFrame h : after.heldFrames()) {
      if (!h.equals(oldHeld.remove(h.frameIndex()))) {
        held.add(h);
      }
    }
    List<Long> released = new ArrayList<>(oldHeld.keySet());
    released.sort(Comparator.naturalOrder());
    return new TrackerSnapshotDelta(header(after), changed, ended, held, released);
  }

  /**
   * The snapshot made of a {@link #header} and the stored tracks and held frames (any order; sorted
   * here by id and frame index).
   */
  public static TrackerSnapshot assemble(
      TrackerSnapshot header, List<TrackState> tracks, List<HeldFrame> heldFrames) {
    List<TrackState> ts = new ArrayList<>(tracks);
    ts.sort(Comparator.comparingLong(TrackState::id));
    List<HeldFrame> hs = new ArrayList<>(heldFrames);
    hs.sort(Comparator.comparingLong(HeldFrame::frameIndex));
    return new TrackerSnapshot(
        header.version(),
        header.started(),
        header.lastFrameIndex(),
        header.nextTrackId(),
        ts,
        hs,
        header.pendingDivisions());
  }

  /** Whether nothing but the header changed. */
  public boolean onlyHeader() {
    return tracks.isEmpty()
        && endedTracks.isEmpty()
        && heldFrames.isEmpty()
        && releasedFrames.isEmpty();
  }
}
