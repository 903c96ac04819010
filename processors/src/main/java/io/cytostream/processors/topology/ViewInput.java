package io.cytostream.processors.topology;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.TrackedFrame;

/** One input of {@link QueryViewProcessor}: exactly one field is set. */
record ViewInput(
    TrackedFrame frame,
    CellState state,
    ConsensusEstimate estimate,
    AnomalyEvent anomaly,
    LifecycleEvent lifecycle) {

  static ViewInput frame(TrackedFrame f) {
    return new ViewInput(f, null, null, null, null);
  }

  static ViewInput lifecycle(LifecycleEvent e) {
    return new ViewInput(null, null, null, null, e);
  }

  static ViewInput of(ConsensusOutput o) {
    return new ViewInput(null, o.state(), o.estimate(), o.event(), null);
  }
}
