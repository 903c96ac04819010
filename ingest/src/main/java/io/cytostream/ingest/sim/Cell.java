package io.cytostream.ingest.sim;

/**
 * One physical cell of the simulated culture (a seed of the tessellation) and its state: position
 * (px), calcium y (signal units), feed term γ (signal units/s), its input signal, its lineage and
 * what was measured of it in the last rendered frame. A plain mutable holder shared by the
 * simulator's parts; each cell owns a random stream, so a lineage's draws do not depend on other
 * cells.
 */
final class Cell {
  final long id;
  final Rng rng;
  double ax; // anchor, px
  double ay;
  double jx; // jitter, px
  double jy;
  double px; // seed position this frame, px
  double py;
  double omega; // power weight, px²
  double rmaxFactor = 1; // × the truncation radius
  double y; // calcium, signal units
  double gamma; // signal units/s
  InputSignal input;
  double excess; // injected addition to y this frame, signal units
  double divisionDraw; // this frame's uniform draw for division
  double nearest = Double.POSITIVE_INFINITY; // distance to the nearest other anchor, px
  int born; // frame of birth
  boolean ghost; // lost: not drawn, y frozen
  boolean noDivision; // an anomaly targets it this frame
  int track; // label in the last rendered frame, 0 if not visible there
  int pendingParent; // parent track for a daughter's first visible frame
  CellTruth.Role role = CellTruth.Role.INITIAL;
  // measured in the last rendered frame
  int area; // px
  double cx; // centroid, px
  double cy;
  boolean touches; // reaches the border zone
  Cell[] nbr = new Cell[0]; // Ad(i)
  double[] nbrWeight = new double[0]; // w_ij, dimensionless

  Cell(long id, Rng rng) {
    this.id = id;
    this.rng = rng;
  }

  /**
   * Draws γ (uniform in the configured range), the input signal and the initial jitter (N(0,
   * cellJitter²) per axis) from this cell's stream, in that order, and starts y at the signal's
   * resting value.
   */
  void initialise(SimulationConfig cfg) {
    gamma = cfg.gammaMin() + (cfg.gammaMax() - cfg.gammaMin()) * rng.nextDouble();
    input = InputSignal.draw(rng, cfg.baselineSignal());
    double sd = cfg.cellJitter();
    jx = sd * rng.gaussian();
    jy = sd * rng.gaussian();
    y = input.initialValue();
  }

  /**
   * A daughter born at frame {@code t} with its anchor offset by (ox, oy) px: a split of this
   * cell's random stream, and this cell's y, γ, input signal, role, jitter and shape.
   */
  Cell daughter(long newId, int t, double ox, double oy) {
    Cell d = new Cell(newId, rng.split());
    d.ax = ax + ox;
    d.ay = ay + oy;
    d.jx = jx;
    d.jy = jy;
    d.omega = omega;
    d.rmaxFactor = rmaxFactor;
    d.y = y;
    d.gamma = gamma;
    d.input = input.copy();
    d.excess = excess;
    d.role = role;
    d.born = t;
    d.nearest = 0;
    d.pendingParent = track;
    return d;
  }

  /** Visible in the last rendered frame, not in the border zone, not lost. */
  boolean interior() {
    return !ghost && track != 0 && !touches;
  }
}
