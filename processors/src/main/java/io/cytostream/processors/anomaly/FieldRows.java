package io.cytostream.processors.anomaly;

import io.cytostream.processors.anomaly.FieldResidualTest.CellSignal;
import io.cytostream.processors.anomaly.FieldResidualTest.Frame;
import io.cytostream.processors.anomaly.FieldResidualTest.Link;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consensus rows of one frame for {@link FieldResidualTest}: per interior cell i seen (not on
 * the border, with a finite value) at t − 1 and t, z_i = (v_i,t − v_i,t−1) / Δt in v/s and φ_i =
 * (1/|N_i|) Σ_j w_ij (v_j,t−1 − v_i,t−1) with the links of frame t − 1 (0 without neighbours). A
 * cell with a neighbour of non-finite value at t − 1 gives no row. The three lists are parallel, in
 * the order of the frame's cells.
 *
 * @param ids the cells' tracks
 * @param zs z_i, v/s
 * @param phis φ_i, v
 */
record FieldRows(List<Long> ids, List<Double> zs, List<Double> phis) {

  /**
   * The rows from {@code prev} to {@code f}.
   *
   * @param prev the previous frame
   * @param f the frame
   * @param dt the time between them, s (positive, finite)
   */
  static FieldRows of(Frame prev, Frame f, double dt) {
    Map<Long, CellSignal> before = new HashMap<>();
    for (CellSignal c : prev.cells()) {
      before.put(c.trackId(), c);
    }
    Map<Long, List<Link>> links = new HashMap<>();
    for (Link l : prev.links()) {
      links.computeIfAbsent(l.a(), k -> new ArrayList<>()).add(l);
      links.computeIfAbsent(l.b(), k -> new ArrayList<>()).add(l);
    }
    List<Long> ids = new ArrayList<>();
    List<Double> zs = new ArrayList<>();
    List<Double> phis = new ArrayList<>();
    for (CellSignal c : f.cells()) {
      CellSignal b = before.get(c.trackId());
      if (c.border()
          || b == null
          || b.border()
          || !Double.isFinite(c.value())
          || !Double.isFinite(b.value())) {
        continue;
      }
      double sum = 0;
      int n = 0;
      boolean ok = true;
      for (Link l : links.getOrDefault(c.trackId(), List.of())) {
        CellSignal j = before.get(l.a() == c.trackId() ? l.b() : l.a());
        if (j == null) {
          continue;
        }
        if (!Double.isFinite(j.value())) {
          ok = false;
          break;
        }
        sum += l.weight() * (j.value() - b.value());
        n++;
      }
      if (!ok) {
        continue;
      }
      ids.add(c.trackId());
      zs.add((c.value() - b.value()) / dt);
      phis.add(n == 0 ? 0 : sum / n);
    }
    return new FieldRows(ids, zs, phis);
  }

  /** The number of rows. */
  int size() {
    return ids.size();
  }

  /** r_i = z_i − k φ_i, v/s, for coupling {@code k} in 1/s. */
  double[] residuals(double k) {
    double[] r = new double[zs.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = zs.get(i) - k * phis.get(i);
    }
    return r;
  }
}
