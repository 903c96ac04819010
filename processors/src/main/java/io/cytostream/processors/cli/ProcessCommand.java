package io.cytostream.processors.cli;

import io.cytostream.processors.consensus.FitComparison;
import io.cytostream.processors.offline.OfflineRunner;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.TrackedFrame;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code process}: the service's topology over a recorded sequence, without any service. */
@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline over a recorded sequence (a folder of single-plane TIFFs such as a CTC 01/,",
      "or a multi-page TIFF) in this process and write, in --output: res_track.txt and maskTTT.tif",
      "(Cell Tracking Challenge result), cells.csv, adjacency.csv, parameters.csv, consensus.json",
      "and events.jsonl."
    })
final class ProcessCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", required = true, description = "Folder of TIFFs or a multi-page TIFF.")
  Path input;

  @Option(names = "--output", required = true, description = "Result folder (created).")
  Path output;

  @Option(names = "--fov", description = "FOV id (default: the input's name).")
  String fov;

  @Option(
      names = "--labels",
      description =
          "Folder of label images (16-bit TIFF per frame, e.g. a CTC TRA or SEG folder) to use"
              + " instead of segmentation.")
  Path labels;

  @Option(
      names = "--interval",
      defaultValue = "1",
      paramLabel = "SECONDS",
      description =
          "Frame interval in seconds (the files carry no times; default: ${DEFAULT-VALUE}).")
  double interval;

  @CommandLine.Mixin SegmenterOptions segmenter = new SegmenterOptions();

  @Option(
      names = "--min-area",
      paramLabel = "PX",
      description =
          "Smallest cell kept, in pixels (default: the segmenter's, 150 px; the calcium paper"
              + " used 500). Small-field movies need less.")
  Integer minArea;

  @Option(
      names = "--sigma",
      paramLabel = "PX",
      description = "Gaussian smoothing before thresholding, in pixels (default: 1.5).")
  Double sigma;

  @Option(
      names = "--pixel-size",
      paramLabel = "UM",
      description =
          "Pixel size in µm, put in every frame header (TIFFs carry none): the model's u and l are"
              + " then in µm and the coupling scale in µm².")
  Double pixelSize;

  @Option(
      names = "--objective",
      paramLabel = "NAME",
      description =
          "CRLSM objective: delta-y (the paper's: λ against rows Δy = Δt(φk + γ); default) or rate"
              + " (λ against z = Δy/Δt, the service's objective before 1.1).")
  String objective;

  @Option(
      names = "--estimator",
      paramLabel = "NAME",
      description =
          "ls (least squares, the paper's; default) or iv (instrumental variables: removes the"
              + " upward bias of k from measurement noise).")
  String estimator;

  @Option(
      names = "--parameterisation",
      paramLabel = "NAME",
      description =
          "eq3 (k and one γ per cell; default), eq2 (k and one shared γ) or eq1 (one cell: k"
              + " and its γ; needs --cell): the paper's eqs. 1-3.")
  String parameterisation;

  @Option(names = "--cell", paramLabel = "TRACK", description = "The one cell of eq1.")
  Long cell;

  @Option(
      names = "--border",
      paramLabel = "RULE",
      description =
          "Border cells (inputs only): edge (touching the image edge; default), ring:W (centroid"
              + " within W px of the edge) or list:ID,ID,... (track ids, plus the edge cells).")
  String border;

  @Option(
      names = "--coupling-scale",
      paramLabel = "S",
      description = "s in w = u·l / s (px², or µm² with --pixel-size; default 1000).")
  Double couplingScale;

  @Option(
      names = "--k-bounds",
      paramLabel = "LO:HI",
      description = "Bounds of k (default 0.001:0.1).")
  String kBounds;

  @Option(
      names = "--gamma-bounds",
      paramLabel = "LO:HI",
      description = "Bounds of every γ (default -3e-5:0.1).")
  String gammaBounds;

  @Option(
      names = "--fit-comparison",
      description =
          "Also fit the consensus model under eq2 and eq3 (and eq1 with --cell) and write"
              + " fit-comparison.md/.csv (k and the paper's trace MSE per parameterisation) and"
              + " fit-comparison-cells.csv (trace MSE per cell), as the paper's Table I.")
  boolean fitComparison;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (pixelSize != null && !(pixelSize > 0 && Double.isFinite(pixelSize))) {
      throw new CommandLine.ParameterException(cl, "--pixel-size must be a number > 0 (µm)");
    }
    if (couplingScale != null && !(couplingScale > 0 && Double.isFinite(couplingScale))) {
      throw new CommandLine.ParameterException(cl, "--coupling-scale must be a number > 0");
    }
    if (minArea != null && minArea < 1) {
      throw new CommandLine.ParameterException(cl, "--min-area must be at least 1 px");
    }
    if (sigma != null && !(sigma >= 0)) {
      throw new CommandLine.ParameterException(cl, "--sigma must be >= 0");
    }
    if (!Files.exists(input)) {
      throw new CommandLine.ParameterException(cl, "--input " + input + " does not exist");
    }
    if (labels != null && !Files.isDirectory(labels)) {
      throw new CommandLine.ParameterException(cl, "--labels " + labels + " is not a directory");
    }
    if (!(interval > 0) || Double.isInfinite(interval)) {
      throw new CommandLine.ParameterException(cl, "--interval must be > 0 seconds");
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new CommandLine.ParameterException(cl, "--output " + output + " is a file");
    }
    String fovId = fov != null ? fov : defaultFov(input);
    SegmenterChoice choice = segmenter.choice(cl);
    PipelineConfig config = PipelineConfig.defaults();
    try {
      config =
          config.toBuilder()
              .consensus(
                  config
                      .consensus()
                      .withNamed(
                          objective,
                          estimator,
                          parameterisation,
                          cell,
                          border,
                          couplingScale,
                          kBounds,
                          gammaBounds,
                          null))
              .build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    if (minArea != null || sigma != null) {
      var seg = config.segmentation();
      if (minArea != null) {
        seg = seg.withAreas(minArea, seg.maxArea());
      }
      if (sigma != null) {
        seg = seg.withSigma(sigma);
      }
      var image = config.image();
      if (minArea != null) {
        image =
            new io.cytostream.processors.pipeline.ImagePipeline.Settings(
                image.normalizer(), image.hotPixels(), image.measure().withMin(minArea));
      }
      config = config.toBuilder().segmentation(seg).image(image).build();
    }
    long t0 = System.nanoTime();
    OfflineRunner.Summary s;
    List<TrackedFrame> tracked = new ArrayList<>();
    try (Segmenters segmenters = Segmenters.open(choice)) {
      s =
          OfflineRunner.run(
              new OfflineRunner.Options(
                  input,
                  output,
                  fovId,
                  labels,
                  interval,
                  config.withSegmenters(segmenters),
                  pixelSize),
              fitComparison ? tracked::add : f -> {});
    }
    if (fitComparison) {
      List<FitComparison.Row> rows =
          FitComparison.run(fovId, tracked, config.consensus(), config.anomaly());
      Files.writeString(
          output.resolve("fit-comparison.md"),
          FitComparison.markdown(fovId, rows),
          StandardCharsets.UTF_8);
      Files.writeString(
          output.resolve("fit-comparison.csv"), FitComparison.csv(rows), StandardCharsets.UTF_8);
      Files.writeString(
          output.resolve("fit-comparison-cells.csv"),
          FitComparison.cellsCsv(rows),
          StandardCharsets.UTF_8);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    PrintWriter out = cl.getOut();
    out.printf(
        "processed %d frames of %s in %.1f s (%.2f frames/s): %d tracks, %d anomaly events -> %s%n",
        s.frames(), fovId, seconds, s.frames() / seconds, s.tracks(), s.events(), output);
    if (!s.deadLetters().isEmpty()) {
      PrintWriter err = cl.getErr();
      err.printf("%d records were refused (dead letters):%n", s.deadLetters().size());
      s.deadLetters().stream().limit(10).forEach(d -> err.println("  " + d));
    }
    return 0;
  }

  /**
   * The FOV id a sequence gets by default: its folder or file name (a CTC 01 gets its parent's).
   */
  static String defaultFov(Path input) {
    Path abs = input.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? "fov" : abs.getFileName().toString();
    if (name.matches("\\d+") && abs.getParent() != null && abs.getParent().getFileName() != null) {
      return abs.getParent().getFileName() + "/" + name;
    }
    return name.replaceFirst("\\.tiff?$", "");
  }
}
