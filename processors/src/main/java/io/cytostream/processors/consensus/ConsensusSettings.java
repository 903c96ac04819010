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
 * @param retireAfterFrames bounded state: a cell not seen for more than this many frames is retired
 *     — its γ leaves {@code consensus.fov}, its RLS filter, CUSUM and stored record are dropped
 *     (tombstoned), and its rows stay in k through the CRLSM's folded sums ({@link
 *     io.cytostream.state.consensus.Retired}). Default 50, well above the tracker's gap closing (a
 *     track id is never reused, so a retired cell cannot come back); 0 keeps every cell for ever.
 */
public record ConsensusSettings(
    CrlsmConfig crlsm,
    CellRls.Config rls,
    int maxFrameGap,
    String signal,
    double couplingScalePx2,
    int retireAfterFrames) {
  public ConsensusSettings {
    if (!(couplingScalePx2 > 0) || Double.isInfinite(couplingScalePx2)) {
      throw new IllegalArgumentException("couplingScalePx2 must be > 0");
    }
    if (retireAfterFrames != 0 && retireAfterFrames < MIN_RETIRE_AFTER_FRAMES) {
      throw new IllegalArgumentException(
          "retireAfterFrames must be 0 or >= "
              + MIN_RETIRE_AFTER_FRAMES
              + ": "
              + retireAfterFrames);
    }
    if (maxFrameGap < 1) {
      throw new IllegalArgumentException("maxFrameGap must be >= 1");
    }
    if (!"normalized".equals(signal) && !"raw".equals(signal)) {
      throw new IllegalArgumentException("signal must be normalized or raw, got " + signal);
    }
  }

  /** Default of {@link #retireAfterFrames()}. */
  public static final int DEFAULT_RETIRE_AFTER_FRAMES = 50;

  /**
   * Smallest {@link #retireAfterFrames()} accepted: a daughter takes its parent's filter at its
   * first row, two frames after the parent's last sighting.
   */
  public static final int MIN_RETIRE_AFTER_FRAMES = 3;

  /** Paper defaults (λ = 0.001, k ∈ [0.001, 0.1], γ ∈ [−3e−5, 0.1], setup III), y normalised. */
  public static ConsensusSettings defaults() {
    return new ConsensusSettings(
        CrlsmConfig.paper(),
        CellRls.Config.defaults(),
        1,
        "normalized",
        1000.0,
        DEFAULT_RETIRE_AFTER_FRAMES);
  }

  public ConsensusSettings withCrlsm(CrlsmConfig c) {
    return new ConsensusSettings(c, rls, maxFrameGap, signal, couplingScalePx2, retireAfterFrames);
  }

  public ConsensusSettings withSignal(String s) {
    return new ConsensusSettings(crlsm, rls, maxFrameGap, s, couplingScalePx2, retireAfterFrames);
  }

  public ConsensusSettings withCouplingScale(double px2) {
    return new ConsensusSettings(crlsm, rls, maxFrameGap, signal, px2, retireAfterFrames);
  }

  /** These settings with another retirement idle time (frames; 0 = never retire). */
  public ConsensusSettings withRetireAfterFrames(int frames) {
    return new ConsensusSettings(crlsm, rls, maxFrameGap, signal, couplingScalePx2, frames);
  }
}
