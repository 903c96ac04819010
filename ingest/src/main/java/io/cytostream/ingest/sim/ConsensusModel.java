package io.cytostream.ingest.sim;

import java.util.function.IntToDoubleFunction;

/**
 * The consensus model of DESIGN.md section 4, one forward-Euler step of one cell:
 *
 * <pre>
 *   y_i(t) = y_i(t−1) + Δt·( k·φ_i + γ_i ) + excess_i(t)
 *   φ_i    = (1/|N_i|) · Σ_{j∈Ad(i)} w_ij·(y_j(t−1) − y_i(t−1)),   φ_i = 0 when |N_i| = 0
 * </pre>
 *
 * Units: y in signal units, Δt in s, k per s per unit of coupling weight, w_ij in the caller's
 * weight unit (the image simulator uses u_ij·l_ij / couplingScale, dimensionless), γ_i in signal
 * units/s. This is the only implementation of the model step: {@link CultureSimulator} (on the
 * neighbour graph measured from its label images) and {@link GraphCulture} (on a given graph) both
 * call it, so their arithmetic is the same to the last bit.
 */
public final class ConsensusModel {
  private ConsensusModel() {}

  /**
   * φ_i: the mean over the {@code count} neighbours of w_ij·(y_j − y_i), summed in index order; 0
   * when {@code count} is 0.
   *
   * @param yi y_i(t−1)
   * @param count |N_i|
   * @param weight w_ij of the j-th neighbour
   * @param yj y_j(t−1) of the j-th neighbour
   */
  public static double coupling(
      double yi, int count, IntToDoubleFunction weight, IntToDoubleFunction yj) {
    if (count == 0) {
      return 0;
    }
    double sum = 0;
    for (int j = 0; j < count; j++) {
      sum += weight.applyAsDouble(j) * (yj.applyAsDouble(j) - yi);
    }
    return sum / count;
  }

  /**
   * The Euler gain Δt·k·Σ_j w_ij/|N_i| of one cell (the step is stable when it is below 1); 0 when
   * {@code count} is 0.
   */
  public static double eulerGain(double dt, double k, int count, IntToDoubleFunction weight) {
    if (count == 0) {
      return 0;
    }
    double weights = 0;
    for (int j = 0; j < count; j++) {
      weights += weight.applyAsDouble(j);
    }
    return dt * k * weights / count;
  }

  /** y_i(t) = y + Δt·(k·φ + γ) + excess. */
  public static double step(
      double y, double dt, double k, double phi, double gamma, double excess) {
    return y + dt * (k * phi + gamma) + excess;
  }
}
