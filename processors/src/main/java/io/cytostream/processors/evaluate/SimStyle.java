package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.RenderStyle;
import io.cytostream.ingest.sim.SimulationConfigBuilder;
import java.util.Locale;

/**
 * Rendering styles of the simulated cultures of a panel, each a change of the simulator's defaults
 * through {@link RenderStyle} or the camera's noise. A new style is one constant here.
 */
public enum SimStyle {
  /** The simulator's defaults: touching cells, dark junctions, Poisson–Gaussian noise. */
  CONFLUENT {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b;
    }
  },
  /** Small round nuclei separated by background ({@link RenderStyle#sparseNuclei()}). */
  SPARSE {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b.style(RenderStyle.sparseNuclei());
    }
  },
  /** A dim image: exposure × 0.2 ({@link RenderStyle#dim()}). */
  DIM {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b.style(RenderStyle.dim());
    }
  },
  /**
   * A noisy camera: gain 8 ADU/photon, read-out σ 30 ADU ({@link SimulationConfigBuilder#noisy()}).
   */
  NOISY {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b.noisy();
    }
  },
  /** A drifting stage: (1, 0.5) px/frame, so cells leave and enter the field. */
  DRIFT {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b.style(RenderStyle.drifting(1.0, 0.5));
    }
  },
  /** Uneven illumination: gradient 0.5 along x and vignetting 0.5. */
  UNEVEN {
    @Override
    public SimulationConfigBuilder apply(SimulationConfigBuilder b) {
      return b.style(RenderStyle.unevenIllumination(0.5, 0.5));
    }
  };

  /** Applies the style to a builder (returned). */
  public abstract SimulationConfigBuilder apply(SimulationConfigBuilder b);

  /** The name used in tables, e.g. {@code confluent}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
