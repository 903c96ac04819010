package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streaming CRLSM of the consensus model for one field of view: keeps the sufficient statistics of
 * every cell's regression rows ({@link CellStatistics}) and solves, on request, the bounded
 * Tikhonov problem of {@link CrlsmConfig} exactly over θ = [k, γ_1 … γ_G].
 *
 * <p>The objective's row weight (Δt² for the paper's Δy rows, 1 for rate rows) enters the sums as
 * each row is added; the IV estimator keeps the instrument's sums too and forms the two-stage least
 * squares sums at {@link #solve} ({@link #instrument}), so both objectives and both estimators are
 * solved exactly by the same arrow-structured QP.
 *
 * <p>Per frame, {@link #update} costs O(rows) and {@link #solve} O(G log G) (eq. 3: sort of the at
 * most 2G breakpoints of the reduced objective in k, see {@link ArrowQp}; eqs. 1 and 2: O(G)). With
 * forgetting ρ = 1 the solution equals the offline CRLSM on the same rows ({@link
 * BatchCrlsmSolver}) to rounding.
 *
 * <p>Cells whose track ended (lost, divided, left the field) keep their statistics: their rows
 * still constrain the shared k, and the offline CRLSM keeps them too. Their γ stays in the
 * solution. With {@link CrlsmConfig#maxIdleFrames()} &gt; 0 a cell without rows for more than that
 * many frames is dropped (a retention policy for long runs with forgetting, where old cells carry
 * no weight anyway).
 *
 * <p>State: {@link #snapshot()} / {@link #restore} (immutable records). Not thread-safe.
 */
public final class StreamingCrlsm {

  /**
   * The whole state.
   *
   * @param config the fit's configuration
   * @param cells statistics of every cell, in track id order
   * @param currentFrame the latest frame index seen (Long.MIN_VALUE before any)
   * @param framesUsed frames that contributed at least one row
   * @param rowsUsed rows added (of cells still kept)
   * @param sumDtSeconds Σ Δt over the rows added, in seconds
   */
  public record Snapshot(
      CrlsmConfig config,
      List<CellStatistics> cells,
      long currentFrame,
      long framesUsed,
      long rowsUsed,
      double sumDtSeconds) {

    /** Copies the list so that the record is immutable. */
    public Snapshot {
      cells = List.copyOf(cells);
    }
  }

  private final CrlsmConfig config;
  private final TreeMap<Long, CellStatistics> cells = new TreeMap<>();
  private final ArrowQp qp = new ArrowQp();
  private long currentFrame = Long.MIN_VALUE;
  private long framesUsed;
  private long rowsUsed;
  private double sumDt;

  private double[] wa = new double[0];
  private double[] wb = new double[0];
  private double[] wn = new double[0];
  private double[] wc = new double[0];
  private double[] wd = new double[0];
  private double[] wg = new double[0];
  private double[] ww = new double[0];
  private double[] ws = new double[0];
  private double[] wss = new double[0];
  private double[] wsp = new double[0];
  private double[] wsz = new double[0];
  private CellStatistics[] st = new CellStatistics[0];
  private long[] ids = new long[0];

  /** An empty fit. */
  public StreamingCrlsm(CrlsmConfig config) {
    this.config = config;
  }

  /** Restores a fit from its snapshot. */
  public static StreamingCrlsm restore(Snapshot s) {
    StreamingCrlsm c = new StreamingCrlsm(s.config());
    for (CellStatistics st : s.cells()) {
      c.cells.put(st.trackId(), st);
    }
    c.currentFrame = s.currentFrame();
    c.framesUsed = s.framesUsed();
    c.rowsUsed = s.rowsUsed();
    c.sumDt = s.sumDtSeconds();
    return c;
  }

  /** The state as an immutable record. */
  public Snapshot snapshot() {
    return new Snapshot(
        config, new ArrayList<>(cells.values()), currentFrame, framesUsed, rowsUsed, sumDt);
  }

  /** The configuration. */
  public CrlsmConfig config() {
    return config;
  }

  /** The per-cell statistics (as of each cell's last row), in track id order; read-only view. */
  public Map<Long, CellStatistics> statistics() {
    return Collections.unmodifiableMap(cells);
  }

  /** The latest frame index seen. */
  public long currentFrame() {
    return currentFrame;
  }

  /**
   * Adds the rows of frame {@code frameIndex} (any number, for any cells; each row's own frame
   * index, ≤ {@code frameIndex}, sets its weight). A frame may be announced with no rows so that
   * forgetting advances. Rows of one cell must come in non-decreasing frame order.
   *
   * @throws IllegalArgumentException if a row is older than the cell's last row
   */
  public void update(long frameIndex, Collection<RegressionRow> rows) {
    currentFrame = Math.max(currentFrame, frameIndex);
    double rho = config.forgetting();
    boolean iv = config.estimator() == CrlsmConfig.Estimator.IV;
    boolean any = false;
    for (RegressionRow r : rows) {
      // eq. 1 fits one cell; IV needs the row's instrument (a track's first row has none)
      if (!config.fits(r.trackId()) || (iv && !r.hasInstrument())) {
        continue;
      }
      CellStatistics s = cells.get(r.trackId());
      if (s == null) {
        s = CellStatistics.empty(r.trackId(), r.frameIndex());
      } else if (r.frameIndex() < s.frame()) {
        throw new IllegalArgumentException(
            "row of track " + r.trackId() + " for frame " + r.frameIndex() + " after " + s.frame());
      }
      cells.put(r.trackId(), s.plus(r, rho, config.objective().rowWeight(r.dtSeconds())));
      currentFrame = Math.max(currentFrame, r.frameIndex());
      rowsUsed++;
      sumDt += r.dtSeconds();
      any = true;
    }
    if (any) {
      framesUsed++;
    }
    if (config.maxIdleFrames() > 0) {
      var it = cells.values().iterator();
      while (it.hasNext()) {
        CellStatistics s = it.next();
        if (currentFrame - s.frame() > config.maxIdleFrames()) {
          rowsUsed -= s.rows();
          it.remove();
        }
      }
    }
  }

  /** {@link #update} then {@link #solve}. */
  public ConsensusSolution updateAndSolve(long frameIndex, Collection<RegressionRow> rows) {
    update(frameIndex, rows);
    return solve();
  }

  /**
   * Solves the CRLSM over all kept cells, with every cell's statistics decayed to the current
   * frame.
   */
  public ConsensusSolution solve() {
    int g = cells.size();
    ensureCapacity(g);
    double rho = config.forgetting();
    int i = 0;
    double countSum = 0;
    for (CellStatistics s : cells.values()) {
      double w =
          (rho == 1.0 || s.frame() >= currentFrame) ? 1.0 : Math.pow(rho, currentFrame - s.frame());
      ids[i] = s.trackId();
      st[i] = s;
      ww[i] = w;
      wa[i] = w * s.sumPhiPhi();
      wb[i] = w * s.sumPhi();
      wn[i] = w * s.weight();
      wc[i] = w * s.sumPhiZ();
      wd[i] = w * s.sumZ();
      ws[i] = w * s.sumZeta();
      wss[i] = w * s.sumZetaZeta();
      wsp[i] = w * s.sumZetaPhi();
      wsz[i] = w * s.sumZetaZ();
      countSum += w * s.count();
      i++;
    }
    return switch (config.parameterisation()) {
      case EQ3 -> solvePerCell(g, countSum);
      case EQ1, EQ2 -> solveShared(g, countSum);
    };
  }

  /**
   * The instrumental-variables (two-stage least squares) form of the per-cell sums: the first stage
   * fits φ = α_i + π ζ over all rows (π pooled within cells, α_i per cell: the γ columns instrument
   * themselves), the second stage is the CRLSM with φ replaced by the fitted φ̂. Only a_i = Σφ̂²
   * and c_i = Σφ̂z change (Σφ̂ = Σφ); entries [0, g) of {@code a} and {@code c} are overwritten.
   */
  static void instrument(
      int g,
      double[] a,
      double[] b,
      double[] n,
      double[] c,
      double[] d,
      double[] zs,
      double[] zz,
      double[] zp,
      double[] zy) {
    // π = Σ_i (Σζφ − ΣζΣφ/n)_i / Σ_i (Σζ² − (Σζ)²/n)_i
    double czz = 0;
    double czp = 0;
    for (int i = 0; i < g; i++) {
      if (n[i] > 0) {
        czz += zz[i] - zs[i] * zs[i] / n[i];
        czp += zp[i] - zs[i] * b[i] / n[i];
      }
    }
    double pi = czz > 0 ? czp / czz : 0;
    for (int i = 0; i < g; i++) {
      if (n[i] > 0) {
        // α_i = (Σφ − π Σζ) / n
        double alpha = (b[i] - pi * zs[i]) / n[i];
        // Σφ̂² = n α² + 2 α π Σζ + π² Σζ²
        a[i] = n[i] * alpha * alpha + 2 * alpha * pi * zs[i] + pi * pi * zz[i];
        // Σφ̂z = α Σz + π Σζz
        c[i] = alpha * d[i] + pi * zy[i];
      }
    }
  }

  private boolean iv() {
    return config.estimator() == CrlsmConfig.Estimator.IV;
  }

  private ConsensusSolution solvePerCell(int g, double countSum) {
    if (iv()) {
      instrument(g, wa, wb, wn, wc, wd, ws, wss, wsp, wsz);
    }
    double lambda = config.lambda();
    double gLo = config.gammaMin();
    double gHi = config.gammaMax();
    double k = qp.solve(g, wa, wb, wn, wc, wd, lambda, config.kMin(), config.kMax(), gLo, gHi, wg);
    double rss = 0;
    double reg = k * k;
    double schur = lambda;
    int free = 0;
    for (int i = 0; i < g; i++) {
      double gi = wg[i];
      rss += ww[i] * st[i].residualSumOfSquares(k, gi);
      reg += gi * gi;
      schur += wa[i];
      if (gi > gLo && gi < gHi) {
        free++;
        schur -= wb[i] * wb[i] / (wn[i] + lambda);
      }
    }
    boolean kFree = k > config.kMin() && k < config.kMax();
    if (kFree) {
      free++;
    }
    double sigma2 = residualVariance(rss, countSum, free);
    Map<Long, Double> gamma = new HashMap<>(2 * g);
    Map<Long, Double> se = new HashMap<>(2 * g);
    for (int i = 0; i < g; i++) {
      gamma.put(ids[i], wg[i]);
      double di = wn[i] + lambda;
      double var;
      if (!(wg[i] > gLo && wg[i] < gHi)) {
        var = Double.NaN;
      } else if (kFree) {
        // [H_FF⁻¹]_γγ of the arrow matrix: 1/D_i + (b_i/D_i)² / S, S the Schur complement.
        var = sigma2 * (1 / di + (wb[i] / di) * (wb[i] / di) / schur);
      } else {
        var = sigma2 / di;
      }
      se.put(ids[i], Math.sqrt(var));
    }
    double kSe = kFree ? Math.sqrt(sigma2 / schur) : Double.NaN;
    return solution(
        k, kSe, gamma, se, sigma2, countSum, 0.5 * Math.max(rss, 0) + 0.5 * lambda * reg);
  }

  private ConsensusSolution solveShared(int g, double countSum) {
    double[] a = {0};
    double[] b = {0};
    double[] n = {0};
    double[] c = {0};
    double[] d = {0};
    double[] zs = {0};
    double[] zz = {0};
    double[] zp = {0};
    double[] zy = {0};
    double sumZz = 0;
    for (int i = 0; i < g; i++) {
      a[0] += wa[i];
      b[0] += wb[i];
      n[0] += wn[i];
      c[0] += wc[i];
      d[0] += wd[i];
      zs[0] += ws[i];
      zz[0] += wss[i];
      zp[0] += wsp[i];
      zy[0] += wsz[i];
      sumZz += ww[i] * st[i].sumZZ();
    }
    CellStatistics pooled = pooled(a[0], b[0], n[0], c[0], d[0], sumZz);
    if (iv()) {
      instrument(1, a, b, n, c, d, zs, zz, zp, zy);
    }
    double lambda = config.lambda();
    double[] gam = {0};
    double k =
        qp.solve(
            1,
            a,
            b,
            n,
            c,
            d,
            lambda,
            config.kMin(),
            config.kMax(),
            config.gammaMin(),
            config.gammaMax(),
            gam);
    double gs = gam[0];
    double rss = pooled.residualSumOfSquares(k, gs);
    boolean kFree = k > config.kMin() && k < config.kMax();
    boolean gFree = gs > config.gammaMin() && gs < config.gammaMax();
    double sigma2 = residualVariance(rss, countSum, (kFree ? 1 : 0) + (gFree ? 1 : 0));
    double hkk = lambda + a[0];
    double hgg = lambda + n[0];
    double det = hkk * hgg - b[0] * b[0];
    double kVar = !kFree ? Double.NaN : (gFree ? sigma2 * hgg / det : sigma2 / hkk);
    double gVar = !gFree ? Double.NaN : (kFree ? sigma2 * hkk / det : sigma2 / hgg);
    Map<Long, Double> gamma = new HashMap<>(2 * g);
    Map<Long, Double> se = new HashMap<>(2 * g);
    for (int i = 0; i < g; i++) {
      gamma.put(ids[i], gs);
      se.put(ids[i], Math.sqrt(gVar));
    }
    return solution(
        k,
        Math.sqrt(kVar),
        gamma,
        se,
        sigma2,
        countSum,
        0.5 * Math.max(rss, 0) + 0.5 * lambda * (k * k + gs * gs));
  }

  /** The pooled (decayed) sums of all cells, as one cell's statistics: for the shared RSS. */
  private CellStatistics pooled(
      double sumPhiPhi, double sumPhi, double weight, double sumPhiZ, double sumZ, double sumZz) {
    return new CellStatistics(0, sumPhiPhi, sumPhi, weight, sumPhiZ, sumZ, sumZz, 0, currentFrame);
  }

  private static double residualVariance(double rss, double weightSum, int free) {
    return weightSum > free ? Math.max(rss, 0) / (weightSum - free) : Double.NaN;
  }

  private ConsensusSolution solution(
      double k,
      double kSe,
      Map<Long, Double> gamma,
      Map<Long, Double> se,
      double sigma2,
      double weightSum,
      double objective) {
    return new ConsensusSolution(
        config.parameterisation(),
        k,
        kSe,
        gamma,
        se,
        sigma2,
        rowsUsed,
        framesUsed,
        weightSum,
        objective,
        rowsUsed > 0 ? sumDt / rowsUsed : Double.NaN,
        config);
  }

  private void ensureCapacity(int g) {
    if (wa.length < g) {
      int cap = Math.max(g, 2 * wa.length);
      wa = new double[cap];
      wb = new double[cap];
      wn = new double[cap];
      wc = new double[cap];
      wd = new double[cap];
      wg = new double[cap];
      ww = new double[cap];
      ws = new double[cap];
      wss = new double[cap];
      wsp = new double[cap];
      wsz = new double[cap];
      st = new CellStatistics[cap];
      ids = new long[cap];
    }
  }
}
