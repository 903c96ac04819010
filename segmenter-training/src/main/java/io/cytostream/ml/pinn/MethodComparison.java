package io.cytostream.ml.pinn;

import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.ConsensusSolution;
import io.cytostream.state.consensus.CrlsmConfig;
import io.cytostream.state.consensus.NeighbourLink;
import io.cytostream.state.consensus.RegressionRow;
import io.cytostream.state.consensus.RegressionRowBuilder;
import io.cytostream.state.consensus.StreamingCrlsm;
import io.cytostream.state.consensus.TraceFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits one sequence of {@link ConsensusFrame}s with both of the paper's methods — the streaming
 * CRLSM ({@link StreamingCrlsm}, the service's estimator, paper configuration: λ, box, one γ per
 * cell) and the PINN ({@link ConsensusPinn}) — on the same cells (those the CRLSM has rows for) and
 * judges both the same way: the paper's trace MSE ({@link TraceFit} over the whole movie, measured
 * neighbours as inputs) and, where the truth is known, the relative errors of k and of γ_i.
 *
 * <p>Units: k in 1/s, γ in y/s, MSE in squared y units, times in s.
 */
public final class MethodComparison {

  /**
   * One method's result on one sequence.
   *
   * @param method {@code CRLSM} or {@code PINN}
   * @param k the fitted coupling, 1/s
   * @param kRelError |k/k_true − 1| (NaN without truth)
   * @param medianGammaRelError median over cells of |γ_i/γ_i,true − 1| (NaN without truth)
   * @param traceMse pooled trace MSE of the re-simulation with this method's k, γ_i
   * @param seconds fitting time, s (CRLSM: building the rows, the streaming update and the exact
   *     solve at every frame, summed; PINN: building the graph and training)
   */
  public record Result(
      String method,
      double k,
      double kRelError,
      double medianGammaRelError,
      double traceMse,
      double seconds) {}

  /**
   * Both methods on one sequence.
   *
   * @param cells cells fitted
   * @param frames frames
   * @param truthTraceMse the trace MSE of the true parameters (the noise floor; NaN without truth)
   * @param crlsm the CRLSM's result
   * @param pinn the PINN's result
   * @param pinnDataLoss the PINN's final L_data
   * @param pinnPhysicsLoss the PINN's final L_F
   */
  public record Outcome(
      int cells,
      int frames,
      double truthTraceMse,
      Result crlsm,
      Result pinn,
      double pinnDataLoss,
      double pinnPhysicsLoss) {}

  private MethodComparison() {}

  /**
   * Runs both methods.
   *
   * @param trueK the true k, or NaN
   * @param trueGamma the true γ_i by track id, or an empty map
   */
  public static Outcome run(
      List<ConsensusFrame> frames,
      double trueK,
      Map<Long, Double> trueGamma,
      ConsensusPinn.Config pinnConfig) {
    RegressionRowBuilder builder = new RegressionRowBuilder();
    StreamingCrlsm crlsm = new StreamingCrlsm(CrlsmConfig.paper());
    TraceFit traces = new TraceFit(0);
    ConsensusSolution sol = null;
    long fitNanos = 0;
    for (ConsensusFrame f : frames) {
      ConsensusFrame prev = builder.previous();
      long t0 = System.nanoTime();
      List<RegressionRow> rows = builder.accept(f);
      sol = crlsm.updateAndSolve(f.frameIndex(), rows);
      fitNanos += System.nanoTime() - t0;
      traces.record(prev, f, rows);
    }
    double crlsmSeconds = fitNanos / 1e9;
    if (sol == null || sol.rowsUsed() == 0) {
      throw new IllegalArgumentException("no regression rows: no interior cell with neighbours");
    }
    ConsensusSolution s = sol;
    List<Long> ids = new ArrayList<>(s.gamma().keySet());
    ids.sort(Long::compare);

    ConsensusPinn.Data data = data(frames, ids);
    ConsensusPinn.Fit fit = ConsensusPinn.train(data, pinnConfig);
    Map<Long, Double> pinnGamma = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      pinnGamma.put(ids.get(i), fit.gamma()[i]);
    }

    boolean truth = Double.isFinite(trueK) && !trueGamma.isEmpty();
    double truthMse =
        truth
            ? traces.evaluate(trueK, id -> trueGamma.getOrDefault(id, Double.NaN)).mse()
            : Double.NaN;
    Result c =
        new Result(
            "CRLSM",
            s.k(),
            truth ? Math.abs(s.k() / trueK - 1) : Double.NaN,
            truth ? medianRelError(s.gamma(), trueGamma) : Double.NaN,
            traces.evaluate(s).mse(),
            crlsmSeconds);
    Result p =
        new Result(
            "PINN",
            fit.k(),
            truth ? Math.abs(fit.k() / trueK - 1) : Double.NaN,
            truth ? medianRelError(pinnGamma, trueGamma) : Double.NaN,
            traces.evaluate(fit.k(), id -> pinnGamma.getOrDefault(id, Double.NaN)).mse(),
            fit.seconds());
    return new Outcome(
        ids.size(), frames.size(), truthMse, c, p, fit.dataLoss(), fit.physicsLoss());
  }

  /**
   * The PINN's data: for every frame and every cell of {@code ids}, its y, S = (1/|N|) Σ w and X =
   * (1/|N|) Σ w x_j from the frame's links (the regression rows' neighbour rule); a cell absent, on
   * the border or without neighbours in a frame is not observed there.
   */
  public static ConsensusPinn.Data data(List<ConsensusFrame> frames, List<Long> ids) {
    int n = frames.size();
    int g = ids.size();
    Map<Long, Integer> col = new HashMap<>();
    for (int i = 0; i < g; i++) {
      col.put(ids.get(i), i);
    }
    double[] t = new double[n];
    double[][] y = new double[n][g];
    double[][] s = new double[n][g];
    double[][] x = new double[n][g];
    boolean[][] obs = new boolean[n][g];
    for (int f = 0; f < n; f++) {
      ConsensusFrame fr = frames.get(f);
      t[f] = fr.timeSeconds();
      Map<Long, CellSample> cells = new HashMap<>();
      for (CellSample c : fr.cells()) {
        cells.put(c.trackId(), c);
      }
      double[] deg = new double[g];
      for (NeighbourLink l : fr.links()) {
        CellSample a = cells.get(l.trackI());
        CellSample b = cells.get(l.trackJ());
        if (a == null || b == null || a.trackId() == b.trackId()) {
          continue;
        }
        accumulate(col.get(a.trackId()), l.weight(), b.intensity(), s[f], x[f], deg);
        accumulate(col.get(b.trackId()), l.weight(), a.intensity(), s[f], x[f], deg);
      }
      for (int i = 0; i < g; i++) {
        CellSample c = cells.get(ids.get(i));
        if (c != null && !c.onBorder() && deg[i] > 0 && Double.isFinite(c.intensity())) {
          obs[f][i] = true;
          y[f][i] = c.intensity();
          s[f][i] /= deg[i];
          x[f][i] /= deg[i];
        } else {
          s[f][i] = 0;
          x[f][i] = 0;
        }
      }
    }
    return new ConsensusPinn.Data(t, y, s, x, obs);
  }

  private static void accumulate(
      Integer i, double w, double xj, double[] s, double[] x, double[] deg) {
    if (i == null) {
      return;
    }
    s[i] += w;
    x[i] += w * xj;
    deg[i] += 1;
  }

  static double medianRelError(Map<Long, Double> est, Map<Long, Double> truth) {
    double[] rel =
        est.entrySet().stream()
            .filter(e -> truth.containsKey(e.getKey()))
            .mapToDouble(e -> Math.abs(e.getValue() / truth.get(e.getKey()) - 1))
            .sorted()
            .toArray();
    if (rel.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(rel);
    return rel.length % 2 == 1
        ? rel[rel.length / 2]
        : 0.5 * (rel[rel.length / 2 - 1] + rel[rel.length / 2]);
  }
}
