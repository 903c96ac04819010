package io.cytostream.processors.topology;

import io.cytostream.processors.track.Candidate;
import io.cytostream.processors.track.Detection;
import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.TrackAssignment;
import io.cytostream.processors.track.TrackLifecycleEvent;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.TrackedFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The wire mapping of the track stage: observations to the tracker's detections, and a frame's
 * observations with its final links to a {@link TrackedFrame}.
 */
final class TrackedFrames {
  private TrackedFrames() {}

  /** The tracker's input: one detection per observed cell, in the same order. */
  static List<Detection> detections(FrameObservations obs) {
    List<Detection> d = new ArrayList<>(obs.cells().size());
    for (FrameObservations.Cell c : obs.cells()) {
      d.add(new Detection(c.label(), c.centroidX(), c.centroidY(), c.areaPx(), c.meanIntensity()));
    }
    return d;
  }

  /** The tracker's candidate segments of a frame (none when the message has none). */
  static List<Candidate> candidates(FrameObservations obs) {
    if (obs.candidates() == null) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>(obs.candidates().size());
    for (FrameObservations.Candidate c : obs.candidates()) {
      out.add(
          new Candidate(
              c.label(),
              c.members().stream().mapToInt(Integer::intValue).toArray(),
              c.preferred()));
    }
    return out;
  }

  /**
   * Joins a frame's observations with its final links (a message with candidate segments is first
   * reduced to the chosen ones, {@link ChosenSegments}): each cell and neighbour pair with the
   * track ids of its labels (cells or pairs whose label has no assignment are left out; pairs are
   * ordered by track id), and the tracker's events in their wire form.
   *
   * @param finalAt the index of the frame that made the links final, or -1 after a flush
   * @param withLabels whether to carry the label image along
   */
  static TrackedFrame join(
      FrameObservations observed, FinalizedFrame ff, long finalAt, boolean withLabels) {
    Set<Integer> chosen = new HashSet<>();
    ff.assignments().forEach(a -> chosen.add(a.label()));
    FrameObservations obs = ChosenSegments.resolve(observed, chosen);
    Map<Integer, TrackAssignment> byLabel = new HashMap<>();
    for (TrackAssignment a : ff.assignments()) {
      byLabel.put(a.label(), a);
    }
    List<TrackedFrame.Cell> cells = new ArrayList<>();
    for (FrameObservations.Cell c : obs.cells()) {
      TrackAssignment a = byLabel.get(c.label());
      if (a == null) {
        continue;
      }
      cells.add(TrackedFrame.Cell.of(a.trackId(), a.parentTrackId(), c));
    }
    List<TrackedFrame.Neighbours> pairs = new ArrayList<>();
    for (FrameObservations.Neighbours n : obs.neighbours()) {
      TrackAssignment a = byLabel.get(n.labelI());
      TrackAssignment b = byLabel.get(n.labelJ());
      if (a == null || b == null) {
        continue;
      }
      long i = Math.min(a.trackId(), b.trackId());
      long j = Math.max(a.trackId(), b.trackId());
      pairs.add(new TrackedFrame.Neighbours(i, j, n.sharedBorderPx(), n.centroidDistancePx()));
    }
    List<TrackedFrame.TrackEvent> events = new ArrayList<>();
    for (TrackLifecycleEvent e : ff.events()) {
      events.add(wire(e));
    }
    return TrackedFrame.of(obs, finalAt, cells, pairs, events, withLabels);
  }

  /**
   * The wire form of a tracker event: type in lower case without {@code track_} ({@code started},
   * {@code ended}, {@code division}, {@code gap_closed}), its frame, and missed frames in the text.
   */
  static TrackedFrame.TrackEvent wire(TrackLifecycleEvent e) {
    return new TrackedFrame.TrackEvent(
        e.type().name().toLowerCase(Locale.ROOT).replace("track_", ""),
        e.trackId(),
        e.daughterTrackIds(),
        describe(e),
        e.frameIndex());
  }

  private static String describe(TrackLifecycleEvent e) {
    return switch (e.type()) {
      case TRACK_STARTED -> "track " + e.trackId() + " starts at frame " + e.frameIndex();
      case TRACK_ENDED -> "track " + e.trackId() + " last seen at frame " + e.frameIndex();
      case DIVISION ->
          "track "
              + e.trackId()
              + " divided into "
              + e.daughterTrackIds()
              + " at frame "
              + e.frameIndex();
      case GAP_CLOSED ->
          "track "
              + e.trackId()
              + " seen again at frame "
              + e.frameIndex()
              + " after "
              + e.framesMissed()
              + " missed frame(s)";
    };
  }
}
