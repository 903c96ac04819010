package io.cytostream.processors.consensus;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.state.consensus.ConsensusSolution;
import java.util.Locale;

/**
 * The FOV-level {@link AnomalyType#K_AT_BOUND} event of {@link FovConsensus}, built from a CRLSM
 * solution whose k sits on a bound of its box. Stateless; package-private.
 *
 * <p>Contract: the event is for track 0 (the FOV), statistic {@code "k"}, value k in 1/s, threshold
 * the bound it sits on (kMax when {@code k >= kMax}, else kMin); the message is formatted with
 * {@link Locale#ROOT}. When to report it (once per FOV, after {@link
 * FovConsensus#K_AT_BOUND_MIN_FRAMES} frames with rows) is decided by {@link FovConsensus}.
 */
final class KAtBound {
  private KAtBound() {}

  /**
   * The FOV's k_at_bound event: k on a bound of the box [kMin, kMax], with the bound as threshold.
   */
  static Anomaly anomaly(ConsensusSolution s) {
    boolean upper = s.k() >= s.config().kMax();
    double bound = upper ? s.config().kMax() : s.config().kMin();
    return new Anomaly(
        AnomalyType.K_AT_BOUND,
        0,
        "k",
        s.k(),
        bound,
        String.format(
            Locale.ROOT,
            "k = %.4g /s sits on its %s bound %.4g after %d rows: the bounds, not the data, set it"
                + " (true k may lie %s; check the coupling scale and the bounds of this FOV)",
            s.k(),
            upper ? "upper" : "lower",
            bound,
            s.rowsUsed(),
            upper ? "above" : "below"));
  }
}
