package io.cytostream.processors.anomaly;

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
 * {@link ConsensusFrame}s of the culture simulator's consensus model ({@link GraphCulture}, the
 * same Euler step as the image simulator) on an n × n triangulated grid whose outer ring are border
 * (input) cells with their own smooth signals, observed with Gaussian noise; spikes (added to the
 * observed intensity) and steps of γ_i can be injected. k = {@value #K} per s per px², Δt = {@value
 * #DT} s, γ_i ∈ [0.002, 0.01] /s, l ∈ [10, 40] px and u ∈ [15, 40] px per link.
 */
final class GridCultureFrames {

  static final double K = 0.0015;
  static final double DT = 0.4;

  private final int n;
  private final Random rnd;
  private final double noise;
  private final GraphCulture culture;
  private final List<NeighbourLink> links = new ArrayList<>();
  private final Map<Long, Map<Long, Double>> spikes = new HashMap<>();
  private final Map<Long, Map<Long, Double>> gammaSteps = new HashMap<>();

  GridCultureFrames(int side, double noise, long seed) {
    this.n = side * side;
    this.noise = noise;
    this.rnd = new Random(seed);
    double[][] signal = new double[n][];
    culture =
        new GraphCulture(
            n,
            K,
            DT,
            (i, frame) -> {
              double t = frame;
              double[] s = signal[i];
              return s[0]
                  + s[1] * Math.sin(2 * Math.PI * t / s[2] + s[5])
                  + s[3] * Math.sin(2 * Math.PI * t / s[4] + 2 * s[5]);
            });
    for (int i = 0; i < n; i++) {
      int x = i % side;
      int yy = i / side;
      if (x == 0 || yy == 0 || x == side - 1 || yy == side - 1) {
        culture.markInput(i);
      }
      culture.setGamma(i, 0.002 + 0.008 * rnd.nextDouble());
      signal[i] =
          new double[] {
            0.3 + 0.3 * rnd.nextDouble(),
            0.05 + 0.15 * rnd.nextDouble(),
            20 + 60 * rnd.nextDouble(),
            0.02 + 0.05 * rnd.nextDouble(),
            5 + 10 * rnd.nextDouble(),
            2 * Math.PI * rnd.nextDouble()
          };
      culture.setY(i, signal[i][0]);
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
    NeighbourLink link =
        new NeighbourLink(i + 1, j + 1, 10 + 30 * rnd.nextDouble(), 15 + 25 * rnd.nextDouble());
    links.add(link);
    culture.link(i, j, link.weight());
  }

  /** Track ids of the interior cells. */
  List<Long> interior() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!culture.isInput(i)) {
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

  /** Observes the current state as a frame, then advances the model by one step. */
  ConsensusFrame next() {
    long frame = culture.frame();
    Map<Long, Double> sp = spikes.getOrDefault(frame, Map.of());
    List<CellSample> cells = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double obs = culture.y(i) + noise * rnd.nextGaussian() + sp.getOrDefault((long) i + 1, 0.0);
      cells.add(new CellSample(i + 1, obs, culture.isInput(i), 0));
    }
    ConsensusFrame f = new ConsensusFrame(frame, frame * DT, cells, links);
    for (Map.Entry<Long, Double> e : gammaSteps.getOrDefault(frame, Map.of()).entrySet()) {
      int i = (int) (long) e.getKey() - 1;
      culture.setGamma(i, culture.gamma(i) + e.getValue());
    }
    culture.step();
    return f;
  }
}
