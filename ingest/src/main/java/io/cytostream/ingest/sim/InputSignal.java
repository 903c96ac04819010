package io.cytostream.ingest.sim;

/**
 * The prescribed calcium signal of an input (border) cell, signal units:
 *
 * <pre>
 *   s(t) = baseline + A1·sin(ω1·t + φ1) + A2·sin(ω2·t + φ2) + z(t)
 * </pre>
 *
 * with t in s, amplitudes A drawn in [0.02, 0.06] signal units, periods 2π/ω in [60, 300] s, and a
 * spike train z that jumps by [0.5, 1.5] × the configured spike amplitude at the configured rate
 * and decays exponentially between spikes. A daughter cell inherits a copy of its parent's signal.
 * Mutable (z advances frame by frame); not thread-safe.
 */
final class InputSignal {
  /** Half-width of the uniform spread of the baseline around the configured one, signal units. */
  static final double BASELINE_SPREAD = 0.05;

  double baseline;
  double amp1;
  double freq1; // rad/s
  double phase1; // rad
  double amp2;
  double freq2;
  double phase2;
  double spike; // z(t), signal units

  /** Draws baseline, amplitudes, frequencies and phases from {@code rng}, in that order. */
  static InputSignal draw(Rng rng, double baselineSignal) {
    InputSignal s = new InputSignal();
    s.baseline = baselineSignal + rng.uniform(-BASELINE_SPREAD, BASELINE_SPREAD);
    s.amp1 = rng.uniform(0.02, 0.06);
    s.freq1 = 2 * Math.PI / rng.uniform(60, 300);
    s.phase1 = rng.uniform(0, 2 * Math.PI);
    s.amp2 = rng.uniform(0.02, 0.06);
    s.freq2 = 2 * Math.PI / rng.uniform(60, 300);
    s.phase2 = rng.uniform(0, 2 * Math.PI);
    return s;
  }

  /** A copy (a daughter's signal). */
  InputSignal copy() {
    InputSignal s = new InputSignal();
    s.baseline = baseline;
    s.amp1 = amp1;
    s.freq1 = freq1;
    s.phase1 = phase1;
    s.amp2 = amp2;
    s.freq2 = freq2;
    s.phase2 = phase2;
    s.spike = spike;
    return s;
  }

  /** s(0) without spikes: the resting value a cell starts from, signal units. */
  double initialValue() {
    return baseline + amp1 * StrictMath.sin(phase1) + amp2 * StrictMath.sin(phase2);
  }

  /**
   * Advances the spike train by one frame: z ← z·decay + (u &lt; pSpike ? amplitude·(0.5 + uAmp) :
   * 0).
   *
   * @param decay exp(−Δt / spike decay time), dimensionless
   * @param uSpike a uniform draw in [0, 1) deciding whether a spike starts
   * @param pSpike probability of a spike in this frame
   * @param uAmp a uniform draw in [0, 1) setting its height
   * @param amplitude mean spike height, signal units
   */
  void advanceSpikes(double decay, double uSpike, double pSpike, double uAmp, double amplitude) {
    spike = spike * decay + (uSpike < pSpike ? amplitude * (0.5 + uAmp) : 0);
  }

  /** s(t) at {@code seconds}, signal units (spikes as last advanced). */
  double value(double seconds) {
    return baseline
        + amp1 * StrictMath.sin(freq1 * seconds + phase1)
        + amp2 * StrictMath.sin(freq2 * seconds + phase2)
        + spike;
  }
}
