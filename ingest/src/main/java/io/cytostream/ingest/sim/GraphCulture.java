package io.cytostream.ingest.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A culture reduced to its neighbour graph, without images: the same {@link ConsensusModel} step as
 * {@link CultureSimulator}, on a fixed graph given link by link, for tests and benchmarks that need
 * calcium traces with known k and γ_i but no segmentation or tracking.
 *
 * <p>Cell i (0-based) is either an <em>input</em> cell, whose y follows a prescribed {@link Input}
 * signal, or an interior cell, whose y takes the Euler step y_i(t) = y_i(t−1) + Δt·(k·φ_i + γ_i) +
 * excess_i(t) with φ_i = (1/|N_i|) Σ_j w_ij·(y_j(t−1) − y_i(t−1)) over its links in the order they
 * were added. Units: y in signal units, Δt in s, k per s per unit of the link weight, w_ij in the
 * caller's unit (e.g. u_ij·l_ij in px², or that over a coupling scale), γ_i in signal units/s.
 *
 * <p>No randomness of its own: observation or process noise is the caller's (pass process noise as
 * the step's excess). Not thread-safe.
 */
public final class GraphCulture {

  /** The prescribed y of an input cell. */
  @FunctionalInterface
  public interface Input {
    /**
     * y of input cell {@code cell} at frame {@code frame}, signal units.
     *
     * @param cell the cell, 0-based
     * @param frame the frame whose state is being computed (≥ 1)
     */
    double value(int cell, long frame);
  }

  /**
   * One undirected link.
   *
   * @param i one cell, 0-based
   * @param j the other cell
   * @param weight w_ij, in the caller's weight unit
   */
  public record Link(int i, int j, double weight) {}

  private final int n;
  private final double dt;
  private final Input input;
  private final boolean[] isInput;
  private final double[] gamma;
  private final List<Link> links = new ArrayList<>();
  private final int[][] nbr;
  private final double[][] nbrWeight;
  private double k;
  private double[] y;
  private long frame;

  /**
   * A culture of {@code cells} interior cells at y = 0 with γ = 0 and no links.
   *
   * @param k the coupling, per s per unit weight
   * @param dtSeconds Δt, s (> 0)
   * @param input the signal of the cells marked with {@link #markInput}
   */
  public GraphCulture(int cells, double k, double dtSeconds, Input input) {
    if (cells < 1 || !(dtSeconds > 0) || !Double.isFinite(k)) {
      throw new IllegalArgumentException("need cells >= 1, dtSeconds > 0 and a finite k");
    }
    this.n = cells;
    this.k = k;
    this.dt = dtSeconds;
    this.input = input;
    this.isInput = new boolean[cells];
    this.gamma = new double[cells];
    this.y = new double[cells];
    this.nbr = new int[cells][0];
    this.nbrWeight = new double[cells][0];
  }

  /** Adds the undirected link i–j with weight w (a cell's neighbours keep the order of adding). */
  public GraphCulture link(int i, int j, double weight) {
    if (i == j) {
      throw new IllegalArgumentException("a cell is not its own neighbour: " + i);
    }
    links.add(new Link(i, j, weight));
    append(i, j, weight);
    append(j, i, weight);
    return this;
  }

  private void append(int i, int j, double w) {
    nbr[i] = Arrays.copyOf(nbr[i], nbr[i].length + 1);
    nbr[i][nbr[i].length - 1] = j;
    nbrWeight[i] = Arrays.copyOf(nbrWeight[i], nbrWeight[i].length + 1);
    nbrWeight[i][nbrWeight[i].length - 1] = w;
  }

  /** Makes cell i an input cell (its y follows the input signal from the next step on). */
  public GraphCulture markInput(int i) {
    isInput[i] = true;
    return this;
  }

  /** Number of cells. */
  public int cells() {
    return n;
  }

  /** Whether cell i is an input cell. */
  public boolean isInput(int i) {
    return isInput[i];
  }

  /** The links, in the order added. */
  public List<Link> links() {
    return List.copyOf(links);
  }

  /** The neighbours of cell i, in the order their links were added. */
  public int[] neighbours(int i) {
    return nbr[i].clone();
  }

  /** The current frame index (0 before the first step). */
  public long frame() {
    return frame;
  }

  /** y of cell i in the current frame, signal units. */
  public double y(int i) {
    return y[i];
  }

  /** Sets y of cell i in the current frame (an initial value, or an injected jump). */
  public void setY(int i, double value) {
    y[i] = value;
  }

  /** γ_i, signal units/s. */
  public double gamma(int i) {
    return gamma[i];
  }

  /** Sets γ_i from the next step on. */
  public void setGamma(int i, double value) {
    gamma[i] = value;
  }

  /** The coupling k in force, per s per unit weight. */
  public double k() {
    return k;
  }

  /** Changes k from the next step on. */
  public void setK(double value) {
    k = value;
  }

  /** One step without excess. */
  public void step() {
    step(null);
  }

  /**
   * Advances every cell from the current frame to the next: input cells take their signal at the
   * new frame, interior cells the Euler step plus {@code excess[i]} (null: none).
   */
  public void step(double[] excess) {
    long next = frame + 1;
    double[] ny = new double[n];
    for (int i = 0; i < n; i++) {
      if (isInput[i]) {
        ny[i] = input.value(i, next);
      } else {
        int[] nb = nbr[i];
        double[] w = nbrWeight[i];
        double yi = y[i];
        double phi = ConsensusModel.coupling(yi, nb.length, j -> w[j], j -> y[nb[j]]);
        ny[i] = ConsensusModel.step(yi, dt, k, phi, gamma[i], excess == null ? 0 : excess[i]);
      }
    }
    y = ny;
    frame = next;
  }
}
