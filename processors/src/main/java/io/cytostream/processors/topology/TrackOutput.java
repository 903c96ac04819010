package io.cytostream.processors.topology;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.TrackedFrame;

/** What the track stage emits for one input: a final frame, an event, or a dead letter. */
record TrackOutput(TrackedFrame frame, AnomalyEvent event, DeadLetter dead) {
  static TrackOutput frame(TrackedFrame f) {
    return new TrackOutput(f, null, null);
  }

  static TrackOutput event(AnomalyEvent e) {
    return new TrackOutput(null, e, null);
  }

  static TrackOutput dead(DeadLetter d) {
    return new TrackOutput(null, null, d);
  }
}
