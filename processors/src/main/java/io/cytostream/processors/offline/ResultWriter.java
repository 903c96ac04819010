package io.cytostream.processors.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.ingest.tiff.TiffWriter;
import io.cytostream.processors.track.CtcTrackTable;
import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.TrackAssignment;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.TrackedFrame;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes what {@code process} produces, as the topology emits it: the Cell Tracking Challenge
 * result ({@code res_track.txt}, {@code maskTTT.tif}), {@code cells.csv}, {@code adjacency.csv},
 * {@code parameters.csv}, {@code consensus.json}, {@code events.jsonl} and {@code lifecycle.jsonl}.
 * Column names are part of the interface (README.md).
 */
final class ResultWriter implements Closeable {
  static final String CELLS_HEADER =
      "frame,track_id,centroid_x,centroid_y,area_px,mean_intensity,normalized_intensity,on_border";
  static final String ADJACENCY_HEADER =
      "frame,track_i,track_j,shared_border_px,centroid_distance_px";
  static final String PARAMETERS_HEADER = "track_id,k_i,gamma_i,k_i_se,gamma_i_se";

  private final Path out;
  private final int digits;
  private final BufferedWriter cells;
  private final BufferedWriter adjacency;
  private final BufferedWriter events;
  private final BufferedWriter lifecycle;
  private final CtcTrackTable ctc = new CtcTrackTable(false);
  private final Set<Long> masksWritten = new HashSet<>();
  private final Map<Long, CellState> lastState = new TreeMap<>();
  private ConsensusEstimate consensus;
  private int eventCount;

  ResultWriter(Path out, int digits) throws IOException {
    this.out = out;
    this.digits = digits;
    Files.createDirectories(out);
    cells = Files.newBufferedWriter(out.resolve("cells.csv"), StandardCharsets.UTF_8);
    adjacency = Files.newBufferedWriter(out.resolve("adjacency.csv"), StandardCharsets.UTF_8);
    events = Files.newBufferedWriter(out.resolve("events.jsonl"), StandardCharsets.UTF_8);
    lifecycle = Files.newBufferedWriter(out.resolve("lifecycle.jsonl"), StandardCharsets.UTF_8);
    line(cells, CELLS_HEADER);
    line(adjacency, ADJACENCY_HEADER);
  }

  private static void line(BufferedWriter w, String s) throws IOException {
    w.write(s);
    w.write('\n');
  }

  Path maskPath(long frame) {
    return out.resolve(String.format(Locale.ROOT, "mask%0" + digits + "d.tif", frame));
  }

  /** One frame with final links: mask relabelled with CTC labels, CSV rows. */
  void accept(TrackedFrame f) throws IOException {
    List<TrackAssignment> assignments = new ArrayList<>();
    for (TrackedFrame.Cell c : f.cells()) {
      assignments.add(new TrackAssignment(c.label(), c.trackId(), c.parentTrackId()));
    }
    Map<Integer, Integer> ctcLabels =
        ctc.accept(new FinalizedFrame(f.frameIndex(), f.finalAtFrame(), assignments, List.of()));
    short[] mask = new short[f.width() * f.height()];
    if (f.labels() != null) {
      int[] labels = f.labels().decode();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 0) {
          mask[i] = (short) (int) ctcLabels.getOrDefault(labels[i], 0);
        }
      }
    }
    TiffWriter.writeUint16(
        maskPath(f.frameIndex()), f.width(), f.height(), mask, TiffWriter.Compression.DEFLATE);
    masksWritten.add(f.frameIndex());
    for (TrackedFrame.Cell c : f.cells()) {
      line(
          cells,
          String.format(
              Locale.ROOT,
              "%d,%d,%.3f,%.3f,%d,%.4f,%.6f,%s",
              f.frameIndex(),
              c.trackId(),
              c.centroidX(),
              c.centroidY(),
              c.areaPx(),
              c.meanIntensity(),
              c.normalizedIntensity(),
              c.onBorder()));
    }
    for (TrackedFrame.Neighbours n : f.neighbours()) {
      line(
          adjacency,
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%d,%.3f",
              f.frameIndex(),
              n.trackI(),
              n.trackJ(),
              n.sharedBorderPx(),
              n.centroidDistancePx()));
    }
  }

  void state(CellState s) {
    lastState.put(s.trackId(), s);
  }

  void consensus(ConsensusEstimate e) {
    consensus = e;
  }

  /** One anomaly event, as published on the events topic. */
  void event(String json) throws IOException {
    line(events, json);
    eventCount++;
  }

  /** One life event (birth, division, gap closed, track end), as published on cells.lifecycle. */
  void lifecycle(String json) throws IOException {
    line(lifecycle, json);
  }

  int events() {
    return eventCount;
  }

  int tracks() {
    return ctc.tracks().size();
  }

  /**
   * Writes the files that need the whole run: empty masks for frames that produced no cells
   * (dead-lettered), res_track.txt, parameters.csv, consensus.json.
   */
  void finish(List<Long> inputFrames, int width, int height, double intervalSeconds)
      throws IOException {
    for (long f : inputFrames) {
      if (!masksWritten.contains(f)) {
        TiffWriter.writeUint16(
            maskPath(f), width, height, new short[width * height], TiffWriter.Compression.DEFLATE);
      }
    }
    Files.writeString(out.resolve("res_track.txt"), ctc.render(), StandardCharsets.UTF_8);
    try (BufferedWriter w =
        Files.newBufferedWriter(out.resolve("parameters.csv"), StandardCharsets.UTF_8)) {
      line(w, PARAMETERS_HEADER);
      for (CellState s : lastState.values()) {
        if (s.kCell() == null) {
          continue;
        }
        line(
            w,
            String.format(
                Locale.ROOT,
                "%d,%s,%s,%s,%s",
                s.trackId(),
                num(s.kCell()),
                num(s.gammaCell()),
                num(s.kCellSe()),
                num(s.gammaCellSe())));
      }
    }
    ObjectNode root = Json.mapper().createObjectNode();
    if (consensus != null) {
      ConsensusEstimate c = consensus;
      root.put("fov", c.fov());
      root.put("parameterisation", c.parameterisationName());
      root.put("objective", c.objective());
      root.put("estimator", c.estimator());
      if (c.modelledCell() != null) {
        root.put("modelled_cell", c.modelledCell());
      }
      root.put("border", c.border());
      root.put("k", c.k());
      putNullable(root, "k_se", c.kStandardError());
      if (c.kAtBound() != null) {
        root.put("k_at_bound", c.kAtBound());
      }
      if (c.kStandardErrorAbsent() != null) {
        root.put("k_se_absent", c.kStandardErrorAbsent());
      }
      ObjectNode gamma = root.putObject("gamma");
      c.gamma().forEach((id, g) -> gamma.put(Long.toString(id), g));
      ObjectNode gammaSe = root.putObject("gamma_se");
      c.gammaStandardError().forEach((id, g) -> gammaSe.put(Long.toString(id), g));
      root.put("lambda", c.lambda());
      ObjectNode bounds = root.putObject("bounds");
      bounds.putArray("k").add(c.kMin()).add(c.kMax());
      bounds.putArray("gamma").add(c.gammaMin()).add(c.gammaMax());
      root.put("forgetting", c.forgetting());
      root.put("frames_used", c.framesUsed());
      root.put("rows_used", c.rowsUsed());
      putNullable(root, "dt_seconds", c.meanDtSeconds());
      putNullable(root, "residual_variance", c.residualVariance());
      root.put("signal", c.signal());
      String unit = c.lengthUnit() != null ? c.lengthUnit() : "px";
      double scale = c.couplingScale() != null ? c.couplingScale() : c.couplingScalePx2();
      root.put("coupling_weight", "u_ij * l_ij / " + scale + " " + unit + "^2");
      root.put("coupling_scale", scale);
      root.put("length_unit", unit);
      putNullable(root, "pixel_size_um", c.pixelSizeUm());
      ObjectNode norm = root.putObject("normalization");
      putNullable(norm, "lo", c.normLo());
      putNullable(norm, "hi", c.normHi());
      norm.put("formula", "(log(x+1) - lo) / (hi - lo)");
      root.put("last_frame", c.frameIndex());
      // the paper's fit metric: measured vs re-simulated traces (absent in older records)
      putNullable(root, "trace_mse", c.traceMse());
      ObjectNode traceMse = root.putObject("trace_mse_by_track");
      if (c.traceMseByTrack() != null) {
        c.traceMseByTrack().forEach((id, v) -> traceMse.put(Long.toString(id), v));
      }
      if (c.traceWindowSteps() != null) {
        root.put("trace_window_steps", c.traceWindowSteps());
      }
    } else {
      root.put("k", (Double) null);
      root.put("note", "no regression rows: too few frames or no interior cell with neighbours");
    }
    root.put("interval_seconds_default", intervalSeconds);
    Files.writeString(
        out.resolve("consensus.json"),
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
        StandardCharsets.UTF_8);
  }

  private static String num(Double d) {
    return d == null || d.isNaN() ? "" : String.format(Locale.ROOT, "%.9g", d);
  }

  private static void putNullable(ObjectNode n, String field, Double v) {
    if (v == null || v.isNaN() || v.isInfinite()) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  @Override
  public void close() throws IOException {
    try (cells;
        adjacency;
        events;
        lifecycle) {
      cells.flush();
    }
  }
}
