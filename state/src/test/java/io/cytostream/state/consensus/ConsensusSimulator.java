package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test-scope simulator of the exact (forward-Euler) consensus model on a jittered grid: border
 * cells (the outer ring) follow their own smooth signals and are inputs only; interior cells obey
 * y_t = y_{t−1} + Δt (k/|N_i| Σ_j u_ij l_ij (x_{j,t−1} − y_{i,t−1}) + γ_i), plus optional process
 * noise; the observed intensity adds Gaussian observation noise. Geometry is fixed over time.
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
      long seed) {

    /** 60 cells (10 × 6), k = 0.0015 1/(px²·s), γ ∈ [0.002, 0.01]/s, Δt = 0.4 s. */
    public static Params defaults(double noise, long seed) {
      return new Params(10, 6, 0.0015, 0.002, 0.01, 0.4, noise, 0, seed);
    }

    public Params withGrid(int x, int y) {
      return new Params(x, y, k, gammaLo, gammaHi, dtSeconds, observationNoise, processNoise, seed);
    }

    public Params withProcessNoise(double s) {
      return new Params(nx, ny, k, gammaLo, gammaHi, dtSeconds, observationNoise, s, seed);
    }
  }

  private final Params params;
  private final Random rnd;
  private final int n;
  private final boolean[] border;
  private final double[] gamma;
  private final List<NeighbourLink> links = new ArrayList<>();
  private final List<List<int[]>> adj = new ArrayList<>();
  private final double[][] weight;
  private final double[] base;
  private final double[] amp1;
  private final double[] amp2;
  private final double[] per1;
  private final double[] per2;
  private final double[] phase;
  private double[] y;
  private long frame;

  public ConsensusSimulator(Params p) {
    this.params = p;
    this.rnd = new Random(p.seed());
    this.n = p.nx() * p.ny();
    border = new boolean[n];
    gamma = new double[n];
    weight = new double[n][];
    base = new double[n];
    amp1 = new double[n];
    amp2 = new double[n];
    per1 = new double[n];
    per2 = new double[n];
    phase = new double[n];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      adj.add(new ArrayList<>());
      int gx = i % p.nx();
      int gy = i / p.nx();
      border[i] = gx == 0 || gy == 0 || gx == p.nx() - 1 || gy == p.ny() - 1;
      gamma[i] = p.gammaLo() + (p.gammaHi() - p.gammaLo()) * rnd.nextDouble();
      base[i] = 0.3 + 0.3 * rnd.nextDouble();
      amp1[i] = 0.05 + 0.15 * rnd.nextDouble();
      amp2[i] = 0.02 + 0.05 * rnd.nextDouble();
      per1[i] = 20 + 60 * rnd.nextDouble();
      per2[i] = 5 + 10 * rnd.nextDouble();
      phase[i] = 2 * Math.PI * rnd.nextDouble();
      y[i] = base[i];
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
    for (int i = 0; i < n; i++) {
      weight[i] = new double[adj.get(i).size()];
    }
  }

  private void link(int i, int j) {
    double l = 10 + 30 * rnd.nextDouble();
    double u = 15 + 25 * rnd.nextDouble();
    links.add(new NeighbourLink(i + 1, j + 1, l, u));
    adj.get(i).add(new int[] {j, links.size() - 1});
    adj.get(j).add(new int[] {i, links.size() - 1});
  }

  /** Number of cells. */
  public int cells() {
    return n;
  }

  /** True γ of a track (track id = index + 1). */
  public double gamma(long trackId) {
    return gamma[(int) trackId - 1];
  }

  /** Whether a track is a border cell. */
  public boolean border(long trackId) {
    return border[(int) trackId - 1];
  }

  /** Observes the current state as a frame, then advances the model by one step. */
  public ConsensusFrame next() {
    List<CellSample> cells = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double obs = y[i] + params.observationNoise() * rnd.nextGaussian();
      cells.add(new CellSample(i + 1, obs, border[i], 0));
    }
    ConsensusFrame f = new ConsensusFrame(frame, frame * params.dtSeconds(), cells, links);
    step();
    return f;
  }

  private void step() {
    double[] ny = new double[n];
    double t = frame + 1;
    for (int i = 0; i < n; i++) {
      if (border[i]) {
        ny[i] =
            base[i]
                + amp1[i] * Math.sin(2 * Math.PI * t / per1[i] + phase[i])
                + amp2[i] * Math.sin(2 * Math.PI * t / per2[i] + 2 * phase[i]);
      } else {
        double s = 0;
        for (int[] nb : adj.get(i)) {
          s += links.get(nb[1]).weight() * (y[nb[0]] - y[i]);
        }
        double drift = params.k() * s / adj.get(i).size() + gamma[i];
        ny[i] = y[i] + params.dtSeconds() * drift + params.processNoise() * rnd.nextGaussian();
      }
    }
    y = ny;
    frame++;
  }
}
