package io.cytostream.processors.anomaly;

import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.Innovation;
import io.cytostream.state.consensus.RegressionRow;
import io.cytostream.state.consensus.RegressionRowBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-cell part of the consensus stage as the integrator wires it: rows → RLS innovation →
 * spike test (a spike does not update the filter) → drift test (every innovation; an alarm inflates
 * the filter's covariance).
 */
final class CellPipeline {

  record Event(long frame, Anomaly anomaly) {}

  final RegressionRowBuilder rows = new RegressionRowBuilder();
  final Map<Long, CellRls> filters = new HashMap<>();
  final SpikeDetector spikes;
  final DriftDetector drift;
  final List<Event> events = new ArrayList<>();
  long cellFrames;

  CellPipeline(AnomalyConfig config) {
    spikes = new SpikeDetector(config);
    drift = new DriftDetector(config);
  }

  List<Event> accept(ConsensusFrame frame) {
    List<Event> out = new ArrayList<>();
    for (RegressionRow row : rows.accept(frame)) {
      CellRls rls =
          filters.computeIfAbsent(row.trackId(), id -> new CellRls(id, CellRls.Config.defaults()));
      Innovation in = rls.innovate(row);
      cellFrames++;
      List<Anomaly> spike = spikes.test(in);
      List<Anomaly> drifted = drift.test(in);
      if (spike.isEmpty()) {
        rls.update(row);
      }
      if (!drifted.isEmpty()) {
        rls.inflate(100);
      }
      spike.forEach(a -> out.add(new Event(frame.frameIndex(), a)));
      drifted.forEach(a -> out.add(new Event(frame.frameIndex(), a)));
    }
    events.addAll(out);
    return out;
  }
}
