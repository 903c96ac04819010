package io.cytostream.ingest.sim;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calcium of the simulated culture, frame by frame (DESIGN.md section 4). For frame t ≥ 1 a
 * cell whose label at t − 1 does not reach the border zone (role {@link CellTruth.Role#INTERIOR})
 * takes the {@link ConsensusModel} step with Ad(i) and w_ij = u_ij·l_ij / couplingScale measured on
 * the label image of frame t − 1 ({@link #link}); every other visible or hidden cell (role {@link
 * CellTruth.Role#INPUT}) tracks its {@link InputSignal}: y(t) = y(t−1) + β·(s(t) − y(t−1)), β = 1 −
 * exp(−Δt / {@value #INPUT_TRACKING_SECONDS} s). A lost (ghost) cell keeps its y. There is no
 * process noise. Units: y in signal units, k per s per unit weight, Δt in s.
 *
 * <p>Holds the coupling k in force (a {@link AnomalyType#MODEL_DRIFT} anomaly changes it) and the
 * largest Euler gain met.
 */
final class CalciumDynamics {
  private static final Logger LOG = LoggerFactory.getLogger(CalciumDynamics.class);

  static final double INPUT_TRACKING_SECONDS = 2;

  private final SimulationConfig cfg;
  private double k;
  private double maxEulerGain;
  private boolean warnedGain;

  CalciumDynamics(SimulationConfig config) {
    this.cfg = config;
    this.k = config.k();
  }

  /** The coupling in force, per s per unit weight. */
  double k() {
    return k;
  }

  /** Changes the coupling from the next step on. */
  void setK(double k) {
    this.k = k;
  }

  /** Largest per-cell Euler gain Δt·k·Σ_j w_ij/|N_i| seen so far (stable when below 1). */
  double maxEulerGain() {
    return maxEulerGain;
  }

  /**
   * Computes every cell's y(t) from the state of frame t − 1 (input signals already advanced to t)
   * and sets its role.
   */
  void step(List<Cell> cells, int t) {
    double dt = cfg.frameIntervalSeconds();
    double beta = 1 - StrictMath.exp(-dt / INPUT_TRACKING_SECONDS);
    double seconds = t * dt;
    int n = cells.size();
    double[] next = new double[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      if (c.ghost) {
        next[i] = c.y;
        continue;
      }
      if (c.track != 0 && !c.touches) {
        Cell[] nbr = c.nbr;
        double[] w = c.nbrWeight;
        double phi = ConsensusModel.coupling(c.y, nbr.length, j -> w[j], j -> nbr[j].y);
        double gain = ConsensusModel.eulerGain(dt, k, nbr.length, j -> w[j]);
        if (gain > maxEulerGain) {
          maxEulerGain = gain;
          if (gain >= 1 && !warnedGain) {
            warnedGain = true;
            LOG.warn("Euler gain {} >= 1 at frame {}: the simulated model is unstable", gain, t);
          }
        }
        next[i] = ConsensusModel.step(c.y, dt, k, phi, c.gamma, c.excess);
        c.role = CellTruth.Role.INTERIOR;
      } else {
        next[i] = c.y + beta * (c.input.value(seconds) - c.y);
        c.role = CellTruth.Role.INPUT;
      }
    }
    for (int i = 0; i < n; i++) {
      cells.get(i).y = next[i];
    }
  }

  /**
   * Ad(i) with weights w_ij = u_ij·l_ij / couplingScale from a frame's label statistics: pairs with
   * a shared border l_ij ≥ minSharedBorder px, u_ij the centroid distance in px.
   */
  void link(List<Cell> cells, LabelStats st) {
    int n = cells.size();
    int[] count = new int[n];
    for (int p = 0; p < st.pairCount; p++) {
      if (st.pairLength[p] >= cfg.minSharedBorder()) {
        count[st.pairA[p]]++;
        count[st.pairB[p]]++;
      }
    }
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      c.nbr = new Cell[count[i]];
      c.nbrWeight = new double[count[i]];
      count[i] = 0;
    }
    for (int p = 0; p < st.pairCount; p++) {
      int l = st.pairLength[p];
      if (l < cfg.minSharedBorder()) {
        continue;
      }
      Cell a = cells.get(st.pairA[p]);
      Cell b = cells.get(st.pairB[p]);
      double ux = a.cx - b.cx;
      double uy = a.cy - b.cy;
      double w = Math.sqrt(ux * ux + uy * uy) * l / cfg.couplingScale();
      int ia = st.pairA[p];
      int ib = st.pairB[p];
      a.nbr[count[ia]] = b;
      a.nbrWeight[count[ia]++] = w;
      b.nbr[count[ib]] = a;
      b.nbrWeight[count[ib]++] = w;
    }
  }
}
