package io.cytostream.processors.consensus;

import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CrlsmConfig;

/**
 * Settings of the consensus stage.
 *
 * @param crlsm the streaming CRLSM (setup, λ, bounds, forgetting; defaults from the paper)
 * @param rls the per-cell RLS filters
 * @param maxFrameGap largest frame-index step that still forms a regression row (a longer gap
 *     restarts the rows; the Euler step would not hold)
 * @param signal which intensity is the model's y: {@code normalized} (the paper's choice) or {@code
 *     raw} (mean raw intensity, ADU)
 * @param couplingScalePx2 s in the coupling weight w_ij = u_ij·l_ij / s (px²; default 1000). With u
 *     and l in raw pixels, u·l is ~10³ px² for cells tens of px wide, and forward Euler with any k
 *     in the paper's bounds [0.001, 0.1] would be unstable; the paper does not state its units.
 *     Dividing by s keeps k in those bounds; k scales with s. The simulator uses the same s.
 */
public record ConsensusSettings(
    CrlsmConfig crlsm,
    CellRls.Config rls,
    int maxFrameGap,
    String signal,
    double couplingScalePx2) {
  public ConsensusSettings {
    if (!(couplingScalePx2 > 0) || Double.isInfinite(couplingScalePx2)) {
      throw new IllegalArgumentException("couplingScalePx2 must be > 0");
    }
    if (maxFrameGap < 1) {
      throw new IllegalArgumentException("maxFrameGap must be >= 1");
    }
    if (!"normalized".equals(signal) && !"raw".equals(signal)) {
      throw new IllegalArgumentException("signal must be normalized or raw, got " + signal);
    }
  }

  /** Paper defaults (λ = 0.001, k ∈ [0.001, 0.1], γ ∈ [−3e−5, 0.1], setup III), y normalised. */
  public static ConsensusSettings defaults() {
    return new ConsensusSettings(
        CrlsmConfig.paper(), CellRls.Config.defaults(), 1, "normalized", 1000.0);
  }

  public ConsensusSettings withCrlsm(CrlsmConfig c) {
    return new ConsensusSettings(c, rls, maxFrameGap, signal, couplingScalePx2);
  }

  public ConsensusSettings withSignal(String s) {
    return new ConsensusSettings(crlsm, rls, maxFrameGap, s, couplingScalePx2);
  }

  public ConsensusSettings withCouplingScale(double px2) {
    return new ConsensusSettings(crlsm, rls, maxFrameGap, signal, px2);
  }
}
