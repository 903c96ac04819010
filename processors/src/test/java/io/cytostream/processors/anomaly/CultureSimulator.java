package io.cytostream.processors.anomaly;

import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.NeighbourLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-scope culture: the exact forward-Euler consensus model on an n × n triangulated grid whose
 * outer ring are border (input) cells with their own smooth signals, observed with Gaussian noise;
 * spikes (added to the observed intensity) and steps of γ_i can be injected.
 */
final class CultureSimulator {

  static final double K = 0.0015;
  static final double DT = 0.4;

  private final int side;
  private final int n;
  private final Random rnd;
  private final double noise;
  private final boolean[] border;
  private final double[] gamma;
  private final double[][] signal;
  private final List<NeighbourLink> links = new ArrayList<>();
  private final List<List<int[]>> adj = new ArrayList<>();
  private final Map<Long, Map<Long, Double>> spikes = new HashMap<>();
  private final Map<Long, Map<Long, Double>> gammaSteps = new HashMap<>();
  private double[] y;
  private long frame;

  CultureSimulator(int side, double noise, long seed) {
    this.side = side;
    this.n = side * side;
    this.noise = noise;
    this.rnd = new Random(seed);
    border = new boolean[n];
    gamma = new double[n];
    signal = new double[n][];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      adj.add(new ArrayList<>());
      int x = i % side;
      int yy = i / side;
      border[i] = x == 0 || yy == 0 || x == side - 1 || yy == side - 1;
      gamma[i] = 0.002 + 0.008 * rnd.nextDouble();
      signal[i] =
          new double[] {
            0.3 + 0.3 * rnd.nextDouble(),
            0.05 + 0.15 * rnd.nextDouble(),
            20 + 60 * rnd.nextDouble(),
            0.02 + 0.05 * rnd.nextDouble(),
            5 + 10 * rnd.nextDouble(),
            2 * Math.PI * rnd.nextDouble()
          };
      y[i] = signal[i][0];
    }
    for (int i = 0; i < n; i++) {
      int x = i % side;
      int yy = i / side;
      if (x + 1 < side) {
        link(i, i + 1);
      }
      if (yy + 1 < side) {
        link(i, i + side);
      }
      if (x + 1 < side && yy + 1 < side) {
        if (rnd.nextBoolean()) {
          link(i, i + side + 1);
        } else {
          link(i + 1, i + side);
        }
      }
    }
  }

  private void link(int i, int j) {
    links.add(
        new NeighbourLink(i + 1, j + 1, 10 + 30 * rnd.nextDouble(), 15 + 25 * rnd.nextDouble()));
    adj.get(i).add(new int[] {j, links.size() - 1});
    adj.get(j).add(new int[] {i, links.size() - 1});
  }

  /** Track ids of the interior cells. */
  List<Long> interior() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!border[i]) {
        ids.add((long) i + 1);
      }
    }
    return ids;
  }

  /** Adds {@code amount} to the observed intensity of a track in one frame. */
  void spike(long trackId, long atFrame, double amount) {
    spikes.computeIfAbsent(atFrame, f -> new HashMap<>()).put(trackId, amount);
  }

  /**
   * Adds {@code delta} to γ of a track from a frame on (the step acts on y from the next frame).
   */
  void gammaStep(long trackId, long atFrame, double delta) {
    gammaSteps.computeIfAbsent(atFrame, f -> new HashMap<>()).put(trackId, delta);
  }

  ConsensusFrame next() {
    Map<Long, Double> sp = spikes.getOrDefault(frame, Map.of());
    List<CellSample> cells = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double obs = y[i] + noise * rnd.nextGaussian() + sp.getOrDefault((long) i + 1, 0.0);
      cells.add(new CellSample(i + 1, obs, border[i], 0));
    }
    ConsensusFrame f = new ConsensusFrame(frame, frame * DT, cells, links);
    for (Map.Entry<Long, Double> e : gammaSteps.getOrDefault(frame, Map.of()).entrySet()) {
      gamma[(int) (long) e.getKey() - 1] += e.getValue();
    }
    double[] next = new double[n];
    double t = frame + 1;
    for (int i = 0; i < n; i++) {
      double[] s = signal[i];
      if (border[i]) {
        next[i] =
            s[0]
                + s[1] * Math.sin(2 * Math.PI * t / s[2] + s[5])
                + s[3] * Math.sin(2 * Math.PI * t / s[4] + 2 * s[5]);
      } else {
        double c = 0;
        for (int[] nb : adj.get(i)) {
          c += links.get(nb[1]).weight() * (y[nb[0]] - y[i]);
        }
        next[i] = y[i] + DT * (K * c / adj.get(i).size() + gamma[i]);
      }
    }
    y = next;
    frame++;
    return f;
  }
}
