package io.cytostream.state.consensus;

import java.util.Arrays;

/**
 * Exact solver of the bounded, regularised least-squares problem of eq. 3 from per-cell sufficient
 * statistics, using the arrow structure of the normal matrix.
 *
 * <p>With, per cell i, a_i = Σφ², b_i = Σφ, n_i = Σ1, c_i = Σφz, d_i = Σz (weighted), the objective
 * is
 *
 * <pre>
 *   f(k, γ) = Σ_i [½ a_i k² + b_i k γ_i + ½ (n_i + λ) γ_i² − c_i k − d_i γ_i] + ½ λ k² + const
 * </pre>
 *
 * whose Hessian [[λ + Σa, bᵀ], [b, diag(n + λ)]] is an arrow matrix. For fixed k each γ_i has the
 * closed-form clipped optimum γ_i(k) = clip((d_i − b_i k) / (n_i + λ), γmin, γmax). The reduced
 * objective F(k) = f(k, γ(k)) is convex and piecewise quadratic with continuous derivative
 *
 * <pre>
 *   F'(k) = (λ + Σa) k − Σc + Σ_i b_i γ_i(k),
 * </pre>
 *
 * piecewise linear and non-decreasing, with slope ≥ λ &gt; 0 (per cell a_i − b_i²/(n_i+λ) ≥ 0 by
 * Cauchy–Schwarz). Its breakpoints are where a γ_i(k) meets a bound. The solver sorts the
 * breakpoints inside [kmin, kmax] (O(G log G)), bisects over them for the sign change of F' (O(G)
 * per probe, O(log G) probes), and solves the linear F' = 0 on that segment exactly; with no bound
 * active this is the Schur complement k = (Σc − Σ b_i d_i/(n_i+λ)) / (λ + Σ(a_i − b_i²/(n_i+λ))).
 * Work arrays are reused between calls; not thread-safe.
 */
final class ArrowQp {

  private double[] breaks = new double[16];

  /**
   * Solves for k and writes γ_i into {@code gamma}; returns k.
   *
   * @param g number of cells
   */
  double solve(
      int g,
      double[] a,
      double[] b,
      double[] n,
      double[] c,
      double[] d,
      double lambda,
      double kLo,
      double kHi,
      double gLo,
      double gHi,
      double[] gamma) {
    return solve(g, a, b, n, c, d, lambda, kLo, kHi, gLo, gHi, gamma, 0, 0);
  }

  /**
   * Solves for k with an extra quadratic ½ h k² − e k in the objective (the cells whose γ was
   * minimised out, {@link Retired}) and writes γ_i into {@code gamma}; returns k.
   *
   * @param g number of cells
   * @param h extra curvature in k (≥ 0)
   * @param e extra linear coefficient
   */
  double solve(
      int g,
      double[] a,
      double[] b,
      double[] n,
      double[] c,
      double[] d,
      double lambda,
      double kLo,
      double kHi,
      double gLo,
      double gHi,
      double[] gamma,
      double h,
      double e) {
    double sa = lambda + h;
    double sc = e;
    for (int i = 0; i < g; i++) {
      sa += a[i];
      sc += c[i];
    }
    double k;
    if (derivative(kLo, g, b, n, d, lambda, gLo, gHi, sa, sc) >= 0) {
      k = kLo;
    } else if (derivative(kHi, g, b, n, d, lambda, gLo, gHi, sa, sc) <= 0) {
      k = kHi;
    } else {
      if (breaks.length < 2 * g + 2) {
        breaks = new double[Math.max(2 * g + 2, 2 * breaks.length)];
      }
      int m = 0;
      breaks[m++] = kLo;
      for (int i = 0; i < g; i++) {
        if (b[i] != 0) {
          double di = n[i] + lambda;
          // γ_i(k) = (d_i − b_i k)/D_i meets γmin at k = (d_i − γmin D_i)/b_i, γmax likewise.
          double k1 = (d[i] - gLo * di) / b[i];
          double k2 = (d[i] - gHi * di) / b[i];
          if (k1 > kLo && k1 < kHi) {
            breaks[m++] = k1;
          }
          if (k2 > kLo && k2 < kHi) {
            breaks[m++] = k2;
          }
        }
      }
      breaks[m++] = kHi;
      Arrays.sort(breaks, 0, m);
      // Invariant: F'(breaks[lo]) < 0 < F'(breaks[hi]).
      int lo = 0;
      int hi = m - 1;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        double fm = derivative(breaks[mid], g, b, n, d, lambda, gLo, gHi, sa, sc);
        if (fm < 0) {
          lo = mid;
        } else if (fm > 0) {
          hi = mid;
        } else {
          lo = mid;
          hi = mid;
        }
      }
      if (lo == hi) {
        k = breaks[lo];
      } else {
        double left = breaks[lo];
        double right = breaks[hi];
        double probe = 0.5 * (left + right);
        // On (left, right) every γ_i is either clipped (constant) or free (linear in k):
        // F'(k) = alpha k + beta.
        double alpha = sa;
        double beta = -sc;
        for (int i = 0; i < g; i++) {
          double di = n[i] + lambda;
          double u = (d[i] - b[i] * probe) / di;
          if (u <= gLo) {
            beta += b[i] * gLo;
          } else if (u >= gHi) {
            beta += b[i] * gHi;
          } else {
            alpha -= b[i] * b[i] / di;
            beta += b[i] * d[i] / di;
          }
        }
        k = Math.min(right, Math.max(left, -beta / alpha));
      }
    }
    for (int i = 0; i < g; i++) {
      gamma[i] = clip((d[i] - b[i] * k) / (n[i] + lambda), gLo, gHi);
    }
    return k;
  }

  /** F'(k) = (λ + Σa) k − Σc + Σ b_i γ_i(k). */
  private static double derivative(
      double k,
      int g,
      double[] b,
      double[] n,
      double[] d,
      double lambda,
      double gLo,
      double gHi,
      double sa,
      double sc) {
    double s = sa * k - sc;
    for (int i = 0; i < g; i++) {
      s += b[i] * clip((d[i] - b[i] * k) / (n[i] + lambda), gLo, gHi);
    }
    return s;
  }

  static double clip(double v, double lo, double hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}
