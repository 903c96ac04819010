package io.cytostream.ingest.sim;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The division rule: a cell divides with probability {@code divisionProbability} per frame when at
 * least {@value #MIN_DIVISION_AGE} frames old, not crowded (no anchor closer than {@value #CROWDED}
 * × spacing), not lost and not the target of an anomaly this frame. Its seed becomes two seeds
 * {@code 2 ×} {@value #DAUGHTER_OFFSET} × spacing apart along a random axis; the first daughter
 * takes the parent's place in the cell list, the second is appended; both inherit the parent's
 * state (see {@link Cell#daughter}).
 */
final class CellDivision {
  static final double CROWDED = 0.6; // × spacing: no division with a seed this close
  static final double DAUGHTER_OFFSET = 0.22; // × spacing, each side of the parent's anchor
  static final int MIN_DIVISION_AGE = 20; // frames

  private CellDivision() {}

  /**
   * Divides the cells of {@code cells} whose division draw of this frame is below the probability
   * (the axis is one more draw from the parent's stream).
   *
   * @param t the frame being simulated
   * @param spacing the cell spacing, px
   * @param nextId supplies new cell ids
   */
  static void divide(
      List<Cell> cells, int t, double spacing, double probability, LongSupplier nextId) {
    int n = cells.size();
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      if (c.ghost
          || c.noDivision
          || t - c.born < MIN_DIVISION_AGE
          || c.nearest < CROWDED * spacing
          || c.divisionDraw >= probability) {
        continue;
      }
      double theta = c.rng.uniform(0, Math.PI);
      double ox = DAUGHTER_OFFSET * spacing * StrictMath.cos(theta);
      double oy = DAUGHTER_OFFSET * spacing * StrictMath.sin(theta);
      Cell d1 = c.daughter(nextId.getAsLong(), t, ox, oy);
      Cell d2 = c.daughter(nextId.getAsLong(), t, -ox, -oy);
      cells.set(i, d1);
      cells.add(d2);
      d1.px = c.px + ox;
      d1.py = c.py + oy;
      d2.px = c.px - ox;
      d2.py = c.py - oy;
    }
  }
}
