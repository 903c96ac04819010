package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Aberrant cell: a cell whose k_i or γ_i is far from the culture. Among the cells with at least
 * {@link AnomalyConfig#aberrantWarmupRows()} rows (and at least {@link
 * AnomalyConfig#aberrantMinCells()} of them), the robust z-score of a parameter x is
 *
 * <pre>
 *   z = 0.6745 (x − median) / MAD,   MAD = median |x − median|
 * </pre>
 *
 * (0.6745 makes z a standard normal score for Gaussian x). A cell is reported when |z| exceeds
 * {@link AnomalyConfig#aberrantThreshold()}, once on entering the aberrant state per parameter; it
 * leaves the state when |z| falls below 0.8 × threshold (hysteresis), so a persistently aberrant
 * cell gives one event, not one per frame. With MAD = 0 the parameter is not tested.
 *
 * <p>No longer run by {@link AnomalyPipeline}: a cell's own k_i, γ_i need a long warm-up, so it
 * could not find a cell aberrant within 3 frames; {@link FieldResidualTest} judges the cell's feed
 * against the field's instead. Kept for the stored state it wrote ({@code FovRecord.aberrant}).
 *
 * <p>State: the flagged track ids ({@link #snapshot()}, {@link #restore}).
 */
public final class AberrantCellDetector {

  /**
   * Flagged cells.
   *
   * @param flaggedK tracks currently aberrant in k
   * @param flaggedGamma tracks currently aberrant in γ
   */
  public record State(List<Long> flaggedK, List<Long> flaggedGamma) {

    /** Copies the lists. */
    public State {
      flaggedK = List.copyOf(flaggedK);
      flaggedGamma = List.copyOf(flaggedGamma);
    }
  }

  private final AnomalyConfig config;
  private final Set<Long> flaggedK = new HashSet<>();
  private final Set<Long> flaggedGamma = new HashSet<>();

  public AberrantCellDetector(AnomalyConfig config) {
    this.config = config;
  }

  /** Restores a detector. */
  public static AberrantCellDetector restore(AnomalyConfig config, State s) {
    AberrantCellDetector d = new AberrantCellDetector(config);
    d.flaggedK.addAll(s.flaggedK());
    d.flaggedGamma.addAll(s.flaggedGamma());
    return d;
  }

  /** The flagged sets, sorted. */
  public State snapshot() {
    return new State(flaggedK.stream().sorted().toList(), flaggedGamma.stream().sorted().toList());
  }

  /** Forgets a track (retired: it will not be seen again). */
  public void forget(long trackId) {
    flaggedK.remove(trackId);
    flaggedGamma.remove(trackId);
  }

  /** Tests the culture's current estimates (one frame); returns the newly aberrant cells. */
  public List<Anomaly> test(List<CellEstimate> cells) {
    List<CellEstimate> warm = new ArrayList<>();
    for (CellEstimate c : cells) {
      if (c.rows() >= config.aberrantWarmupRows()
          && Double.isFinite(c.k())
          && Double.isFinite(c.gamma())) {
        warm.add(c);
      }
    }
    List<Anomaly> out = new ArrayList<>();
    if (warm.size() < config.aberrantMinCells()) {
      return out;
    }
    test(warm, CellEstimate::k, "k", flaggedK, out);
    test(warm, CellEstimate::gamma, "gamma", flaggedGamma, out);
    return out;
  }

  private void test(
      List<CellEstimate> warm,
      ToDoubleFunction<CellEstimate> param,
      String name,
      Set<Long> flagged,
      List<Anomaly> out) {
    double[] x = warm.stream().mapToDouble(param).toArray();
    double median = RobustStats.median(x.clone());
    double[] dev = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dev[i] = Math.abs(x[i] - median);
    }
    double mad = RobustStats.median(dev);
    if (!(mad > 0)) {
      return;
    }
    double threshold = config.aberrantThreshold();
    for (int i = 0; i < x.length; i++) {
      long id = warm.get(i).trackId();
      double z = 0.6745 * (x[i] - median) / mad;
      if (Math.abs(z) > threshold) {
        if (flagged.add(id)) {
          out.add(
              new Anomaly(
                  AnomalyType.ABERRANT_CELL,
                  id,
                  "robust_z_" + name,
                  z,
                  threshold,
                  String.format(
                      Locale.ROOT,
                      "%s = %.4g vs culture median %.4g (MAD %.3g)",
                      name,
                      x[i],
                      median,
                      mad),
                  new Evidence(
                      null,
                      null,
                      null,
                      Map.of(
                          name,
                          x[i],
                          "cultureMedian",
                          median,
                          "mad",
                          mad,
                          "warmCells",
                          (double) x.length,
                          "rows",
                          (double) warm.get(i).rows()),
                      null)));
        }
      } else if (Math.abs(z) < 0.8 * threshold) {
        flagged.remove(id);
      }
    }
  }
}
