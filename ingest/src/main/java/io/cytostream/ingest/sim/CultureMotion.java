package io.cytostream.ingest.sim;

import java.util.List;

/**
 * How the cells move, in px and frames: a seed sits at its anchor + the culture's drift + its own
 * jitter.
 *
 * <ul>
 *   <li>Drift: per axis a sum of two sinusoids (periods 150–500 frames, random phases) with RMS
 *       speed {@code driftSpeed} px/frame, zero at frame 0, so the culture wanders but stays in
 *       place on average.
 *   <li>Jitter: per cell and axis an Ornstein–Uhlenbeck process with RMS {@code cellJitter} px and
 *       a correlation time of {@value #JITTER_CORRELATION_FRAMES} frames.
 *   <li>Repulsion: anchors closer than {@link CultureLayout#REPULSION_RANGE} × spacing close
 *       {@value #REPULSION_RATE} of their overlap per frame (half each); the distance to the
 *       nearest other anchor is recorded for the division rule.
 *   <li>Stage drift ({@link RenderStyle#stageDriftX()}, default none): every seed moves by t × (vx,
 *       vy) px at frame t, a camera that slowly loses its field of view.
 * </ul>
 */
final class CultureMotion {
  static final double REPULSION_RATE = 0.1; // fraction of the overlap closed per frame
  static final double JITTER_CORRELATION_FRAMES = 30;

  private final double spacing;
  private final double[] driftAmp = new double[4]; // x: 0, 1; y: 2, 3 (px)
  private final double[] driftFreq = new double[4]; // rad/frame
  private final double[] driftPhase = new double[4]; // rad
  private final double rho;
  private final double jitterStep;
  private final double stageX; // px/frame
  private final double stageY;

  /**
   * Draws the drift (per sinusoid: period, then phase) from {@code init}.
   *
   * @param spacing the cell spacing, px
   */
  CultureMotion(SimulationConfig config, double spacing, Rng init) {
    this.spacing = spacing;
    for (int a = 0; a < 4; a++) {
      double period = init.uniform(150, 500);
      driftFreq[a] = 2 * Math.PI / period;
      driftAmp[a] = config.driftSpeed() / (Math.sqrt(2) * driftFreq[a]);
      driftPhase[a] = init.uniform(0, 2 * Math.PI);
    }
    this.rho = StrictMath.exp(-1 / JITTER_CORRELATION_FRAMES);
    this.jitterStep = config.cellJitter() * StrictMath.sqrt(1 - rho * rho);
    this.stageX = config.style().stageDriftX();
    this.stageY = config.style().stageDriftY();
  }

  /** One frame of the cell's jitter, from two standard normal draws. */
  void advanceJitter(Cell c, double g1, double g2) {
    c.jx = rho * c.jx + jitterStep * g1;
    c.jy = rho * c.jy + jitterStep * g2;
  }

  /** Anchors closer than the repulsion range push each other apart; records {@code nearest}. */
  void repel(List<Cell> cells) {
    int n = cells.size();
    double range = CultureLayout.REPULSION_RANGE * spacing;
    double[] dx = new double[n];
    double[] dy = new double[n];
    SeedGrid grid = new SeedGrid(n, range, i -> cells.get(i).ax, i -> cells.get(i).ay);
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      c.nearest = range;
      final int self = i;
      grid.forNear(
          c.ax,
          c.ay,
          j -> {
            if (j == self) {
              return;
            }
            Cell o = cells.get(j);
            double ex = c.ax - o.ax;
            double ey = c.ay - o.ay;
            double d = Math.sqrt(ex * ex + ey * ey);
            if (d < c.nearest) {
              c.nearest = d;
            }
            if (d < range && d > 1e-9) {
              double push = 0.5 * REPULSION_RATE * (range - d) / d;
              dx[self] += push * ex;
              dy[self] += push * ey;
            }
          });
    }
    for (int i = 0; i < n; i++) {
      cells.get(i).ax += dx[i];
      cells.get(i).ay += dy[i];
    }
  }

  /** Sets every seed to anchor + drift at frame {@code t} + jitter (+ t × the stage drift). */
  void placeSeeds(List<Cell> cells, int t) {
    double gx = drift(0, t) + drift(1, t);
    double gy = drift(2, t) + drift(3, t);
    for (Cell c : cells) {
      c.px = c.ax + gx + c.jx;
      c.py = c.ay + gy + c.jy;
    }
    if (stageX != 0 || stageY != 0) {
      for (Cell c : cells) {
        c.px += t * stageX;
        c.py += t * stageY;
      }
    }
  }

  private double drift(int a, int t) {
    return driftAmp[a]
        * (StrictMath.sin(driftFreq[a] * t + driftPhase[a]) - StrictMath.sin(driftPhase[a]));
  }
}
