package io.cytostream.processors.consensus;

import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.TrackedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tracked frames of a small culture on a grid whose interior cells follow the consensus model of
 * DESIGN.md section 4 exactly (forward Euler), with known k and γ_i; border cells are inputs with
 * their own slow signals. For tests of the consensus stage.
 */
final class ConsensusModelFrames {
  final int side;
  final double k;
  final double[] gamma;
  final double dt;
  final double noise;
  private final Random random;
  private final double[] y;
  private long frame;

  /** Coupling scale s of w = u·l/s (px², the stage's default). */
  static final double S = 1000;

  /** Shared border (px) and centroid distance (px) of grid neighbours. */
  static final double L = 25;

  static final double U = 30;

  ConsensusModelFrames(int side, double k, double dt, double noise, long seed) {
    this.side = side;
    this.k = k;
    this.dt = dt;
    this.noise = noise;
    this.random = new Random(seed);
    int n = side * side;
    gamma = new double[n];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      gamma[i] = 1e-4 + 4e-4 * random.nextDouble();
      y[i] = 0.3 + 0.2 * random.nextDouble();
    }
  }

  boolean border(int i) {
    int r = i / side;
    int c = i % side;
    return r == 0 || c == 0 || r == side - 1 || c == side - 1;
  }

  List<Integer> neighbours(int i) {
    int r = i / side;
    int c = i % side;
    List<Integer> n = new ArrayList<>();
    if (r > 0) {
      n.add(i - side);
    }
    if (r < side - 1) {
      n.add(i + side);
    }
    if (c > 0) {
      n.add(i - 1);
    }
    if (c < side - 1) {
      n.add(i + 1);
    }
    return n;
  }

  /** The current frame, then one Euler step. Track id of cell i is i + 1. */
  TrackedFrame next() {
    int n = side * side;
    List<TrackedFrame.Cell> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double obs = y[i] + noise * random.nextGaussian();
      cells.add(
          new TrackedFrame.Cell(
              i + 1, 0, i + 1, (i % side) * U, (i / side) * U, 100, 1000 * obs, obs, border(i)));
    }
    List<TrackedFrame.Neighbours> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j : neighbours(i)) {
        if (j > i) {
          pairs.add(new TrackedFrame.Neighbours(i + 1, j + 1, (int) L, U));
        }
      }
    }
    TrackedFrame tf =
        new TrackedFrame(
            1,
            "model",
            frame,
            frame,
            null,
            frame * dt,
            side * 12,
            side * 12,
            new FrameQuality(0, 0, 0, 1000, 1, true, 0, 1),
            cells,
            pairs,
            List.of(),
            null);
    double[] next = y.clone();
    for (int i = 0; i < n; i++) {
      if (border(i)) {
        next[i] = 0.4 + 0.2 * Math.sin(0.05 * frame + i);
      } else {
        List<Integer> nb = neighbours(i);
        double s = 0;
        for (int j : nb) {
          s += U * L / S * (y[j] - y[i]);
        }
        next[i] = y[i] + dt * (k / nb.size() * s + gamma[i]);
      }
    }
    System.arraycopy(next, 0, y, 0, n);
    frame++;
    return tf;
  }

  void spike(int cell, double amount) {
    y[cell] += amount;
  }
}
