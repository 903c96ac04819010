package io.cytostream.processors.consensus;

import io.cytostream.ingest.sim.GraphCulture;
import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.TrackedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tracked frames of a small culture on a 4-connected grid whose interior cells follow the consensus
 * model of DESIGN.md section 4 exactly (the culture simulator's {@link GraphCulture}: forward
 * Euler), with known k and γ_i ∈ [1e-4, 5e-4] /s; border cells are inputs with their own slow
 * signals y = 0.4 + 0.2·sin(0.05·t + i). Every link has l = {@value #L} px and u = {@value #U} px,
 * so w = u·l/{@value #S}. For tests of the consensus stage.
 */
final class ConsensusModelFrames {
  final int side;
  final double k;
  final double[] gamma;
  final double dt;
  final double noise;
  private final Random random;

  /** The pixel size the frames carry (null: none). */
  Double pixelSizeUm;

  private final GraphCulture culture;

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
    // border cells: the signal at the frame being left (frame − 1 of the new state)
    culture =
        new GraphCulture(n, k, dt, (i, frame) -> 0.4 + 0.2 * Math.sin(0.05 * (frame - 1) + i));
    gamma = new double[n];
    for (int i = 0; i < n; i++) {
      gamma[i] = 1e-4 + 4e-4 * random.nextDouble();
      culture.setGamma(i, gamma[i]);
      culture.setY(i, 0.3 + 0.2 * random.nextDouble());
      if (border(i)) {
        culture.markInput(i);
      }
    }
    // vertical links first, then horizontal: each cell's neighbours are up, down, left, right
    for (int i = 0; i + side < n; i++) {
      culture.link(i, i + side, U * L / S);
    }
    for (int i = 0; i < n; i++) {
      if (i % side < side - 1) {
        culture.link(i, i + 1, U * L / S);
      }
    }
  }

  boolean border(int i) {
    int r = i / side;
    int c = i % side;
    return r == 0 || c == 0 || r == side - 1 || c == side - 1;
  }

  /** The current frame, then one Euler step. Track id of cell i is i + 1. */
  TrackedFrame next() {
    int n = side * side;
    long frame = culture.frame();
    List<TrackedFrame.Cell> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double obs = culture.y(i) + noise * random.nextGaussian();
      cells.add(
          new TrackedFrame.Cell(
              i + 1, 0, i + 1, (i % side) * U, (i / side) * U, 100, 1000 * obs, obs, border(i)));
    }
    List<TrackedFrame.Neighbours> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j : culture.neighbours(i)) {
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
            (side - 1) * (int) U + 1,
            (side - 1) * (int) U + 1,
            new FrameQuality(0, 0, 0, 1000, 1, true, 0, 1),
            cells,
            pairs,
            List.of(),
            null,
            pixelSizeUm);
    culture.step();
    return tf;
  }

  /** Adds {@code amount} to the state y of a cell (0-based) from now on. */
  void spike(int cell, double amount) {
    culture.setY(cell, culture.y(cell) + amount);
  }
}
