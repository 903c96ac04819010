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
 * <p>Cells whose track ended (lost, divided, left the field) keep their statistics until the caller
 * {@link #retire}s them: their rows still constrain the shared k, and the offline CRLSM keeps them
 * too. A retired cell's γ leaves the solution while its rows' contribution to k stays in the fit's
 * sufficient statistics, exactly ({@link Retired}: its γ marginalised out of the normal equations
 * by the Schur complement), so that k, σ² and the other cells' γ are what they would be without
 * retirement; this bounds the state of a week-long run by the cells alive. The retired sums carry
 * the objective's row weights, the count and the instrument's sums. Under the {@link
 * CrlsmConfig.Estimator#IV} estimator with ρ = 1, eq. 3 keeps every retired cell whole instead of
 * folding it (the instrument's π pools every cell's ζ sums and moves each cell's second-stage sums,
 * so a fold would not stay exact; see {@link Retired}): exact, but the state then grows by one
 * record per retired cell. Under eq. 1 the modelled cell is never retired. A retired cell must get
 * no rows again (a track id is never reused). With {@link CrlsmConfig#maxIdleFrames()} &gt; 0 a
 * cell without rows for more than that many frames is dropped instead, rows and all (a retention
 * policy for long runs with forgetting, where old cells carry no weight anyway; it changes k).
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
   * @param retired what is kept of retired cells (null: none)
   */
  public record Snapshot(
      CrlsmConfig config,
      List<CellStatistics> cells,
      long currentFrame,
      long framesUsed,
      long rowsUsed,
      double sumDtSeconds,
      Retired retired) {

    /** Copies the list so that the record is immutable. */
    public Snapshot {
      cells = List.copyOf(cells);
      retired = retired == null ? Retired.none() : retired;
    }

    /** A snapshot without retired cells. */
    public Snapshot(
        CrlsmConfig config,
        List<CellStatistics> cells,
        long currentFrame,
        long framesUsed,
        long rowsUsed,
        double sumDtSeconds) {
      this(config, cells, currentFrame, framesUsed, rowsUsed, sumDtSeconds, Retired.none());
    }
  }

  private final CrlsmConfig config;
  private final TreeMap<Long, CellStatistics> cells = new TreeMap<>();
  private final ArrowQp qp = new ArrowQp();
  private long currentFrame = Long.MIN_VALUE;
  private long framesUsed;
  private long rowsUsed;
  private double sumDt;

  // retired cells (see Retired)
  private long retiredCells;
  private CellStatistics pooled;
  private double foldCurvature;
  private double foldLinear;
  private double foldRss2;
  private double foldRss1;
  private double foldRss0;
  private double foldGamma2;
  private double foldGamma1;
  private double foldGamma0;
  private double foldCount;
  private long foldFree;
  private double validLo = -Double.MAX_VALUE;
  private double validHi = Double.MAX_VALUE;
  private double lastK = Double.NaN;
  private final TreeMap<Long, CellStatistics> kept = new TreeMap<>();

  /**
   * How many retired cells eq. 3 keeps whole (their sums, exact whatever k does) before it folds
   * the one whose γ is farthest from changing branch at the current k ({@link Retired}). Folding
   * late and farthest first keeps the fold exact while k converges; under forgetting, where folding
   * is not possible, the oldest kept cell leaves the fit instead.
   */
  public static final int KEPT_RETIRED = 64;

  private final int keptRetired;

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
    this(config, KEPT_RETIRED);
  }

  /** An empty fit keeping {@code keptRetired} retired cells whole (tests). */
  StreamingCrlsm(CrlsmConfig config, int keptRetired) {
    this.config = config;
    this.keptRetired = keptRetired;
  }

  /** Restores a fit from its snapshot. */
  public static StreamingCrlsm restore(Snapshot s) {
    return restore(s, KEPT_RETIRED);
  }

  /** Restores a fit keeping {@code keptRetired} retired cells whole (tests). */
  static StreamingCrlsm restore(Snapshot s, int keptRetired) {
    StreamingCrlsm c = new StreamingCrlsm(s.config(), keptRetired);
    for (CellStatistics st : s.cells()) {
      c.cells.put(st.trackId(), st);
    }
    c.currentFrame = s.currentFrame();
    c.framesUsed = s.framesUsed();
    c.rowsUsed = s.rowsUsed();
    c.sumDt = s.sumDtSeconds();
    Retired r = s.retired();
    c.retiredCells = r.cells();
    c.pooled = r.pooled();
    c.foldCurvature = r.curvature();
    c.foldLinear = r.linear();
    c.foldRss2 = r.rss2();
    c.foldRss1 = r.rss1();
    c.foldRss0 = r.rss0();
    c.foldGamma2 = r.gamma2();
    c.foldGamma1 = r.gamma1();
    c.foldGamma0 = r.gamma0();
    c.foldCount = r.count();
    c.foldFree = r.freeGammas();
    c.validLo = r.validLo();
    c.validHi = r.validHi();
    for (CellStatistics st : r.kept()) {
      c.kept.put(st.trackId(), st);
    }
    return c;
  }

  /** The state as an immutable record. */
  public Snapshot snapshot() {
    return new Snapshot(
        config,
        new ArrayList<>(cells.values()),
        currentFrame,
        framesUsed,
        rowsUsed,
        sumDt,
        retired());
  }

  /** What is kept of the retired cells. */
  public Retired retired() {
    return new Retired(
        retiredCells,
        pooled,
        foldCurvature,
        foldLinear,
        foldRss2,
        foldRss1,
        foldRss0,
        foldGamma2,
        foldGamma1,
        foldGamma0,
        foldCount,
        foldFree,
        validLo,
        validHi,
        new ArrayList<>(kept.values()));
  }

  /**
   * Retires one cell; see {@link #retire(Collection)}.
   *
   * @return whether the cell was in the fit
   */
  public boolean retire(long trackId) {
    return retire(List.of(trackId)) == 1;
  }

  /**
   * Retires cells: their γ leaves the solution, their rows' contribution to k stays (see {@link
   * Retired}); at the current solution, k, σ², the objective and the other cells' γ are unchanged.
   * Eq. 3 keeps the last {@link #KEPT_RETIRED} retired cells whole and, with ρ = 1 and the LS
   * estimator, folds the older ones' γ out with the branch (free or at a bound) it has at the
   * current k, exact while k stays in {@link Retired#validLo()} … {@link Retired#validHi()} ({@link
   * #exact()}); under the {@link CrlsmConfig.Estimator#IV} estimator it keeps every retired cell
   * whole instead (see {@link Retired}), which is exact. Eqs. 1 and 2 pool them, exactly, with the
   * instrument's sums. Under eq. 1 the modelled cell is never retired (the other cells' rows are
   * not in the fit, so retiring them changes nothing). The cells must get no rows afterwards.
   *
   * @return how many of them were in the fit
   */
  public int retire(Collection<Long> trackIds) {
    List<CellStatistics> gone = new ArrayList<>();
    boolean eq1 = config.parameterisation() == CrlsmConfig.Parameterisation.EQ1;
    for (long id : trackIds) {
      if (cells.containsKey(id) && !(eq1 && id == config.modelledCell())) {
        gone.add(cells.get(id));
      }
    }
    if (gone.isEmpty()) {
      return 0;
    }
    for (CellStatistics st : gone) {
      cells.remove(st.trackId());
      retiredCells++;
      if (config.parameterisation() != CrlsmConfig.Parameterisation.EQ3) {
        pooled = pool(pooled, st, config.forgetting());
      } else {
        kept.put(st.trackId(), st);
      }
    }
    // IV, ρ = 1: no folding, every retired cell stays whole (the instrument's π pools every
    // cell's ζ sums, and a_i, c_i move with π; see Retired)
    if (kept.size() > keptRetired && !(iv() && config.forgetting() == 1)) {
      if (config.forgetting() == 1) {
        double k = solve().k();
        while (kept.size() > keptRetired) {
          fold(kept.remove(safest(k)), k);
        }
      } else {
        while (kept.size() > keptRetired) {
          // under forgetting a retired cell cannot be folded: the oldest leaves the fit
          CellStatistics oldest = null;
          for (CellStatistics st : kept.values()) {
            if (oldest == null || st.frame() < oldest.frame()) {
              oldest = st;
            }
          }
          kept.remove(oldest.trackId());
          rowsUsed -= oldest.rows();
        }
      }
    }
    return gone.size();
  }

  /**
   * The kept retired cell whose γ(k) is farthest, in k, from changing branch: the safest to fold at
   * {@code k}.
   */
  private long safest(double k) {
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
   * Whether the last {@link #solve} is exactly the solution over every row ever added: its k lies
   * where every folded retired cell's γ keeps the regime it was folded with (always true without
   * folded cells). When false, the retired cells whose γ would have changed regime are treated as
   * if it had not; k is then within a small distance of the exact one (the regimes switch at their
   * breakpoints, where the two branches agree to first order).
   */
  public boolean exact() {
    return !(lastK < validLo) && !(lastK > validHi);
  }

  /**
   * The sum of two statistics, both decayed to the later frame (trackId 0): every sum, the count
   * and the instrument's sums, so that eqs. 1 and 2 (which use only the pooled sums) stay exact
   * under both estimators.
   */
  private static CellStatistics pool(CellStatistics p, CellStatistics s, double rho) {
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
  private void fold(CellStatistics s, double k) {
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
      foldCurvature += a - b * q;
      foldLinear += c - b * p;
      foldRss2 += a - 2 * b * q + n * q * q;
      foldRss1 += 2 * b * p - 2 * n * p * q - 2 * c + 2 * d * q;
      foldRss0 += n * p * p - 2 * d * p + zz;
      foldGamma2 += q * q;
      foldGamma1 += -2 * p * q;
      foldGamma0 += p * p;
      foldFree++;
      if (b > 0) {
        narrow(kh, kl);
      } else if (b < 0) {
        narrow(kl, kh);
      }
    } else {
      double g0 = u <= gLo ? gLo : gHi;
      foldCurvature += a;
      foldLinear += c - b * g0;
      foldRss2 += a;
      foldRss1 += 2 * b * g0 - 2 * c;
      foldRss0 += n * g0 * g0 - 2 * d * g0 + zz;
      foldGamma0 += g0 * g0;
      double kb = u <= gLo ? kl : kh;
      // at gLo: (d − b k)/D ≤ gLo, i.e. k ≥ kl for b > 0, k ≤ kl for b < 0; at gHi the reverse
      boolean above = (u <= gLo) == (b > 0);
      if (b != 0) {
        narrow(above ? kb : -Double.MAX_VALUE, above ? Double.MAX_VALUE : kb);
      }
    }
    foldCount += s.count();
  }

  private void narrow(double lo, double hi) {
    validLo = Math.max(validLo, lo);
    validHi = Math.min(validHi, hi);
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
      var kt = kept.values().iterator();
      while (kt.hasNext()) {
        CellStatistics s = kt.next();
        if (currentFrame - s.frame() > config.maxIdleFrames()) {
          rowsUsed -= s.rows();
          kt.remove();
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
    int active = cells.size();
    int g = active + kept.size() + (pooled == null ? 0 : 1);
    ensureCapacity(g);
    int i = 0;
    double[] sums = new double[1]; // Σ count: the effective number of rows
    for (CellStatistics s : cells.values()) {
      load(i++, s, sums);
    }
    // retired cells kept whole (eq. 3) or pooled (eqs. 1, 2): in the fit, γ not published
    for (CellStatistics s : kept.values()) {
      load(i++, s, sums);
    }
    if (pooled != null) {
      load(i, pooled, sums);
    }
    return switch (config.parameterisation()) {
      case EQ3 -> solvePerCell(g, active, sums[0] + foldCount);
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

  /**
   * Eq. 3 over {@code g} cells, of which the first {@code active} are published (the rest are
   * retired cells kept whole); the folded retired cells enter through their sums.
   */
  private ConsensusSolution solvePerCell(int g, int active, double countSum) {
    if (iv()) {
      instrument(g, wa, wb, wn, wc, wd, ws, wss, wsp, wsz);
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
            foldCurvature,
            foldLinear);
    lastK = k;
    double rss = foldRss2 * k * k + foldRss1 * k + foldRss0;
    double reg = k * k + foldGamma2 * k * k + foldGamma1 * k + foldGamma0;
    double schur = lambda + foldCurvature;
    int free = (int) foldFree;
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
