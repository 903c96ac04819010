package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The mutable side of {@link Retired} inside a {@link StreamingCrlsm}: retired cells kept whole,
 * pooled (eqs. 1, 2) or folded (eq. 3, LS, ρ = 1) into sums of their reduced objective, and the
 * interval of k where every fold is exact. Not thread-safe.
 */
final class RetiredCells {
  private final int keptRetired;
  private long cells;
  private CellStatistics pooled;
  private double curvature;
  private double linear;
  private double rss2;
  private double rss1;
  private double rss0;
  private double gamma2;
  private double gamma1;
  private double gamma0;
  private double count;
  private long free;
  private double validLo = -Double.MAX_VALUE;
  private double validHi = Double.MAX_VALUE;
  private final TreeMap<Long, CellStatistics> kept = new TreeMap<>();

  /** None retired; at most {@code keptRetired} kept whole before folding (eq. 3). */
  RetiredCells(int keptRetired) {
    this.keptRetired = keptRetired;
  }

  /** From a snapshot's record. */
  RetiredCells(Retired r, int keptRetired) {
    this(keptRetired);
    cells = r.cells();
    pooled = r.pooled();
    curvature = r.curvature();
    linear = r.linear();
    rss2 = r.rss2();
    rss1 = r.rss1();
    rss0 = r.rss0();
    gamma2 = r.gamma2();
    gamma1 = r.gamma1();
    gamma0 = r.gamma0();
    count = r.count();
    free = r.freeGammas();
    validLo = r.validLo();
    validHi = r.validHi();
    for (CellStatistics st : r.kept()) {
      kept.put(st.trackId(), st);
    }
  }

  /** As an immutable record. */
  Retired toRecord() {
    return new Retired(
        cells,
        pooled,
        curvature,
        linear,
        rss2,
        rss1,
        rss0,
        gamma2,
        gamma1,
        gamma0,
        count,
        free,
        validLo,
        validHi,
        new ArrayList<>(kept.values()));
  }

  /** Takes one retired cell: pooled (eqs. 1, 2) or kept whole (eq. 3). */
  void add(CellStatistics st, CrlsmConfig config) {
    cells++;
    if (config.parameterisation() != CrlsmConfig.Parameterisation.EQ3) {
      pooled = pool(pooled, st, config.forgetting());
    } else {
      kept.put(st.trackId(), st);
    }
  }

  /** Whether more cells are kept whole than allowed. */
  boolean overKept() {
    return kept.size() > keptRetired;
  }

  /** The retired cells kept whole, in track id order. */
  Collection<CellStatistics> kept() {
    return kept.values();
  }

  /** Removes a kept cell. */
  CellStatistics removeKept(long trackId) {
    return kept.remove(trackId);
  }

  /** The pooled retired cells (eqs. 1, 2), or null. */
  CellStatistics pooled() {
    return pooled;
  }

  /** Σ count of the folded cells. */
  double foldCount() {
    return count;
  }

  double foldCurvature() {
    return curvature;
  }

  double foldLinear() {
    return linear;
  }

  /** The folded cells' RSS as a quadratic in k at k. */
  double foldRss(double k) {
    return rss2 * k * k + rss1 * k + rss0;
  }

  /** k² plus the folded cells' Σ γ² (a quadratic in k) at k: the regulariser's start. */
  double regularisationAt(double k) {
    return k * k + gamma2 * k * k + gamma1 * k + gamma0;
  }

  /** Folded cells whose γ is free. */
  long foldFree() {
    return free;
  }

  /** Whether {@code k} lies where every fold is exact. */
  boolean exactAt(double k) {
    return !(k < validLo) && !(k > validHi);
  }

  /**
   * The kept retired cell whose γ(k) is farthest, in k, from changing branch: the safest to fold at
   * {@code k}.
   */
  long safest(double k, CrlsmConfig config) {
    long best = 0;
    double bestDistance = -1;
    for (CellStatistics s : kept.values()) {
      double dd = s.weight() + config.lambda();
      double b = s.sumPhi();
      double distance = Double.MAX_VALUE;
      if (b != 0) {
        double kl = (s.sumZ() - config.gammaMin() * dd) / b;
        double kh = (s.sumZ() - config.gammaMax() * dd) / b;
        distance = Math.min(Math.abs(k - kl), Math.abs(k - kh));
      }
      if (distance > bestDistance) {
        bestDistance = distance;
        best = s.trackId();
      }
    }
    return best;
  }

  /**
   * The sum of two statistics, both decayed to the later frame (trackId 0): every sum, the count
   * and the instrument's sums, so that eqs. 1 and 2 (which use only the pooled sums) stay exact
   * under both estimators.
   */
  static CellStatistics pool(CellStatistics p, CellStatistics s, double rho) {
    if (p == null) {
      return new CellStatistics(
          0,
          s.sumPhiPhi(),
          s.sumPhi(),
          s.weight(),
          s.sumPhiZ(),
          s.sumZ(),
          s.sumZZ(),
          s.rows(),
          s.frame(),
          s.count(),
          s.sumZeta(),
          s.sumZetaZeta(),
          s.sumZetaPhi(),
          s.sumZetaZ());
    }
    long f = Math.max(p.frame(), s.frame());
    CellStatistics a = p.decayedTo(f, rho);
    CellStatistics b = s.decayedTo(f, rho);
    return new CellStatistics(
        0,
        a.sumPhiPhi() + b.sumPhiPhi(),
        a.sumPhi() + b.sumPhi(),
        a.weight() + b.weight(),
        a.sumPhiZ() + b.sumPhiZ(),
        a.sumZ() + b.sumZ(),
        a.sumZZ() + b.sumZZ(),
        a.rows() + b.rows(),
        f,
        a.count() + b.count(),
        a.sumZeta() + b.sumZeta(),
        a.sumZetaZeta() + b.sumZetaZeta(),
        a.sumZetaPhi() + b.sumZetaPhi(),
        a.sumZetaZ() + b.sumZetaZ());
  }

  /**
   * Eq. 3, LS, ρ = 1: folds the cell's reduced objective F(k) = min over γ of f(k, γ) into the
   * sums, with the regime its γ(k) = clip((d − b k)/D) has at {@code k}: free (the Schur
   * complement, quadratic in k) or at one bound (γ constant); narrows the interval of k where every
   * fold is exact to the part of the range where this cell keeps that regime.
   */
  void fold(CellStatistics s, double k, CrlsmConfig config) {
    double a = s.sumPhiPhi();
    double b = s.sumPhi();
    double n = s.weight();
    double c = s.sumPhiZ();
    double d = s.sumZ();
    double zz = s.sumZZ();
    double dd = n + config.lambda();
    double gLo = config.gammaMin();
    double gHi = config.gammaMax();
    double u = (d - b * k) / dd;
    // breakpoints: γ(k) meets gLo at kl, gHi at kh (b ≠ 0); γ(k) decreases in k when b > 0
    double kl = (d - gLo * dd) / b;
    double kh = (d - gHi * dd) / b;
    if (u > gLo && u < gHi) {
      double p = d / dd;
      double q = b / dd;
      curvature += a - b * q;
      linear += c - b * p;
      rss2 += a - 2 * b * q + n * q * q;
      rss1 += 2 * b * p - 2 * n * p * q - 2 * c + 2 * d * q;
      rss0 += n * p * p - 2 * d * p + zz;
      gamma2 += q * q;
      gamma1 += -2 * p * q;
      gamma0 += p * p;
      free++;
      if (b > 0) {
        narrow(kh, kl);
      } else if (b < 0) {
        narrow(kl, kh);
      }
    } else {
      double g0 = u <= gLo ? gLo : gHi;
      curvature += a;
      linear += c - b * g0;
      rss2 += a;
      rss1 += 2 * b * g0 - 2 * c;
      rss0 += n * g0 * g0 - 2 * d * g0 + zz;
      gamma0 += g0 * g0;
      double kb = u <= gLo ? kl : kh;
      // at gLo: (d − b k)/D ≤ gLo, i.e. k ≥ kl for b > 0, k ≤ kl for b < 0; at gHi the reverse
      boolean above = (u <= gLo) == (b > 0);
      if (b != 0) {
        narrow(above ? kb : -Double.MAX_VALUE, above ? Double.MAX_VALUE : kb);
      }
    }
    count += s.count();
  }

  private void narrow(double lo, double hi) {
    validLo = Math.max(validLo, lo);
    validHi = Math.min(validHi, hi);
  }
}
