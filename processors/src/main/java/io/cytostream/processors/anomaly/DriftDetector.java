package io.cytostream.processors.anomaly;

import io.cytostream.state.consensus.Innovation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model drift: a two-sided CUSUM on each cell's standardised innovations r_t = e_t/σ_t,
 *
 * <pre>
 *   S⁺ ← max(0, S⁺ + r − κ),   S⁻ ← max(0, S⁻ − r − κ),   alarm when S⁺ &gt; h or S⁻ &gt; h
 * </pre>
 *
 * with κ = {@link AnomalyConfig#cusumSlack()} and h = {@link AnomalyConfig#cusumThreshold()}; both
 * sums reset to 0 after an alarm; r enters clipped at ±{@value #CLIP_SIGMAS}. Rows during warm-up
 * or with unknown σ_t are skipped. Feed it every innovation, spikes included: a level shift larger
 * than the spike threshold is rejected as a spike row by row, and this is the test that sees it
 * persist. After an alarm the stage should {@link io.cytostream.state.consensus.CellRls#inflate
 * inflate} the cell's filter so it re-learns.
 *
 * <p>State: one {@link CusumState} per track ({@link #snapshot()}, {@link #restore}); {@link
 * #forget} drops an ended track.
 */
public final class DriftDetector {

  /**
   * CUSUM state of one track.
   *
   * @param trackId the track
   * @param upper S⁺ in σ units
   * @param lower S⁻ in σ units
   * @param alarms alarms raised so far
   */
  public record CusumState(long trackId, double upper, double lower, long alarms) {}

  private final AnomalyConfig config;
  private final Map<Long, CusumState> states = new HashMap<>();

  public DriftDetector(AnomalyConfig config) {
    this.config = config;
  }

  /** Restores a detector. */
  public static DriftDetector restore(AnomalyConfig config, List<CusumState> states) {
    DriftDetector d = new DriftDetector(config);
    for (CusumState s : states) {
      d.states.put(s.trackId(), s);
    }
    return d;
  }

  /** All per-track states. */
  public List<CusumState> snapshot() {
    return List.copyOf(new ArrayList<>(states.values()));
  }

  /** The state of one track, or null. */
  public CusumState state(long trackId) {
    return states.get(trackId);
  }

  /** Drops a track's state (track ended). */
  public void forget(long trackId) {
    states.remove(trackId);
  }

  /**
   * Each standardised innovation enters the sums clipped at ± this many σ (the filter's outlier
   * rule, {@link AnomalyPipeline#ROW_OUTLIER_SIGMAS}): one outlying row — a spike, a segmentation
   * glitch — adds at most {@value #CLIP_SIGMAS} − κ, so it cannot raise an alarm on its own, while
   * a persistent shift still accumulates row by row. Before, a single spike row of hundreds of σ
   * raised a drift alarm at once.
   */
  public static final double CLIP_SIGMAS = 5;

  /** Updates the track's CUSUM with one innovation; zero or one {@link AnomalyType#MODEL_DRIFT}. */
  public List<Anomaly> test(Innovation in) {
    double raw = in.normalised();
    if (in.rowsBefore() < config.driftWarmupRows() || !Double.isFinite(raw)) {
      return List.of();
    }
    double r = Math.max(-CLIP_SIGMAS, Math.min(CLIP_SIGMAS, raw));
    CusumState s = states.getOrDefault(in.trackId(), new CusumState(in.trackId(), 0, 0, 0));
    double kappa = config.cusumSlack();
    double h = config.cusumThreshold();
    double up = Math.max(0, s.upper() + r - kappa);
    double down = Math.max(0, s.lower() - r - kappa);
    if (up > h || down > h) {
      boolean rising = up > h;
      states.put(in.trackId(), new CusumState(in.trackId(), 0, 0, s.alarms() + 1));
      return List.of(
          new Anomaly(
              AnomalyType.MODEL_DRIFT,
              in.trackId(),
              rising ? "cusum_upper" : "cusum_lower",
              rising ? up : down,
              h,
              String.format(
                  Locale.ROOT,
                  "residuals persistently %s the consensus model (CUSUM %.1f > %.1f)",
                  rising ? "above" : "below",
                  rising ? up : down,
                  h),
              new Evidence(
                  null,
                  List.of(in.frameIndex()),
                  null,
                  Map.of(
                      "slack",
                      kappa,
                      "lastResidual",
                      raw,
                      "rowsBefore",
                      (double) in.rowsBefore(),
                      "alarmsBefore",
                      (double) s.alarms()),
                  null)));
    }
    states.put(in.trackId(), new CusumState(in.trackId(), up, down, s.alarms()));
    return List.of();
  }
}
