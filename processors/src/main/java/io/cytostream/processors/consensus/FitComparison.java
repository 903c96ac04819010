package io.cytostream.processors.consensus;

import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The paper's Table I kind of comparison (its Figs. 14–16): the same tracked frames fitted under
 * every parameterisation the CRLSM configuration offers (every constant of {@link
 * CrlsmConfig.Parameterisation}; eq. 1, which models one named cell, only when the configuration
 * names one), each judged by the paper's fit metric — the MSE between each cell's measured trace
 * and the trace re-simulated from that fit's final k and γ_i with the measured neighbours as
 * inputs, over the whole movie ({@link io.cytostream.state.consensus.TraceFit} without a window).
 * Kafka-free: each parameterisation runs its own {@link FovConsensus} over the frames, so the
 * default one reproduces the stream's {@code consensus.fov} k and γ_i exactly.
 *
 * <p>Units: k in 1/s, γ in signal units per s, MSE in squared signal units (normalised intensity by
 * default).
 */
public final class FitComparison {

  /**
   * One parameterisation's fit and its metric.
   *
   * @param parameterisation the configuration constant's name
   * @param label the name the stream publishes for it ({@code consensus.fov}'s {@code
   *     parameterisation})
   * @param k the fitted coupling, 1/s
   * @param kAtBound whether k sits on a bound of its box
   * @param rows regression rows fitted
   * @param cells cells re-simulated
   * @param traceMse pooled MSE over all re-simulated points
   * @param medianCellTraceMse median over cells of the per-cell MSE
   * @param cellTraceMse the per-cell MSE by track id
   */
  public record Row(
      String parameterisation,
      String label,
      double k,
      boolean kAtBound,
      long rows,
      int cells,
      double traceMse,
      double medianCellTraceMse,
      Map<Long, Double> cellTraceMse) {}

  private FitComparison() {}

  /**
   * Fits the frames under every parameterisation (the rest of {@code settings} unchanged).
   *
   * @param frames the FOV's tracked frames, in frame order
   */
  public static List<Row> run(
      String fov, List<TrackedFrame> frames, ConsensusSettings settings, AnomalyConfig anomalies) {
    List<Row> out = new ArrayList<>();
    for (CrlsmConfig.Parameterisation p : CrlsmConfig.Parameterisation.values()) {
      long cell = settings.crlsm().modelledCell();
      if (p == CrlsmConfig.Parameterisation.EQ1 && cell <= 0) {
        continue; // eq. 1 models one named cell: compared only when one is configured
      }
      ConsensusSettings s =
          settings.withCrlsm(
              p == CrlsmConfig.Parameterisation.EQ1
                  ? settings.crlsm().withSingleCell(cell)
                  : settings.crlsm().withParameterisation(p));
      FovConsensus c = FovConsensus.create(fov, s, anomalies, 0);
      ConsensusEstimate last = null;
      for (TrackedFrame tf : frames) {
        ConsensusEstimate e = c.step(tf).estimate();
        if (e != null) {
          last = e;
        }
      }
      if (last == null) {
        out.add(new Row(p.name(), "", Double.NaN, false, 0, 0, Double.NaN, Double.NaN, Map.of()));
        continue;
      }
      Map<Long, Double> cells =
          last.traceMseByTrack() == null ? Map.of() : new TreeMap<>(last.traceMseByTrack());
      double[] v = cells.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median =
          v.length == 0
              ? Double.NaN
              : v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
      out.add(
          new Row(
              p.name(),
              last.parameterisationName(),
              last.k(),
              last.k() <= last.kMin() || last.k() >= last.kMax(),
              last.rowsUsed(),
              cells.size(),
              last.traceMse() == null ? Double.NaN : last.traceMse(),
              median,
              cells));
    }
    return out;
  }

  /** The table as markdown. */
  public static String markdown(String fov, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Fit comparison across parameterisations: ").append(fov).append("\n\n");
    sb.append(
        "Trace MSE: each cell's measured y against its trace re-simulated by forward Euler from"
            + " the fit's final k and γ_i, measured neighbours as inputs, over the whole movie"
            + " (squared signal units).\n\n");
    sb.append(
        "| parameterisation | label | k (1/s) | k at bound | rows | cells | trace MSE (pooled)"
            + " | trace MSE (median cell) |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.5g | %s | %d | %d | %.4g | %.4g |%n",
              r.parameterisation(),
              r.label(),
              r.k(),
              r.kAtBound() ? "yes" : "no",
              r.rows(),
              r.cells(),
              r.traceMse(),
              r.medianCellTraceMse()));
    }
    return sb.toString();
  }

  /** One line per parameterisation: {@code parameterisation,label,k,k_at_bound,rows,...}. */
  public static String csv(List<Row> rows) {
    StringBuilder sb =
        new StringBuilder(
            "parameterisation,label,k,k_at_bound,rows,cells,trace_mse,median_cell_trace_mse\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%s,%d,%d,%s,%s%n",
              r.parameterisation(),
              r.label(),
              num(r.k()),
              r.kAtBound(),
              r.rows(),
              r.cells(),
              num(r.traceMse()),
              num(r.medianCellTraceMse())));
    }
    return sb.toString();
  }

  /** Per cell (the paper's Fig. 14): {@code track_id} then one MSE column per parameterisation. */
  public static String cellsCsv(List<Row> rows) {
    TreeSet<Long> ids = new TreeSet<>();
    rows.forEach(r -> ids.addAll(r.cellTraceMse().keySet()));
    StringBuilder sb = new StringBuilder("track_id");
    rows.forEach(r -> sb.append(",trace_mse_").append(r.parameterisation()));
    sb.append('\n');
    for (long id : ids) {
      sb.append(id);
      for (Row r : rows) {
        Double v = r.cellTraceMse().get(id);
        sb.append(',').append(v == null ? "" : num(v));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : "";
  }
}
