package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.List;

/**
 * The track assignments and events of the frame being pushed to {@link OnlineTracker}, while they
 * are being decided; becomes a {@link TrackerSnapshot.HeldFrame} at the end of the push.
 */
final class FrameDraft {
  final long frameIndex;
  final List<Detection> detections;

  /** Track id per detection, 0 while unassigned. */
  private final long[] ids;

  /** Mother's track id per detection that starts a daughter track, else 0. */
  private final long[] parents;

  private final List<TrackLifecycleEvent> events = new ArrayList<>();

  private final List<TrackerSnapshot.Split> splits;

  FrameDraft(long frameIndex, List<Detection> detections) {
    this(frameIndex, detections, List.of());
  }

  /** A draft of the chosen {@code detections}, with the chosen segments' two-part cuts. */
  FrameDraft(long frameIndex, List<Detection> detections, List<TrackerSnapshot.Split> splits) {
    this.frameIndex = frameIndex;
    this.detections = detections;
    this.splits = splits;
    this.ids = new long[detections.size()];
    this.parents = new long[detections.size()];
  }

  int size() {
    return ids.length;
  }

  boolean assigned(int detection) {
    return ids[detection] != 0;
  }

  void assign(int detection, long trackId) {
    ids[detection] = trackId;
  }

  /** The detection assigned to track {@code trackId}, or -1. */
  int detectionOf(long trackId) {
    for (int j = 0; j < ids.length; j++) {
      if (ids[j] == trackId) {
        return j;
      }
    }
    return -1;
  }

  /** Makes detection {@code detection} an ordinary continuation (no mother). */
  void clearParent(int detection) {
    parents[detection] = 0;
  }

  void assignDaughter(int detection, long trackId, long motherId) {
    ids[detection] = trackId;
    parents[detection] = motherId;
  }

  void add(TrackLifecycleEvent event) {
    events.add(event);
  }

  /** The events so far, in order (the live list). */
  List<TrackLifecycleEvent> events() {
    return events;
  }

  /** Renames track {@code from} to {@code to} in the assignments, parents and events so far. */
  void renameTrack(long from, long to) {
    for (int j = 0; j < ids.length; j++) {
      if (ids[j] == from) {
        ids[j] = to;
      }
      if (parents[j] == from) {
        parents[j] = to;
      }
    }
    events.replaceAll(e -> e.trackId() == from ? e.withTrackId(to) : e);
  }

  TrackerSnapshot.HeldFrame toHeldFrame() {
    List<TrackAssignment> assignments = new ArrayList<>(ids.length);
    for (int j = 0; j < ids.length; j++) {
      assignments.add(new TrackAssignment(detections.get(j).label(), ids[j], parents[j]));
    }
    return new TrackerSnapshot.HeldFrame(frameIndex, assignments, events, splits);
  }
}
