package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A random, reproducible cell scene for tests: cells drift (persistent velocity plus noise of ~2 px
 * per frame), leave through the borders, enter at random places, divide (two daughters of half the
 * area, 12–18 px either side of the mother), are sometimes not detected (3 %) and sometimes
 * over-segmented into two halves for one frame (1 %). Detection labels are a fresh random
 * permutation every frame, like the labels of a segmentation (extra fragments get labels above the
 * cell count).
 */
public final class SyntheticScene {
  private final Random rnd;
  private final double width;
  private final double height;
  private final List<double[]> cells = new ArrayList<>(); // x, y, vx, vy, area

  /** A scene with {@code cells} cells in a {@code width × height} px field. */
  public SyntheticScene(long seed, int cells, double width, double height) {
    this.rnd = new Random(seed);
    this.width = width;
    this.height = height;
    for (int k = 0; k < cells; k++) {
      this.cells.add(newCell());
    }
  }

  private double[] newCell() {
    return new double[] {
      width * rnd.nextDouble(),
      height * rnd.nextDouble(),
      rnd.nextGaussian(),
      rnd.nextGaussian(),
      1500 + 1000 * rnd.nextDouble()
    };
  }

  /** Whether the caller should skip a frame index now (about 3 % of the time). */
  public boolean skipFrame() {
    return rnd.nextDouble() < 0.03;
  }

  /** Advances one frame and returns its detections. */
  public List<Detection> next() {
    List<double[]> nextCells = new ArrayList<>();
    for (double[] c : cells) {
      if (rnd.nextDouble() < 0.01) {
        double ang = 2 * Math.PI * rnd.nextDouble();
        double d = 12 + 6 * rnd.nextDouble();
        for (int s = -1; s <= 1; s += 2) {
          nextCells.add(
              new double[] {
                c[0] + s * d * Math.cos(ang), c[1] + s * d * Math.sin(ang), 0, 0, c[4] / 2
              });
        }
        continue;
      }
      c[2] = 0.8 * c[2] + 0.6 * rnd.nextGaussian();
      c[3] = 0.8 * c[3] + 0.6 * rnd.nextGaussian();
      c[0] += c[2] + rnd.nextGaussian();
      c[1] += c[3] + rnd.nextGaussian();
      c[4] = Math.min(2500, c[4] * 1.02);
      if (c[0] >= 0 && c[0] < width && c[1] >= 0 && c[1] < height) {
        nextCells.add(c);
      }
    }
    if (rnd.nextDouble() < 0.1) {
      nextCells.add(newCell());
    }
    cells.clear();
    cells.addAll(nextCells);
    List<Integer> labels = new ArrayList<>();
    for (int k = 1; k <= cells.size(); k++) {
      labels.add(k);
    }
    Collections.shuffle(labels, rnd);
    List<Detection> out = new ArrayList<>();
    int extraLabel = cells.size() + 1;
    for (int k = 0; k < cells.size(); k++) {
      double[] c = cells.get(k);
      double u = rnd.nextDouble();
      if (u < 0.03) {
        continue; // not detected in this frame
      }
      if (u < 0.04) { // over-segmented in this frame only: two halves side by side
        out.add(new Detection(labels.get(k), c[0] - 10, c[1], c[4] / 2, 100));
        out.add(new Detection(extraLabel++, c[0] + 10, c[1], c[4] / 2, 100));
        continue;
      }
      out.add(new Detection(labels.get(k), c[0], c[1], c[4], 100 + rnd.nextDouble()));
    }
    return out;
  }
}
