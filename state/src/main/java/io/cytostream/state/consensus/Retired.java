package io.cytostream.state.consensus;

import java.util.List;

/**
 * What a {@link StreamingCrlsm} keeps of its retired cells ({@link StreamingCrlsm#retire}): their
 * rows' contribution to k, without their γ. Immutable; O(1) in the number of retired cells.
 *
 * <p>Eq. 3 ({@link CrlsmConfig.Parameterisation#EQ3}) keeps the last retired cells whole in {@code
 * kept} (at most {@link StreamingCrlsm#KEPT_RETIRED}; their sums, no γ published), which is exact.
 * Beyond that, with ρ = 1 and the LS estimator it folds them, the one whose γ is farthest from
 * changing branch at the current k first: the objective is f(k, γ) = Σ_i f_i(k, γ_i) + ½ λ k², so a
 * cell's γ_i can be minimised out: F_i(k) = min over γ_i of f_i(k, γ_i) with γ_i(k) = clip((d_i −
 * b_i k) / D_i, γmin, γmax), D_i = n_i + λ (notation of {@link ArrowQp}). Where γ_i(k) is strictly
 * inside its bounds F_i is the quadratic of the Schur complement, ½ (a_i − b_i²/D_i) k² − (c_i −
 * b_i d_i/D_i) k + const; where it is clipped at a bound g, ½ a_i k² − (c_i − b_i g) k + const. A
 * retired cell is folded with the branch its γ has at the k of retirement: the branch's quadratics
 * (of F_i, of the cell's residual sum of squares and of γ_i(k)², for σ², the objective and the
 * standard error of k) are summed here, and [{@code validLo}, {@code validHi}] narrowed to the k
 * where every folded cell keeps its branch. For every k in that interval the reduced problem is the
 * one with the cells still in the fit, and since both are convex with continuous derivative, a
 * solution inside it is exactly the solution over every row ({@link StreamingCrlsm#exact()});
 * outside, the error is confined to the few folded cells whose breakpoint k has crossed. Under
 * forgetting (ρ &lt; 1) D_i = n_i + λ does not decay with the sums, so a cell cannot be folded:
 * beyond {@link StreamingCrlsm#KEPT_RETIRED} the oldest kept cell leaves the fit.
 *
 * <p>Under the {@link CrlsmConfig.Estimator#IV} estimator with ρ = 1, eq. 3 keeps every retired
 * cell whole in {@code kept} and folds none: the instrument's slope π is pooled over every cell's ζ
 * sums and each cell's a_i = Σφ̂², c_i = Σφ̂z move with π ({@link StreamingCrlsm#instrument}), so a
 * fold made at one π would not stay exact. Keeping the cells whole is exact; the state then grows
 * by one small record (its sums) per retired cell instead of staying bounded, while the published
 * solution still lists live cells only. (A fold would be possible in principle, since a_i =
 * b_i²/n_i + π² C_i and c_i = b_i d_i/n_i + π E_i are polynomials in π with per-cell coefficients,
 * but it is not implemented.) Under forgetting the oldest kept cell leaves the fit as with LS.
 *
 * <p>Eqs. 1 and 2 use only the cells' pooled sums, which decay uniformly: retired cells are added
 * to {@code pooled} (every sum, the count and the instrument's sums), exactly, for any ρ and both
 * estimators. Under eq. 1 only the modelled cell has rows in the fit, and it is never retired.
 *
 * @param cells number of cells retired
 * @param pooled eqs. 1 and 2: the pooled statistics of the retired cells (trackId 0), referred to
 *     {@code pooled.frame()}; null when none
 * @param curvature eq. 3: Σ over folded cells of the curvature of F_i in k
 * @param linear eq. 3: Σ over folded cells of the linear coefficient of F_i (F_i'(k) = curvature·k
 *     − linear)
 * @param rss2 Σ of the k² coefficients of the folded cells' RSS at (k, γ_i(k))
 * @param rss1 Σ of their k coefficients
 * @param rss0 Σ of their constants
 * @param gamma2 Σ of the k² coefficients of γ_i(k)²
 * @param gamma1 Σ of the k coefficients of γ_i(k)²
 * @param gamma0 Σ of the constants of γ_i(k)²
 * @param count Σ count of the folded cells (their effective number of rows, for σ²'s degrees of
 *     freedom; {@link CellStatistics#count()})
 * @param freeGammas folded cells whose γ is free (parameters counted in σ²'s degrees of freedom)
 * @param validLo lowest k at which every folded cell keeps the branch it was folded with
 * @param validHi highest such k
 * @param kept eq. 3: retired cells kept whole, in track id order
 */
public record Retired(
    long cells,
    CellStatistics pooled,
    double curvature,
    double linear,
    double rss2,
    double rss1,
    double rss0,
    double gamma2,
    double gamma1,
    double gamma0,
    double count,
    long freeGammas,
    double validLo,
    double validHi,
    List<CellStatistics> kept) {

  /** Copies the list so that the record is immutable. */
  public Retired {
    kept = kept == null ? List.of() : List.copyOf(kept);
  }

  /** The same with other cells kept whole (e.g. those stored elsewhere). */
  public Retired withKept(List<CellStatistics> cellsKept) {
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
        freeGammas,
        validLo,
        validHi,
        cellsKept);
  }

  /** Nothing retired. */
  public static Retired none() {
    return new Retired(
        0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -Double.MAX_VALUE, Double.MAX_VALUE, List.of());
  }
}
