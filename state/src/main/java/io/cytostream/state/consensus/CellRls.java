package io.cytostream.state.consensus;

/**
 * Per-cell recursive least squares on the consensus rows z_t = [φ_t, 1] · [k_i, γ_i] + noise,
 * giving each cell its own k_i (1/s, see {@link NeighbourLink}) and γ_i (intensity/s) and the
 * innovation the anomaly tests use.
 *
 * <p>The filter minimises, exactly and recursively,
 *
 * <pre>
 *   J_t(θ) = Σ_{s≤t} ρ^(t−s) (z_s − x_sᵀθ)² + ρ^t (θ − θ_0)ᵀ P_0⁻¹ (θ − θ_0)
 * </pre>
 *
 * with the standard update (x = [φ, 1], all 2 × 2, written out explicitly):
 *
 * <pre>
 *   e = z − xᵀθ,  K = P x / (ρ + xᵀPx),  θ ← θ + K e,  P ← (P − K xᵀP) / ρ,
 *   J ← ρ J + ρ e² / (ρ + xᵀPx),  n ← ρ n + 1,  σ̂² = J / (n − 2)
 * </pre>
 *
 * P is the normalised covariance ((Σ w x xᵀ + prior)⁻¹), so Cov(θ) ≈ σ̂² P; the standard errors are
 * √(σ̂² P_kk) and √(σ̂² P_γγ). The predicted variance of the next innovation is σ̂² (1 + xᵀPx/ρ).
 *
 * <p>Spikes: {@link #innovate} does not change the filter; call {@link #update} only for rows the
 * anomaly test accepts, so that a rejected spike neither moves θ nor inflates σ̂². After a drift
 * alarm, {@link #inflate} lets the filter re-learn quickly.
 *
 * <p>State: {@link #snapshot()} / {@link #restore}. Not thread-safe.
 */
public final class CellRls {

  /**
   * Filter settings.
   *
   * @param forgetting ρ ∈ (0, 1] per row (default 0.995: an effective memory of about 200 rows)
   * @param priorK prior mean of k_i (default 0)
   * @param priorGamma prior mean of γ_i (default 0)
   * @param priorVarianceK P_0 for k (normalised units; default 1e4, a vague prior)
   * @param priorVarianceGamma P_0 for γ (default 1e4)
   * @param daughterInflation factor on the parent's P when a daughter starts from the parent's
   *     estimate (default 100)
   */
  public record Config(
      double forgetting,
      double priorK,
      double priorGamma,
      double priorVarianceK,
      double priorVarianceGamma,
      double daughterInflation) {

    /** Validates. */
    public Config {
      if (!(forgetting > 0 && forgetting <= 1)) {
        throw new IllegalArgumentException("forgetting must be in (0, 1]: " + forgetting);
      }
      if (!(priorVarianceK > 0) || !(priorVarianceGamma > 0) || !(daughterInflation >= 1)) {
        throw new IllegalArgumentException("prior variances must be > 0, inflation >= 1");
      }
    }

    /** ρ = 0.995, vague prior P_0 = 1e4·I at θ_0 = 0, daughter inflation 100. */
    public static Config defaults() {
      return new Config(0.995, 0, 0, 1e4, 1e4, 100);
    }

    /** These settings with another forgetting factor. */
    public Config withForgetting(double rho) {
      return new Config(
          rho, priorK, priorGamma, priorVarianceK, priorVarianceGamma, daughterInflation);
    }
  }

  /**
   * The filter's state.
   *
   * @param trackId the cell's track id
   * @param k current k_i
   * @param gamma current γ_i
   * @param pKK normalised covariance P[0][0]
   * @param pKGamma P[0][1] = P[1][0]
   * @param pGammaGamma P[1][1]
   * @param weightedRss J_t, the weighted residual sum of squares (with the decayed prior term)
   * @param effectiveRows n = Σ ρ^(t−s)
   * @param rows rows absorbed
   * @param lastFrame frame of the last absorbed row (Long.MIN_VALUE before any)
   */
  public record State(
      long trackId,
      double k,
      double gamma,
      double pKK,
      double pKGamma,
      double pGammaGamma,
      double weightedRss,
      double effectiveRows,
      long rows,
      long lastFrame) {}

  private final Config config;
  private final long trackId;
  private double k;
  private double gamma;
  private double p11;
  private double p12;
  private double p22;
  private double rss;
  private double n;
  private long rows;
  private long lastFrame = Long.MIN_VALUE;

  /** A fresh filter at the prior. */
  public CellRls(long trackId, Config config) {
    this.config = config;
    this.trackId = trackId;
    this.k = config.priorK();
    this.gamma = config.priorGamma();
    this.p11 = config.priorVarianceK();
    this.p22 = config.priorVarianceGamma();
  }

  /** Restores a filter. */
  public static CellRls restore(State s, Config config) {
    CellRls r = new CellRls(s.trackId(), config);
    r.k = s.k();
    r.gamma = s.gamma();
    r.p11 = s.pKK();
    r.p12 = s.pKGamma();
    r.p22 = s.pGammaGamma();
    r.rss = s.weightedRss();
    r.n = s.effectiveRows();
    r.rows = s.rows();
    r.lastFrame = s.lastFrame();
    return r;
  }

  /**
   * A daughter's filter that starts from its parent's estimate, with the parent's covariance
   * multiplied by {@link Config#daughterInflation()} (capped at the prior): a daughter inherits the
   * cytoplasm and the place of its parent, so the parent's k, γ are a better first guess than the
   * vague prior, and the inflation lets the daughter's own rows dominate within a few frames. The
   * residual statistics (and hence the warm-up of the anomaly tests) start afresh.
   */
  public static CellRls daughterOf(long daughterTrackId, State parent, Config config) {
    CellRls r = new CellRls(daughterTrackId, config);
    double f = config.daughterInflation();
    r.k = parent.k();
    r.gamma = parent.gamma();
    r.p11 = Math.min(f * parent.pKK(), config.priorVarianceK());
    r.p22 = Math.min(f * parent.pGammaGamma(), config.priorVarianceGamma());
    // keep the correlation of the parent's estimate, scaled to the capped variances
    double corr = parent.pKGamma() / Math.sqrt(parent.pKK() * parent.pGammaGamma());
    r.p12 = Double.isFinite(corr) ? corr * Math.sqrt(r.p11 * r.p22) : 0;
    return r;
  }

  /** The state as an immutable record. */
  public State snapshot() {
    return new State(trackId, k, gamma, p11, p12, p22, rss, n, rows, lastFrame);
  }

  /** The one-step-ahead innovation of a row, without changing the filter. */
  public Innovation innovate(RegressionRow row) {
    double phi = row.phi();
    double e = row.z() - (phi * k + gamma);
    double s = quadratic(phi);
    double var = noiseVariance() * (1 + s / config.forgetting());
    return new Innovation(trackId, row.frameIndex(), e, var, e / Math.sqrt(var), rows);
  }

  /** Absorbs a row; returns the innovation it had. */
  public Innovation update(RegressionRow row) {
    Innovation in = innovate(row);
    double rho = config.forgetting();
    double phi = row.phi();
    // P x with x = [φ, 1]
    double px0 = p11 * phi + p12;
    double px1 = p12 * phi + p22;
    double denom = rho + phi * px0 + px1;
    // K = P x / (ρ + xᵀPx)
    double k0 = px0 / denom;
    double k1 = px1 / denom;
    double e = in.error();
    // θ ← θ + K e
    k += k0 * e;
    gamma += k1 * e;
    // P ← (P − K xᵀP) / ρ = (P − P x xᵀ P / (ρ + xᵀPx)) / ρ
    p11 = (p11 - k0 * px0) / rho;
    p12 = (p12 - k0 * px1) / rho;
    p22 = (p22 - k1 * px1) / rho;
    // J ← ρ J + ρ e² / (ρ + xᵀPx)
    rss = rho * rss + rho * e * e / denom;
    n = rho * n + 1;
    rows++;
    lastFrame = row.frameIndex();
    return in;
  }

  /** Multiplies P by {@code factor} ≥ 1 (e.g. after a drift alarm), capped at the prior. */
  public void inflate(double factor) {
    double a = Math.min(factor * p11, config.priorVarianceK());
    double c = Math.min(factor * p22, config.priorVarianceGamma());
    double corr = p12 / Math.sqrt(p11 * p22);
    p11 = a;
    p22 = c;
    p12 = Double.isFinite(corr) ? corr * Math.sqrt(a * c) : 0;
  }

  /** xᵀPx for x = [φ, 1]. */
  private double quadratic(double phi) {
    return phi * (p11 * phi + p12) + p12 * phi + p22;
  }

  /** σ̂² = J / (n − 2) in (intensity/s)², NaN while n ≤ 3 (too few rows to estimate it). */
  public double noiseVariance() {
    return n > 3 ? rss / (n - 2) : Double.NaN;
  }

  /** The track id. */
  public long trackId() {
    return trackId;
  }

  /** Current k_i in 1/s (w_ij dimensionless, see {@link NeighbourLink}). */
  public double k() {
    return k;
  }

  /** Current γ_i in intensity/s. */
  public double gamma() {
    return gamma;
  }

  /** Rows absorbed. */
  public long rows() {
    return rows;
  }

  /** Standard error of k_i: √(σ̂² P_kk); NaN while σ̂² is unknown. */
  public double kStandardError() {
    return Math.sqrt(noiseVariance() * p11);
  }

  /** Standard error of γ_i: √(σ̂² P_γγ); NaN while σ̂² is unknown. */
  public double gammaStandardError() {
    return Math.sqrt(noiseVariance() * p22);
  }
}
