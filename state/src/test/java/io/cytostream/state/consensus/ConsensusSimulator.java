package io.cytostream.state.consensus;

import io.cytostream.ingest.sim.GraphCulture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@link ConsensusFrame}s of the culture simulator's consensus model ({@link GraphCulture}, the
 * same Euler step as the image simulator) on a jittered grid: border cells (the outer ring) follow
 * their own smooth signals and are inputs only; interior cells obey y_t = y_{t−1} + Δt (k/|N_i| Σ_j
 * u_ij l_ij (y_{j,t−1} − y_{i,t−1}) + γ_i), plus optional process noise; the observed intensity
 * adds Gaussian observation noise. Geometry is fixed over time; one random diagonal per grid square
 * keeps the graph planar and triangulated, with l ∈ [10, 40] px and u ∈ [15, 40] px per link.
 */
public final class ConsensusSimulator {

  /** Simulation parameters. */
  public record Params(
      int nx,
      int ny,
      double k,
      double gammaLo,
      double gammaHi,
      double dtSeconds,
      double observationNoise,
      double processNoise,
      long seed,
      double couplingScalePx2) {

    /** 60 cells (10 × 6), k = 0.0015 1/(px²·s), γ ∈ [0.002, 0.01]/s, Δt = 0.4 s, u·l unscaled. */
    public static Params defaults(double noise, long seed) {
      return new Params(10, 6, 0.0015, 0.002, 0.01, 0.4, noise, 0, seed, 1);
    }

    /**
     * The paper's units and interval: the service's weight w = u·l / 1000 px², k = 0.05 /s inside
     * the paper's box [0.001, 0.1], γ ∈ [0.002, 0.01]/s inside [−3e−5, 0.1], the given Δt (the
     * paper's movie: 10 s). Forward Euler stays stable: Δt·k·max w ≤ 10 · 0.05 · 1.6 = 0.8.
     */
    public static Params paperUnits(double dtSeconds, double noise, long seed) {
      return new Params(10, 6, 0.05, 0.002, 0.01, dtSeconds, noise, 0, seed, 1000);
    }

    public Params withGrid(int x, int y) {
      return new Params(
          x,
          y,
          k,
          gammaLo,
          gammaHi,
          dtSeconds,
          observationNoise,
          processNoise,
          seed,
          couplingScalePx2);
    }

    public Params withProcessNoise(double s) {
      return new Params(
          nx, ny, k, gammaLo, gammaHi, dtSeconds, observationNoise, s, seed, couplingScalePx2);
    }
  }

  private final Params params;
  private final Random rnd;
  private final int n;
  private final GraphCulture culture;
  private final List<NeighbourLink> links = new ArrayList<>();

  public ConsensusSimulator(Params p) {
    this.params = p;
    this.rnd = new Random(p.seed());
    this.n = p.nx() * p.ny();
    double[] base = new double[n];
    double[] amp1 = new double[n];
    double[] amp2 = new double[n];
    double[] per1 = new double[n];
    double[] per2 = new double[n];
    double[] phase = new double[n];
    culture =
        new GraphCulture(
            n,
            p.k(),
            p.dtSeconds(),
            (i, frame) -> {
              double t = frame;
              return base[i]
                  + amp1[i] * Math.sin(2 * Math.PI * t / per1[i] + phase[i])
                  + amp2[i] * Math.sin(2 * Math.PI * t / per2[i] + 2 * phase[i]);
            });
    for (int i = 0; i < n; i++) {
      int gx = i % p.nx();
      int gy = i / p.nx();
      if (gx == 0 || gy == 0 || gx == p.nx() - 1 || gy == p.ny() - 1) {
        culture.markInput(i);
      }
      culture.setGamma(i, p.gammaLo() + (p.gammaHi() - p.gammaLo()) * rnd.nextDouble());
      base[i] = 0.3 + 0.3 * rnd.nextDouble();
      amp1[i] = 0.05 + 0.15 * rnd.nextDouble();
      amp2[i] = 0.02 + 0.05 * rnd.nextDouble();
      per1[i] = 20 + 60 * rnd.nextDouble();
      per2[i] = 5 + 10 * rnd.nextDouble();
      phase[i] = 2 * Math.PI * rnd.nextDouble();
      culture.setY(i, base[i]);
    }
    for (int i = 0; i < n; i++) {
      int gx = i % p.nx();
      int gy = i / p.nx();
      if (gx + 1 < p.nx()) {
        link(i, i + 1);
      }
      if (gy + 1 < p.ny()) {
        link(i, i + p.nx());
      }
      // one random diagonal per grid square: planar, triangulated
      if (gx + 1 < p.nx() && gy + 1 < p.ny()) {
        if (rnd.nextBoolean()) {
          link(i, i + p.nx() + 1);
        } else {
          link(i + 1, i + p.nx());
        }
      }
    }
  }

  private void link(int i, int j) {
    double l = 10 + 30 * rnd.nextDouble();
    double u = 15 + 25 * rnd.nextDouble();
    NeighbourLink link = new NeighbourLink(i + 1, j + 1, l / params.couplingScalePx2(), u);
    links.add(link);
    culture.link(i, j, link.weight());
  }

  /** Number of cells. */
  public int cells() {
    return n;
  }

  /** True γ of a track (track id = index + 1). */
  public double gamma(long trackId) {
    return culture.gamma((int) trackId - 1);
  }

  /** Whether a track is a border cell. */
  public boolean border(long trackId) {
    return culture.isInput((int) trackId - 1);
  }

  /** Observes the current state as a frame, then advances the model by one step. */
  public ConsensusFrame next() {
    List<CellSample> cells = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double obs = culture.y(i) + params.observationNoise() * rnd.nextGaussian();
      cells.add(new CellSample(i + 1, obs, culture.isInput(i), 0));
    }
    long frame = culture.frame();
    ConsensusFrame f = new ConsensusFrame(frame, frame * params.dtSeconds(), cells, links);
    double[] processNoise = new double[n];
    for (int i = 0; i < n; i++) {
      if (!culture.isInput(i)) {
        processNoise[i] = params.processNoise() * rnd.nextGaussian();
      }
    }
    culture.step(processNoise);
    return f;
  }
}
