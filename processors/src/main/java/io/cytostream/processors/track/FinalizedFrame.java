package io.cytostream.processors.track;

import java.util.List;

/**
 * A frame whose links are final.
 *
 * @param frameIndex the frame
 * @param finalAtFrame the frame index whose arrival made it final (or the last pushed index for
 *     frames finalized by {@link OnlineTracker#flush()})
 * @param assignments one per detection of the frame, in the order the detections were pushed
 * @param events what happened with this frame, see {@link TrackLifecycleEvent}
 */
public record FinalizedFrame(
    long frameIndex,
    long finalAtFrame,
    List<TrackAssignment> assignments,
    List<TrackLifecycleEvent> events) {
  public FinalizedFrame {
    assignments = List.copyOf(assignments);
    events = List.copyOf(events);
  }
}
