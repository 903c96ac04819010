package io.cytostream.processors.cli;

import io.cytostream.ingest.sim.AnomalySpec;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.sim.SimulationConfigBuilder;
import io.cytostream.ingest.sim.StylePresets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: a synthetic culture written in Cell Tracking Challenge layout. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a seeded cell culture (drifting, dividing cells; calcium following the consensus",
      "model with known k and γ_i; Poisson-Gaussian noise and hot pixels) and write it in Cell",
      "Tracking Challenge layout: 01/tTTT.tif, 01_GT/TRA, 01_GT/SEG, plus truth.json."
    })
final class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", required = true, description = "Folder to write (created).")
  Path output;

  @Option(
      names = "--frames",
      defaultValue = "100",
      description = "Frames (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--cells",
      defaultValue = "60",
      description = "Cells at frame 0 (default: ${DEFAULT-VALUE}).")
  int cells;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--width",
      defaultValue = "512",
      description = "Width in px (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--height",
      defaultValue = "512",
      description = "Height in px (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(
      names = "--interval",
      defaultValue = "1",
      paramLabel = "SECONDS",
      description = "Frame interval Δt in seconds (default: ${DEFAULT-VALUE}).")
  double interval;

  @Option(
      names = "--anomaly",
      paramLabel = "TYPE@FRAME",
      description =
          "Inject an anomaly, e.g. spike@40, hot_pixel_burst@25; types: spike, aberrant_cell,"
              + " model_drift, area_change, track_lost, hot_pixel_burst, saturation,"
              + " dropped_frame, intensity_collapse. Repeatable.")
  List<String> anomalies = new ArrayList<>();

  @Option(
      names = "--style",
      split = ",",
      paramLabel = "NAME",
      description =
          "Looks for evaluation and training, applied in order: sparse, large, small, dim, noisy,"
              + " uneven, drift, 8bit, 12bit (default: the standard look). Repeatable or"
              + " comma-separated.")
  List<String> styles = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (frames < 2) {
      throw new CommandLine.ParameterException(cl, "--frames must be at least 2");
    }
    if (cells < 1) {
      throw new CommandLine.ParameterException(cl, "--cells must be at least 1");
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new CommandLine.ParameterException(cl, "--output " + output + " is a file");
    }
    SimulationConfig config;
    try {
      SimulationConfigBuilder builder =
          SimulationConfig.builder()
              .size(width, height)
              .cells(cells)
              .frames(frames)
              .seed(seed)
              .frameIntervalSeconds(interval)
              .anomalies(parseAnomalies(cl));
      for (String style : styles) {
        StylePresets.apply(builder, style);
      }
      config = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    CtcWriter.Summary s = CtcWriter.write(config, output);
    cl.getOut()
        .printf(
            "wrote %d frames (%d tracks, %d divisions) to %s; ground truth in 01_GT and truth.json%n",
            s.frames(), s.tracks(), s.divisions(), s.directory());
    return 0;
  }

  private List<AnomalySpec> parseAnomalies(CommandLine cl) {
    List<AnomalySpec> out = new ArrayList<>();
    for (String a : anomalies) {
      String[] p = a.split("@");
      AnomalyType type = null;
      for (AnomalyType t : AnomalyType.values()) {
        if (p.length == 2
            && t.name().toLowerCase(Locale.ROOT).equals(p[0].toLowerCase(Locale.ROOT))) {
          type = t;
        }
      }
      if (type == null || !p[1].matches("\\d+")) {
        throw new CommandLine.ParameterException(
            cl, "--anomaly must be TYPE@FRAME, got '" + a + "'");
      }
      out.add(AnomalySpec.of(type, Integer.parseInt(p[1])));
    }
    return out;
  }
}
