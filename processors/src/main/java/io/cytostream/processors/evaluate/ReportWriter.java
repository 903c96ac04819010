package io.cytostream.processors.evaluate;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes an {@link Evaluation.Report} as {@code evaluation.md} (the tables, for the README) and
 * {@code evaluation.json} (every figure, for tools).
 */
public final class ReportWriter {
  private ReportWriter() {}

  /** Writes both files into {@code dir} (created) and returns the markdown. */
  public static String write(Evaluation.Report r, Path dir) throws IOException {
    Files.createDirectories(dir);
    String md = markdown(r);
    Files.writeString(dir.resolve("evaluation.md"), md, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("evaluation.json"),
        Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r)
            + "\n",
        StandardCharsets.UTF_8);
    return md;
  }

  /** The tables as markdown. */
  public static String markdown(Evaluation.Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Panel `%s`, default segmenter `%s`, %.0f s. `chain` = `process` with default"
                + " settings; `labels` = `process --labels` with the ground-truth masks (ideal"
                + " segmentation).%n%n",
            r.panel(),
            r.segmenter(),
            r.seconds()));
    sb.append(
        "| data | run | frames | SEG | DET | TRA | LNK | BC(1) | anomaly events / 10⁴ cell-frames"
            + " |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Evaluation.MeasureRow m : r.measures()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %s | %s | %s | %s |%n",
              m.data(),
              m.mode(),
              m.frames(),
              f3(m.seg()),
              f3(m.det()),
              f3(m.tra()),
              f3(m.lnk()),
              f3(m.bc1()),
              f1(m.eventsPer10k())));
    }
    if (!r.kinds().isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nInjected anomalies, pooled over the anomaly cultures: an event counts when it"
                  + " has the kind, names the right track (through the masks) and comes within %d"
                  + " frames of the onset. Persistent kinds (aberrant_cell, model_drift) also"
                  + " with any delay.%n%n",
              AnomalyScorer.WINDOW));
      sb.append(
          "| kind | run | injected | recall | precision | recall, any delay (median delay) |"
              + " events |\n");
      sb.append("|---|---|---|---|---|---|---|\n");
      for (Evaluation.KindRow k : r.kinds()) {
        AnomalyScorer.KindCounts c = k.counts();
        String any = "–";
        if (c.injected() > 0 && AnomalyScorer.persistent(kindType(c.kind()))) {
          any =
              f2(c.detectedAnyDelay() / (double) c.injected())
                  + (c.delays().isEmpty() ? "" : " (" + median(c.delays()) + ")");
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %s | %s | %d |%n",
                c.kind(),
                k.mode(),
                c.injected(),
                f2(c.recall()),
                f2(c.precision()),
                any,
                c.events()));
      }
    }
    if (!r.clean().isEmpty()) {
      sb.append(
          "\nClean cultures (nothing injected): events per 10⁴ true cell-frames. Divisions are"
              + " listed apart (the culture's life, not anomalies).\n\n");
      TreeSet<String> kinds = new TreeSet<>();
      r.clean().forEach(c -> kinds.addAll(c.eventsByKind().keySet()));
      kinds.remove("division");
      sb.append("| culture | run | cell-frames | anomalies / 10⁴ |");
      kinds.forEach(k -> sb.append(' ').append(k).append(" |"));
      sb.append(" division events (true divisions) |\n|---|---|---|---|");
      kinds.forEach(k -> sb.append("---|"));
      sb.append("---|\n");
      for (Evaluation.CleanRow c : r.clean()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %.1f |",
                c.data(),
                c.mode(),
                c.cellFrames(),
                c.anomaliesPer10k()));
        for (String k : kinds) {
          sb.append(' ').append(c.eventsByKind().getOrDefault(k, 0)).append(" |");
        }
        sb.append(
            String.format(
                Locale.ROOT,
                " %d (%d) |%n",
                c.eventsByKind().getOrDefault("division", 0),
                c.trueDivisions()));
      }
    }
    return sb.toString();
  }

  private static AnomalyType kindType(String kind) {
    try {
      return AnomalyType.fromWireName(kind);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int median(List<Integer> xs) {
    List<Integer> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String f3(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f2(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f1(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
  }
}
