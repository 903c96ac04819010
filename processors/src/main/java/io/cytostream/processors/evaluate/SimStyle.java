package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.SimulationConfig;
import java.util.Locale;

/**
 * Rendering styles of the simulated cultures of a panel, each a change of {@link SimulationConfig}
 * from its defaults (a confluent culture of touching cells separated by thin dark junctions).
 * Styles the simulator cannot render yet (sparse nuclei on a background, uneven illumination) are
 * not listed; a new style is one constant here.
 */
public enum SimStyle {
  /** The simulator's defaults: touching cells, dark junctions, Poisson–Gaussian noise. */
  CONFLUENT {
    @Override
    public SimulationConfig.Builder apply(SimulationConfig.Builder b) {
      return b;
    }
  },
  /** Dim: cells at about 270 ADU over a 100 ADU background (defaults: 730), same camera. */
  DIM {
    @Override
    public SimulationConfig.Builder apply(SimulationConfig.Builder b) {
      return b.renderMap(Math.log(150), 1.5);
    }
  },
  /** Noisy: gain 16 ADU/photon and read-out noise 60 ADU (defaults 2 and 8). */
  NOISY {
    @Override
    public SimulationConfig.Builder apply(SimulationConfig.Builder b) {
      return b.noise(16, 60);
    }
  },
  /** Drifting stage: the culture drifts at 2 px/frame RMS (default 0.25). */
  DRIFT {
    @Override
    public SimulationConfig.Builder apply(SimulationConfig.Builder b) {
      return b.driftSpeed(2.0);
    }
  };

  /** Applies the style to a builder (returned). */
  public abstract SimulationConfig.Builder apply(SimulationConfig.Builder b);

  /** The name used in tables, e.g. {@code confluent}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
