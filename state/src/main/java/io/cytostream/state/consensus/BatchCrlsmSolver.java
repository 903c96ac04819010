package io.cytostream.state.consensus;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The offline CRLSM, solved independently of {@link StreamingCrlsm} for tests and benchmarks: it
 * builds the full design matrix A (rows × p, p = 1 + G for eq. 3, 2 for eqs. 1 and 2) and the
 * right-hand side z of the objective's rows (the paper's Δy rows [Δt φ, Δt e_i] against Δy, or rate
 * rows [φ, e_i] against z = Δy/Δt), forms the normal equations H = AᵀA + λI, g = Aᵀz with EJML, and
 * solves
 *
 * <pre>
 *   min ½ θᵀHθ − gᵀθ   subject to  lo ≤ θ ≤ hi
 * </pre>
 *
 * (equal, up to a constant, to ½‖Aθ − z‖² + (λ/2)‖θ‖²) with a primal active-set method (Nocedal
 * &amp; Wright, Algorithm 16.3): each iteration solves the equality-constrained problem on the free
 * variables by Cholesky, takes the longest feasible step, fixes a blocking variable at its bound
 * or, at a stationary point, releases the variable with the most negative multiplier. H is positive
 * definite (λ &gt; 0), so the method terminates with the exact optimum. Rows are weighted by ρ^(F −
 * f) for forgetting as in {@link CrlsmConfig}. The IV estimator replaces A by its projection on the
 * instruments, Â = Z(ZᵀZ)⁻¹ZᵀA with Z = A whose φ column holds the instrument ζ (explicit two-stage
 * least squares). Cost O(N p²) to form H, O(p³) per iteration; this is the baseline the streaming
 * fit is measured against, not meant for the hot path.
 */
public final class BatchCrlsmSolver {

  private BatchCrlsmSolver() {}

  /** Solves over all rows, with the current frame taken as the latest row's frame. */
  public static ConsensusSolution solve(List<RegressionRow> rows, CrlsmConfig config) {
    long f = Long.MIN_VALUE;
    for (RegressionRow r : rows) {
      f = Math.max(f, r.frameIndex());
    }
    return solve(rows, config, f);
  }

  /**
   * Solves the CRLSM over the given rows as seen at frame {@code currentFrame} (which sets the
   * forgetting weights).
   */
  public static ConsensusSolution solve(
      List<RegressionRow> all, CrlsmConfig config, long currentFrame) {
    boolean iv = config.estimator() == CrlsmConfig.Estimator.IV;
    List<RegressionRow> rows = new java.util.ArrayList<>(all.size());
    for (RegressionRow r : all) {
      if (config.fits(r.trackId()) && (!iv || r.hasInstrument())) {
        rows.add(r);
      }
    }
    TreeSet<Long> tracks = new TreeSet<>();
    Set<Long> frames = new HashSet<>();
    double sumDt = 0;
    for (RegressionRow r : rows) {
      tracks.add(r.trackId());
      frames.add(r.frameIndex());
      sumDt += r.dtSeconds();
    }
    Map<Long, Integer> column = new HashMap<>();
    for (long t : tracks) {
      column.put(t, column.size());
    }
    CrlsmConfig.Parameterisation par = config.parameterisation();
    int p = par == CrlsmConfig.Parameterisation.EQ3 ? 1 + tracks.size() : 2;
    int m = rows.size();
    // Rows of the objective: Δy rows [Δt φ, Δt e_i] θ = Δy, or rate rows [φ, e_i] θ = z, each
    // scaled by √(forgetting weight).
    DMatrixRMaj a = new DMatrixRMaj(m, p);
    DMatrixRMaj z = new DMatrixRMaj(m, 1);
    DMatrixRMaj inst = new DMatrixRMaj(m, p);
    double weightSum = 0;
    for (int r = 0; r < m; r++) {
      RegressionRow row = rows.get(r);
      double w = Math.pow(config.forgetting(), currentFrame - row.frameIndex());
      double scale = config.objective() == CrlsmConfig.Objective.DELTA_Y ? row.dtSeconds() : 1.0;
      double sw = Math.sqrt(w) * scale;
      weightSum += w;
      int gj = par == CrlsmConfig.Parameterisation.EQ3 ? 1 + column.get(row.trackId()) : 1;
      a.set(r, 0, sw * row.phi());
      a.set(r, gj, sw);
      inst.set(r, 0, row.hasInstrument() ? sw * row.instrument() : 0);
      inst.set(r, gj, sw);
      // Δy = Δt z for Δy rows (sw carries Δt), z for rate rows
      z.set(r, 0, sw * row.z());
    }
    // IV (two-stage least squares): the regressors projected on the instruments,
    // Â = Z (ZᵀZ)⁻¹ ZᵀA; the second stage is the CRLSM on Â.
    DMatrixRMaj design = a;
    if (iv && m > 0) {
      DMatrixRMaj ztz = new DMatrixRMaj(p, p);
      // ZᵀZ
      CommonOps_DDRM.multTransA(inst, inst, ztz);
      DMatrixRMaj zta = new DMatrixRMaj(p, p);
      // ZᵀA
      CommonOps_DDRM.multTransA(inst, a, zta);
      DMatrixRMaj coef = new DMatrixRMaj(p, p);
      // Π = (ZᵀZ)⁻¹ ZᵀA
      if (!CommonOps_DDRM.solve(ztz, zta, coef)) {
        throw new IllegalStateException("instruments are collinear");
      }
      design = new DMatrixRMaj(m, p);
      // Â = Z Π
      CommonOps_DDRM.mult(inst, coef, design);
    }
    double[] lo = new double[p];
    double[] hi = new double[p];
    lo[0] = config.kMin();
    hi[0] = config.kMax();
    for (int j = 1; j < p; j++) {
      lo[j] = config.gammaMin();
      hi[j] = config.gammaMax();
    }
    // H = ÂᵀÂ + λI, g = Âᵀz (Â = A for least squares)
    DMatrixRMaj h = new DMatrixRMaj(p, p);
    CommonOps_DDRM.multTransA(design, design, h);
    for (int j = 0; j < p; j++) {
      h.add(j, j, config.lambda());
    }
    DMatrixRMaj g = new DMatrixRMaj(p, 1);
    CommonOps_DDRM.multTransA(design, z, g);
    double[] theta = boxQp(h, g, lo, hi);

    // Residuals r = Aθ − z, RSS = ‖r‖², directly from A (not from sufficient statistics).
    DMatrixRMaj th = DMatrixRMaj.wrap(p, 1, theta);
    DMatrixRMaj res = new DMatrixRMaj(m, 1);
    CommonOps_DDRM.mult(a, th, res);
    CommonOps_DDRM.subtractEquals(res, z);
    double rss = CommonOps_DDRM.dot(res, res);
    double reg = CommonOps_DDRM.dot(th, th);

    boolean[] free = new boolean[p];
    int nFree = 0;
    for (int j = 0; j < p; j++) {
      free[j] = theta[j] > lo[j] && theta[j] < hi[j];
      if (free[j]) {
        nFree++;
      }
    }
    double sigma2 = weightSum > nFree ? rss / (weightSum - nFree) : Double.NaN;
    // Cov(θ_F) ≈ σ² (H_FF)⁻¹
    double[] var = new double[p];
    java.util.Arrays.fill(var, Double.NaN);
    if (nFree > 0) {
      int[] idx = indices(free, nFree);
      DMatrixRMaj hff = CommonOps_DDRM.extract(h, idx, nFree, idx, nFree, null);
      DMatrixRMaj inv = new DMatrixRMaj(nFree, nFree);
      if (CommonOps_DDRM.invertSPD(hff, inv)) {
        for (int q = 0; q < nFree; q++) {
          var[idx[q]] = sigma2 * inv.get(q, q);
        }
      }
    }
    Map<Long, Double> gamma = new HashMap<>();
    Map<Long, Double> se = new HashMap<>();
    for (long t : tracks) {
      int j = par == CrlsmConfig.Parameterisation.EQ3 ? 1 + column.get(t) : 1;
      gamma.put(t, theta[j]);
      se.put(t, Math.sqrt(var[j]));
    }
    return new ConsensusSolution(
        par,
        theta[0],
        Math.sqrt(var[0]),
        gamma,
        se,
        sigma2,
        m,
        frames.size(),
        weightSum,
        0.5 * rss + 0.5 * config.lambda() * reg,
        m > 0 ? sumDt / m : Double.NaN,
        config);
  }

  /**
   * Primal active-set method for min ½ θᵀHθ − gᵀθ on the box [lo, hi], H symmetric positive
   * definite. Returns the optimum.
   */
  static double[] boxQp(DMatrixRMaj h, DMatrixRMaj g, double[] lo, double[] hi) {
    int p = lo.length;
    double[] theta = new double[p];
    for (int j = 0; j < p; j++) {
      theta[j] = ArrowQp.clip(0, lo[j], hi[j]);
    }
    boolean[] fixed = new boolean[p];
    double gScale = 0;
    for (int j = 0; j < p; j++) {
      gScale = Math.max(gScale, Math.abs(g.get(j)));
      gScale = Math.max(gScale, h.get(j, j) * Math.max(Math.abs(lo[j]), Math.abs(hi[j])));
    }
    double tol = 1e-13 * gScale;
    int maxIter = 50 * p + 100;
    for (int iter = 0; iter < maxIter; iter++) {
      int nFree = 0;
      for (boolean f : fixed) {
        if (!f) {
          nFree++;
        }
      }
      boolean stationary;
      if (nFree == 0) {
        stationary = true;
      } else {
        int[] idx = new int[nFree];
        int q = 0;
        for (int j = 0; j < p; j++) {
          if (!fixed[j]) {
            idx[q++] = j;
          }
        }
        // H_FF θ_F = g_F − H_FW θ_W
        DMatrixRMaj hff = CommonOps_DDRM.extract(h, idx, nFree, idx, nFree, null);
        DMatrixRMaj rhs = new DMatrixRMaj(nFree, 1);
        for (int r = 0; r < nFree; r++) {
          double s = g.get(idx[r]);
          for (int j = 0; j < p; j++) {
            if (fixed[j]) {
              s -= h.get(idx[r], j) * theta[j];
            }
          }
          rhs.set(r, 0, s);
        }
        DMatrixRMaj target = new DMatrixRMaj(nFree, 1);
        if (!CommonOps_DDRM.solveSPD(hff, rhs, target)) {
          throw new IllegalStateException("H_FF not positive definite");
        }
        double step = 1;
        int blocking = -1;
        double blockingBound = 0;
        for (int r = 0; r < nFree; r++) {
          int j = idx[r];
          double d = target.get(r) - theta[j];
          double limit = Double.POSITIVE_INFINITY;
          if (d < 0) {
            limit = (lo[j] - theta[j]) / d;
          } else if (d > 0) {
            limit = (hi[j] - theta[j]) / d;
          }
          if (limit < step) {
            step = Math.max(0, limit);
            blocking = j;
            blockingBound = d < 0 ? lo[j] : hi[j];
          }
        }
        for (int r = 0; r < nFree; r++) {
          int j = idx[r];
          theta[j] = ArrowQp.clip(theta[j] + step * (target.get(r) - theta[j]), lo[j], hi[j]);
        }
        if (blocking >= 0) {
          theta[blocking] = blockingBound;
          fixed[blocking] = true;
          stationary = false;
        } else {
          stationary = true;
        }
      }
      if (stationary) {
        // Multipliers of the fixed variables: ∇ = Hθ − g; at lo need ∇ ≥ 0, at hi need ∇ ≤ 0.
        int worst = -1;
        double worstMu = -tol;
        for (int j = 0; j < p; j++) {
          if (!fixed[j]) {
            continue;
          }
          double grad = -g.get(j);
          for (int i = 0; i < p; i++) {
            grad += h.get(j, i) * theta[i];
          }
          double mu = theta[j] <= lo[j] ? grad : -grad;
          if (mu < worstMu) {
            worstMu = mu;
            worst = j;
          }
        }
        if (worst < 0) {
          return theta;
        }
        fixed[worst] = false;
      }
    }
    throw new IllegalStateException("active-set method did not converge in " + maxIter);
  }

  private static int[] indices(boolean[] mask, int count) {
    int[] idx = new int[count];
    int q = 0;
    for (int j = 0; j < mask.length; j++) {
      if (mask[j]) {
        idx[q++] = j;
      }
    }
    return idx;
  }
}
