package io.cytostream.state.consensus;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The solve step of {@link StreamingCrlsm}: loads every cell's statistics (live cells, then retired
 * cells kept whole, then the pooled retired cells), decayed to the current frame, into work arrays
 * reused from solve to solve, and solves eq. 3 per cell ({@link ArrowQp}, the folded retired cells
 * through their sums) or eqs. 1 and 2 on the pooled sums. Not thread-safe.
 */
final class CrlsmSolve {
  private final CrlsmConfig config;
  private final ArrowQp qp = new ArrowQp();
  private double lastK = Double.NaN;
  private long currentFrame;
  private long rowsUsed;
  private long framesUsed;
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

  CrlsmSolve(CrlsmConfig config) {
    this.config = config;
  }

  /** The k of the last eq. 3 solve (NaN before any). */
  double lastK() {
    return lastK;
  }

  /**
   * Solves over {@code cells} (published, in this order) and the retired cells, every cell's
   * statistics decayed to {@code currentFrame}; the counters go into the solution as they are.
   */
  ConsensusSolution solve(
      Collection<CellStatistics> cells,
      RetiredCells retired,
      long currentFrame,
      long rowsUsed,
      long framesUsed,
      double sumDt) {
    this.currentFrame = currentFrame;
    this.rowsUsed = rowsUsed;
    this.framesUsed = framesUsed;
    this.sumDt = sumDt;
    CellStatistics pooled = retired.pooled();
    int active = cells.size();
    int g = active + retired.kept().size() + (pooled == null ? 0 : 1);
    ensureCapacity(g);
    int i = 0;
    double[] sums = new double[1]; // Σ count: the effective number of rows
    for (CellStatistics s : cells) {
      load(i++, s, sums);
    }
    // retired cells kept whole (eq. 3) or pooled (eqs. 1, 2): in the fit, γ not published
    for (CellStatistics s : retired.kept()) {
      load(i++, s, sums);
    }
    if (pooled != null) {
      load(i, pooled, sums);
    }
    return switch (config.parameterisation()) {
      case EQ3 -> solvePerCell(g, active, sums[0] + retired.foldCount(), retired);
      case EQ1, EQ2 -> solveShared(g, active, sums[0]);
    };
  }

  /**
   * Puts one cell's statistics (the instrument's sums too), decayed to the current frame, at index
   * i of the work arrays; adds its decayed count to {@code sums[0]}.
   */
  private void load(int i, CellStatistics s, double[] sums) {
    double rho = config.forgetting();
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
    sums[0] += w * s.count();
  }

  private boolean iv() {
    return config.estimator() == CrlsmConfig.Estimator.IV;
  }

  /**
   * Eq. 3 over {@code g} cells, of which the first {@code active} are published (the rest are
   * retired cells kept whole); the folded retired cells enter through their sums.
   */
  private ConsensusSolution solvePerCell(int g, int active, double countSum, RetiredCells retired) {
    if (iv()) {
      IvSums.instrument(g, wa, wb, wn, wc, wd, ws, wss, wsp, wsz);
    }
    double lambda = config.lambda();
    double gLo = config.gammaMin();
    double gHi = config.gammaMax();
    double k =
        qp.solve(
            g,
            wa,
            wb,
            wn,
            wc,
            wd,
            lambda,
            config.kMin(),
            config.kMax(),
            gLo,
            gHi,
            wg,
            retired.foldCurvature(),
            retired.foldLinear());
    lastK = k;
    double rss = retired.foldRss(k);
    double reg = retired.regularisationAt(k);
    double schur = lambda + retired.foldCurvature();
    int free = (int) retired.foldFree();
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
    Map<Long, Double> gamma = new HashMap<>(2 * active);
    Map<Long, Double> se = new HashMap<>(2 * active);
    for (int i = 0; i < active; i++) {
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

  private ConsensusSolution solveShared(int g, int active, double countSum) {
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
    CellStatistics all = pooled(a[0], b[0], n[0], c[0], d[0], sumZz);
    if (iv()) {
      IvSums.instrument(1, a, b, n, c, d, zs, zz, zp, zy);
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
    double rss = all.residualSumOfSquares(k, gs);
    boolean kFree = k > config.kMin() && k < config.kMax();
    boolean gFree = gs > config.gammaMin() && gs < config.gammaMax();
    double sigma2 = residualVariance(rss, countSum, (kFree ? 1 : 0) + (gFree ? 1 : 0));
    double hkk = lambda + a[0];
    double hgg = lambda + n[0];
    double det = hkk * hgg - b[0] * b[0];
    double kVar = !kFree ? Double.NaN : (gFree ? sigma2 * hgg / det : sigma2 / hkk);
    double gVar = !gFree ? Double.NaN : (kFree ? sigma2 * hkk / det : sigma2 / hgg);
    Map<Long, Double> gamma = new HashMap<>(2 * active);
    Map<Long, Double> se = new HashMap<>(2 * active);
    for (int i = 0; i < active; i++) {
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
