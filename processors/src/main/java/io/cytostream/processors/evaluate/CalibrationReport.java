package io.cytostream.processors.evaluate;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Markdown tables of a {@link Calibration}. */
public final class CalibrationReport {
  private CalibrationReport() {}

  /** The calibration's table: per test its threshold and the permissive events behind it. */
  public static String markdown(Calibration.Result r, Calibration.Settings s) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Calibration set: %d clean cultures (every style, seeds %s), %d×%d px, %d cells, %d"
                + " frames; %d true cell-frames (per style: %s); target %.3g events per 10⁴"
                + " cell-frames per test; %.0f s.%n%n",
            r.cultures(),
            s.seeds(),
            s.size(),
            s.size(),
            s.cells(),
            s.frames(),
            r.cellFrames(),
            r.cellFramesByStyle(),
            s.targetPer10k(),
            r.seconds()));
    TreeSet<String> styles = new TreeSet<>(r.cellFramesByStyle().keySet());
    b.append("| threshold | kind | permissive events | allowed | calibrated |");
    styles.forEach(st -> b.append(' ').append(st).append(" /10⁴ |"));
    b.append("\n|---|---|---|---|---|");
    styles.forEach(st -> b.append("---|"));
    b.append('\n');
    for (Calibration.Threshold t : r.thresholds()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %.4g |",
              t.key(),
              t.kind(),
              t.events(),
              t.allowed(),
              t.threshold()));
      styles.forEach(
          st ->
              b.append(
                  String.format(
                      Locale.ROOT, " %.2f |", t.eventsPer10kByStyle().getOrDefault(st, 0.0))));
      b.append('\n');
    }
    return b.toString();
  }

  /** The verification's table: published events per 10⁴ cell-frames per style and kind. */
  public static String verified(Map<String, Map<String, Double>> rates) {
    TreeSet<String> kinds = new TreeSet<>();
    rates.values().forEach(m -> kinds.addAll(m.keySet()));
    StringBuilder b =
        new StringBuilder("\nRe-run with the calibrated thresholds (events / 10⁴):\n\n");
    b.append("| style | all |");
    kinds.forEach(k -> b.append(' ').append(k).append(" |"));
    b.append("\n|---|---|");
    kinds.forEach(k -> b.append("---|"));
    b.append('\n');
    rates.forEach(
        (style, m) -> {
          double all = m.values().stream().mapToDouble(Double::doubleValue).sum();
          b.append(String.format(Locale.ROOT, "| %s | %.2f |", style, all));
          kinds.forEach(
              k -> b.append(String.format(Locale.ROOT, " %.2f |", m.getOrDefault(k, 0.0))));
          b.append('\n');
        });
    return b.toString();
  }
}
