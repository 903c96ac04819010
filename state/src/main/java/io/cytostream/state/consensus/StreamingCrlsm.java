package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
 * squares sums at {@link #solve} ({@link IvSums#instrument}), so both objectives and both
 * estimators are solved exactly by the same arrow-structured QP.
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
  private long currentFrame = Long.MIN_VALUE;
  private long framesUsed;
  private long rowsUsed;
  private double sumDt;
  private final RetiredCells retired;
  private final CrlsmSolve solver;

  /**
   * How many retired cells eq. 3 keeps whole (their sums, exact whatever k does) before it folds
   * the one whose γ is farthest from changing branch at the current k ({@link Retired}). Folding
   * late and farthest first keeps the fold exact while k converges; under forgetting, where folding
   * is not possible, the oldest kept cell leaves the fit instead.
   */
  public static final int KEPT_RETIRED = 64;

  /** An empty fit. */
  public StreamingCrlsm(CrlsmConfig config) {
    this(config, KEPT_RETIRED);
  }

  /** An empty fit keeping {@code keptRetired} retired cells whole (tests). */
  StreamingCrlsm(CrlsmConfig config, int keptRetired) {
    this(config, new RetiredCells(keptRetired));
  }

  private StreamingCrlsm(CrlsmConfig config, RetiredCells retired) {
    this.config = config;
    this.retired = retired;
    this.solver = new CrlsmSolve(config);
  }

  /** Restores a fit from its snapshot. */
  public static StreamingCrlsm restore(Snapshot s) {
    return restore(s, KEPT_RETIRED);
  }

  /** Restores a fit keeping {@code keptRetired} retired cells whole (tests). */
  static StreamingCrlsm restore(Snapshot s, int keptRetired) {
    StreamingCrlsm c = new StreamingCrlsm(s.config(), new RetiredCells(s.retired(), keptRetired));
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
    return retired.toRecord();
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
      retired.add(st, config);
    }
    // IV, ρ = 1: no folding, every retired cell stays whole (the instrument's π pools every
    // cell's ζ sums, and a_i, c_i move with π; see Retired)
    if (retired.overKept() && !(iv() && config.forgetting() == 1)) {
      if (config.forgetting() == 1) {
        double k = solve().k();
        while (retired.overKept()) {
          retired.fold(retired.removeKept(retired.safest(k, config)), k, config);
        }
      } else {
        while (retired.overKept()) {
          // under forgetting a retired cell cannot be folded: the oldest leaves the fit
          CellStatistics oldest = null;
          for (CellStatistics st : retired.kept()) {
            if (oldest == null || st.frame() < oldest.frame()) {
              oldest = st;
            }
          }
          retired.removeKept(oldest.trackId());
          rowsUsed -= oldest.rows();
        }
      }
    }
    return gone.size();
  }

  /**
   * Whether the last {@link #solve} is exactly the solution over every row ever added: its k lies
   * where every folded retired cell's γ keeps the regime it was folded with (always true without
   * folded cells). When false, the retired cells whose γ would have changed regime are treated as
   * if it had not; k is then within a small distance of the exact one (the regimes switch at their
   * breakpoints, where the two branches agree to first order).
   */
  public boolean exact() {
    return retired.exactAt(solver.lastK());
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
      var kt = retired.kept().iterator();
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
    return solver.solve(cells.values(), retired, currentFrame, rowsUsed, framesUsed, sumDt);
  }

  private boolean iv() {
    return config.estimator() == CrlsmConfig.Estimator.IV;
  }
}
