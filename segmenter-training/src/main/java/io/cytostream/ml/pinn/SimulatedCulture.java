package io.cytostream.ml.pinn;

import io.cytostream.ingest.sim.GraphCulture;
import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.NeighbourLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ground truth for the PINN comparison: the culture simulator's consensus model ({@link
 * GraphCulture}, the paper's forward-Euler step) on a jittered nx × ny grid, as {@link
 * ConsensusFrame}s. The outer ring are border cells that follow their own smooth signals (inputs
 * only, as the paper's border cells follow the measured intensities); interior cells obey y_t =
 * y_{t−1} + Δt (k/|N_i| Σ_j w_ij (y_{j,t−1} − y_{i,t−1}) + γ_i); the observed y adds Gaussian noise
 * of s.d. σ_y. Links: 4-neighbours plus one random diagonal per grid square, l ∈ [10, 40] px, u ∈
 * [15, 40] px, weight w = u·l / 1000 px² as the consensus stage scales it (so k is in 1/s and in
 * the paper's box). Border signals vary over 200–800 s and 50–150 s, whatever Δt, so that Δt = 1 s
 * and 10 s sample the same dynamics.
 *
 * <p>Units: y normalised intensity, t in s, k in 1/s, γ in y per s.
 */
public final class SimulatedCulture {

  /**
   * Parameters.
   *
   * @param nx grid columns
   * @param ny grid rows
   * @param k true coupling, 1/s
   * @param gammaLo smallest γ_i, y/s
   * @param gammaHi largest γ_i, y/s
   * @param dtSeconds Δt, s
   * @param noise σ_y of the observation noise
   * @param seed geometry, γ_i, signals and noise
   */
  public record Params(
      int nx,
      int ny,
      double k,
      double gammaLo,
      double gammaHi,
      double dtSeconds,
      double noise,
      long seed) {}

  /** The frames and the truth. */
  public record Run(List<ConsensusFrame> frames, double k, Map<Long, Double> gamma) {}

  private SimulatedCulture() {}

  /** Simulates {@code frames} frames. */
  public static Run run(Params p, int frames) {
    Random rnd = new Random(p.seed());
    int n = p.nx() * p.ny();
    double[] base = new double[n];
    double[] amp1 = new double[n];
    double[] amp2 = new double[n];
    double[] per1 = new double[n];
    double[] per2 = new double[n];
    double[] phase = new double[n];
    double dt = p.dtSeconds();
    GraphCulture culture =
        new GraphCulture(
            n,
            p.k(),
            dt,
            (i, frame) -> {
              double t = frame * dt;
              return base[i]
                  + amp1[i] * Math.sin(2 * Math.PI * t / per1[i] + phase[i])
                  + amp2[i] * Math.sin(2 * Math.PI * t / per2[i] + 2 * phase[i]);
            });
    Map<Long, Double> gamma = new HashMap<>();
    for (int i = 0; i < n; i++) {
      base[i] = 0.3 + 0.3 * rnd.nextDouble();
      amp1[i] = 0.05 + 0.15 * rnd.nextDouble();
      amp2[i] = 0.02 + 0.05 * rnd.nextDouble();
      per1[i] = 200 + 600 * rnd.nextDouble();
      per2[i] = 50 + 100 * rnd.nextDouble();
      phase[i] = 2 * Math.PI * rnd.nextDouble();
      double g = p.gammaLo() + (p.gammaHi() - p.gammaLo()) * rnd.nextDouble();
      culture.setGamma(i, g);
      culture.setY(i, base[i]);
      if (border(p, i)) {
        culture.markInput(i);
      } else {
        gamma.put((long) i + 1, g);
      }
    }
    List<NeighbourLink> links = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int gx = i % p.nx();
      int gy = i / p.nx();
      if (gx + 1 < p.nx()) {
        link(culture, links, rnd, i, i + 1);
      }
      if (gy + 1 < p.ny()) {
        link(culture, links, rnd, i, i + p.nx());
      }
      if (gx + 1 < p.nx() && gy + 1 < p.ny()) {
        if (rnd.nextBoolean()) {
          link(culture, links, rnd, i, i + p.nx() + 1);
        } else {
          link(culture, links, rnd, i + 1, i + p.nx());
        }
      }
    }
    List<ConsensusFrame> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      List<CellSample> cells = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double obs = culture.y(i) + p.noise() * rnd.nextGaussian();
        cells.add(new CellSample(i + 1, obs, culture.isInput(i), 0));
      }
      long frame = culture.frame();
      out.add(new ConsensusFrame(frame, frame * dt, cells, links));
      culture.step();
    }
    return new Run(out, p.k(), gamma);
  }

  private static boolean border(Params p, int i) {
    int gx = i % p.nx();
    int gy = i / p.nx();
    return gx == 0 || gy == 0 || gx == p.nx() - 1 || gy == p.ny() - 1;
  }

  private static void link(
      GraphCulture culture, List<NeighbourLink> links, Random rnd, int i, int j) {
    double l = 10 + 30 * rnd.nextDouble();
    double u = 15 + 25 * rnd.nextDouble();
    // the consensus stage passes l / 1000 px² so that weight() = u·l / 1000 px²
    NeighbourLink link = new NeighbourLink(i + 1, j + 1, l / 1000.0, u);
    links.add(link);
    culture.link(i, j, link.weight());
  }
}
