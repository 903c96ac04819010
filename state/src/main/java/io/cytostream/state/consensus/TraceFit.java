package io.cytostream.state.consensus;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;

/**
 * The paper's fit metric (Figs. 9–12, 14–16, Table I), streamed: per cell, the mean squared error
 * between the measured trace y_i and the trace ŷ_i re-simulated from learned parameters (k, γ_i),
 * with the measured neighbours as inputs, by the paper's forward-Euler step (its eq. 6):
 *
 * <pre>
 *   ŷ_{i,t} = ŷ_{i,t−1} + Δt_t · ( k · (X_{i,t−1} − S_{i,t−1} · ŷ_{i,t−1}) + γ_i )
 *   S_{i,t−1} = (1/|N_i|) Σ_{j ∈ Ad(i)} w_ij,   X_{i,t−1} = (1/|N_i|) Σ_{j ∈ Ad(i)} w_ij · x_{j,t−1}
 *   MSE_i = (1/n_i) Σ_t (ŷ_{i,t} − y_{i,t})²
 * </pre>
 *
 * started from the measured value, ŷ_{i,t0} = y_{i,t0}, and summed over the n_i re-simulated points
 * (the start point, exact by construction, is not counted). The neighbour set, the weights w_ij
 * ({@link NeighbourLink#weight()}) and the neighbours' x_j are those of frame t−1, as in the
 * regression rows ({@link RegressionRowBuilder}); the neighbours are always the measured ones (also
 * when they are modelled cells themselves), so each cell is re-simulated on its own.
 *
 * <p>Streaming: {@link #record} keeps, for every regression row of a cell, the step's inputs (Δt,
 * S, X, the measured y at t−1 and at t), at most {@code windowSteps} per cell (the oldest dropped;
 * 0 keeps all). {@link #evaluate} re-simulates every kept trace with the given parameters, O(kept
 * steps): with the current CRLSM solution at every frame, it is the paper's metric of the data seen
 * so far (over the last {@code windowSteps} steps), and at the end of a movie with no window it
 * equals the paper's batch computation with the final k and γ_i. Where the steps of a cell are not
 * consecutive (a frame without a row for it: on the border, a gap, unsettled normalisation) the
 * re-simulation restarts from the measured y at the first step after the break; the oldest kept
 * step is such a restart too.
 *
 * <p>Units: y and x in the model's signal units (normalised intensity), Δt in s, w_ij dimensionless
 * (S dimensionless, X in signal units), k in 1/s, γ in signal units per s; MSE in squared signal
 * units. Kafka-free; state through {@link #traces()} and {@link #restore}; not thread-safe.
 */
public final class TraceFit {

  /** Steps kept per cell by the stream's consensus stage (120 steps: 20 min at Δt = 10 s). */
  public static final int DEFAULT_WINDOW_STEPS = 120;

  /**
   * One cell's kept steps (parallel arrays, oldest first; step m goes from frame {@code
   * previousFrame[m]} to frame {@code frame[m]}). Treat the arrays as read-only.
   *
   * @param trackId the cell
   * @param frame frame index t of each step
   * @param previousFrame frame index of t−1 (a step whose t−1 is not the previous step's t starts a
   *     new re-simulation)
   * @param dt Δt of each step, s
   * @param coupling S_{i,t−1} = (1/|N_i|) Σ_j w_ij (dimensionless)
   * @param drive X_{i,t−1} = (1/|N_i|) Σ_j w_ij x_{j,t−1} (signal units)
   * @param previousY measured y_{i,t−1}
   * @param y measured y_{i,t}
   */
  public record CellTrace(
      long trackId,
      long[] frame,
      long[] previousFrame,
      double[] dt,
      double[] coupling,
      double[] drive,
      double[] previousY,
      double[] y) {

    /** Number of kept steps. */
    public int steps() {
      return frame.length;
    }

    /** This trace with one more step, keeping at most {@code window} (0: all). */
    CellTrace plus(
        long f, long pf, double dts, double s, double x, double yPrev, double yNow, int window) {
      int n = steps();
      int drop = window > 0 && n + 1 > window ? n + 1 - window : 0;
      return new CellTrace(
          trackId,
          append(frame, f, drop),
          append(previousFrame, pf, drop),
          append(dt, dts, drop),
          append(coupling, s, drop),
          append(drive, x, drop),
          append(previousY, yPrev, drop),
          append(y, yNow, drop));
    }

    private static long[] append(long[] a, long v, int drop) {
      long[] b = Arrays.copyOfRange(a, drop, a.length + 1);
      b[b.length - 1] = v;
      return b;
    }

    private static double[] append(double[] a, double v, int drop) {
      double[] b = Arrays.copyOfRange(a, drop, a.length + 1);
      b[b.length - 1] = v;
      return b;
    }

    static CellTrace empty(long trackId) {
      return new CellTrace(
          trackId,
          new long[0],
          new long[0],
          new double[0],
          new double[0],
          new double[0],
          new double[0],
          new double[0]);
    }
  }

  /**
   * The metric of the whole field of view.
   *
   * @param mse pooled MSE over every re-simulated point of every evaluated cell, Σ_i Σ_t e² / Σ_i
   *     n_i, squared signal units (NaN when no cell was evaluated)
   * @param cellMse MSE_i per track id (cells with kept steps and a γ_i), in track id order
   * @param points Σ_i n_i, the re-simulated points
   */
  public record Evaluation(double mse, Map<Long, Double> cellMse, long points) {

    /** Copies the map (keeping its order) so that the record is immutable. */
    public Evaluation {
      cellMse = Collections.unmodifiableMap(new LinkedHashMap<>(cellMse));
    }

    /** The median of the per-cell MSEs (NaN when there is none). */
    public double medianCellMse() {
      double[] v = cellMse.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (v.length == 0) {
        return Double.NaN;
      }
      return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
  }

  private final int windowSteps;
  private final TreeMap<Long, CellTrace> traces = new TreeMap<>();

  /**
   * @param windowSteps steps kept per cell (≥ 0; 0 keeps every step)
   */
  public TraceFit(int windowSteps) {
    if (windowSteps < 0) {
      throw new IllegalArgumentException("windowSteps must be >= 0: " + windowSteps);
    }
    this.windowSteps = windowSteps;
  }

  /** A fit restored from its cells' traces. */
  public static TraceFit restore(int windowSteps, Collection<CellTrace> cells) {
    TraceFit t = new TraceFit(windowSteps);
    for (CellTrace c : cells) {
      t.traces.put(c.trackId(), c);
    }
    return t;
  }

  /** Steps kept per cell (0: all). */
  public int windowSteps() {
    return windowSteps;
  }

  /** The kept traces by track id (read-only view, track id order). */
  public Map<Long, CellTrace> traces() {
    return Collections.unmodifiableMap(traces);
  }

  /**
   * Records one step for every row of frame t: the inputs are read from frame t−1 ({@code
   * previous}) and y_t from frame t ({@code current}); rows whose cell is missing from either frame
   * or has no neighbour at t−1 are skipped. Rows must come in frame order per cell.
   *
   * @param previous frame t−1 (null: nothing is recorded)
   * @param current frame t
   * @param rows the regression rows formed by these two frames (only their track ids are used)
   */
  public void record(
      ConsensusFrame previous, ConsensusFrame current, Collection<RegressionRow> rows) {
    if (previous == null || rows.isEmpty()) {
      return;
    }
    double dt = current.timeSeconds() - previous.timeSeconds();
    Map<Long, Double> before = intensities(previous);
    Map<Long, Double> now = intensities(current);
    // per cell of frame t−1: [Σ w, Σ w x_j, |N|]
    Map<Long, double[]> sums = new HashMap<>(before.size() * 2);
    for (NeighbourLink link : previous.links()) {
      Double a = before.get(link.trackI());
      Double b = before.get(link.trackJ());
      if (a == null || b == null || link.trackI() == link.trackJ()) {
        continue;
      }
      double w = link.weight();
      add(sums, link.trackI(), w, b);
      add(sums, link.trackJ(), w, a);
    }
    for (RegressionRow r : rows) {
      long id = r.trackId();
      double[] s = sums.get(id);
      Double yPrev = before.get(id);
      Double y = now.get(id);
      if (s == null || s[2] == 0 || yPrev == null || y == null) {
        continue;
      }
      CellTrace t = traces.getOrDefault(id, CellTrace.empty(id));
      traces.put(
          id,
          t.plus(
              current.frameIndex(),
              previous.frameIndex(),
              dt,
              s[0] / s[2],
              s[1] / s[2],
              yPrev,
              y,
              windowSteps));
    }
  }

  private static Map<Long, Double> intensities(ConsensusFrame f) {
    Map<Long, Double> m = new HashMap<>(f.cells().size() * 2);
    for (CellSample c : f.cells()) {
      m.put(c.trackId(), c.intensity());
    }
    return m;
  }

  private static void add(Map<Long, double[]> sums, long id, double w, double x) {
    double[] s = sums.computeIfAbsent(id, k -> new double[3]);
    s[0] += w;
    s[1] += w * x;
    s[2] += 1;
  }

  /**
   * Re-simulates every kept trace with coupling {@code k} and each cell's γ_i.
   *
   * @param k coupling, 1/s
   * @param gamma γ_i of a track id, signal units per s; a NaN γ leaves the cell out
   */
  public Evaluation evaluate(double k, LongToDoubleFunction gamma) {
    Map<Long, Double> cell = new LinkedHashMap<>();
    double sum = 0;
    long points = 0;
    for (CellTrace t : traces.values()) {
      double g = gamma.applyAsDouble(t.trackId());
      if (Double.isNaN(g) || t.steps() == 0) {
        continue;
      }
      double sse = sumOfSquaredErrors(t, k, g);
      cell.put(t.trackId(), sse / t.steps());
      sum += sse;
      points += t.steps();
    }
    return new Evaluation(points > 0 ? sum / points : Double.NaN, cell, points);
  }

  /**
   * Re-simulates with a CRLSM solution: its k, and each cell's γ_i (a parameterisation with one
   * shared γ lists it under every cell; one that fits no γ at all, an empty map, gives γ = 0; a
   * cell missing from a non-empty map is left out).
   */
  public Evaluation evaluate(ConsensusSolution s) {
    Map<Long, Double> g = s.gamma();
    return evaluate(s.k(), id -> g.isEmpty() ? 0.0 : g.getOrDefault(id, Double.NaN));
  }

  /** The re-simulated trace ŷ of one cell (one value per kept step, at its frame t). */
  public static double[] simulate(CellTrace t, double k, double gamma) {
    double[] out = new double[t.steps()];
    double yh = Double.NaN;
    for (int m = 0; m < out.length; m++) {
      if (m == 0 || t.previousFrame()[m] != t.frame()[m - 1]) {
        yh = t.previousY()[m];
      }
      yh += t.dt()[m] * (k * (t.drive()[m] - t.coupling()[m] * yh) + gamma);
      out[m] = yh;
    }
    return out;
  }

  private static double sumOfSquaredErrors(CellTrace t, double k, double gamma) {
    double[] yh = simulate(t, k, gamma);
    double sse = 0;
    for (int m = 0; m < yh.length; m++) {
      double e = yh[m] - t.y()[m];
      sse += e * e;
    }
    return sse;
  }

  /**
   * Drops a cell's trace (a retired cell: its γ is no longer published, so it would be left out of
   * the metric anyway, and its stored record is gone).
   */
  public void forget(long trackId) {
    traces.remove(trackId);
  }

  /** The track ids with kept steps, ascending. */
  public List<Long> tracks() {
    return List.copyOf(traces.keySet());
  }
}
