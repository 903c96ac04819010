package io.cytostream.processors.cli;

import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.evaluate.Calibration;
import io.cytostream.processors.evaluate.CalibrationReport;
import io.cytostream.processors.evaluate.Evaluation;
import io.cytostream.processors.evaluate.Panel;
import io.cytostream.processors.evaluate.ReportWriter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.topology.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: the whole chain over a panel of data with ground truth, one table. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Run `process` (default settings, and with the ground-truth masks as ideal segmentation)",
      "over a panel: CTC sequences, held-out images of ../shared/data/train, simulated cultures",
      "with every anomaly kind injected and clean ones. Writes evaluation.md and evaluation.json",
      "(SEG, DET, TRA, LNK, BC(1); per anomaly kind recall and precision; false events per 10^4",
      "cell-frames) into --out, and each run's output under --out/runs."
    })
final class EvaluateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--panel",
      defaultValue = "ci",
      paramLabel = "NAME",
      description =
          "ci (a few minutes), full (everything; long), sim (full's simulated cultures only)"
              + " or scale (SIM+ 01, MSC 01 and a culture of twice-size cells)"
              + " (default: ${DEFAULT-VALUE}).")
  String panel;

  @Option(
      names = "--out",
      defaultValue = "evaluation",
      paramLabel = "DIR",
      description = "Result folder (created; default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The shared data folder with ctc/ and train/ (default: ../shared/data, or the"
              + " cytostream.shared property).")
  Path data;

  @Option(
      names = "--threads",
      defaultValue = "1",
      paramLabel = "N",
      description = "Runs done at the same time (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--calibrate",
      description =
          "Instead of a panel: calibrate the anomaly thresholds on clean simulated cultures"
              + " (every style, --seeds) through the whole chain, to --target; writes"
              + " calibrated-thresholds.properties and calibration.md into --out.")
  boolean calibrate;

  @Option(
      names = "--target",
      defaultValue = "0.2",
      paramLabel = "RATE",
      description =
          "With --calibrate: false events per 10^4 cell-frames allowed per test (default:"
              + " ${DEFAULT-VALUE}; five tests, so at most 1 per 10^4 in all).")
  double target;

  @Option(
      names = "--seeds",
      defaultValue = "101-108",
      paramLabel = "FROM-TO",
      description =
          "With --calibrate: simulator seeds per style (default: ${DEFAULT-VALUE}; the panels"
              + " use 3 and 11, which must stay out).")
  String seeds;

  @Option(
      names = "--frames",
      defaultValue = "100",
      paramLabel = "N",
      description = "With --calibrate: frames per culture (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--verify",
      description =
          "With --calibrate: run the set again with the calibrated thresholds and report the"
              + " rate achieved (twice the time).")
  boolean verify;

  @Option(
      names = "--chain-only",
      description =
          "Run the simulated cultures through the chain only, without their ideal-mask (labels)"
              + " runs: the anomaly figures of the chain in half the time.")
  boolean chainOnly;

  @CommandLine.Mixin SegmenterOptions segmenter = new SegmenterOptions();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (calibrate) {
      return calibrate(cl);
    }
    Panel p;
    try {
      p = Panel.named(panel);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--panel: " + e.getMessage());
    }
    if (threads < 1) {
      throw new CommandLine.ParameterException(cl, "--threads must be at least 1");
    }
    Path shared = data != null ? data : defaultData();
    if (!Files.isDirectory(shared.resolve("ctc")) || !Files.isDirectory(shared.resolve("train"))) {
      throw new CommandLine.ParameterException(
          cl, "--data " + shared + " has no ctc/ and train/ folders");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CommandLine.ParameterException(cl, "--out " + out + " is a file");
    }
    SegmenterChoice choice = segmenter.choice(cl);
    Evaluation.Report report;
    try (Segmenters segmenters = Segmenters.open(choice)) {
      report =
          Evaluation.run(
              p,
              new Evaluation.Settings(
                  shared,
                  out.resolve("runs"),
                  PipelineConfig.defaults().withSegmenters(segmenters),
                  choice.defaultName(),
                  cl.getErr(),
                  threads,
                  chainOnly));
    }
    String md = ReportWriter.write(report, out);
    cl.getOut().print(md);
    cl.getOut()
        .printf(
            "%nwritten: %s, %s%n", out.resolve("evaluation.md"), out.resolve("evaluation.json"));
    return 0;
  }

  private Integer calibrate(CommandLine cl) throws Exception {
    String[] range = seeds.split("-");
    List<Long> seedList = new ArrayList<>();
    try {
      long from = Long.parseLong(range[0].trim());
      long to = range.length > 1 ? Long.parseLong(range[1].trim()) : from;
      for (long x = from; x <= to; x++) {
        seedList.add(x);
      }
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(cl, "--seeds: FROM-TO, e.g. 101-108");
    }
    if (seedList.contains(3L) || seedList.contains(11L)) {
      throw new CommandLine.ParameterException(
          cl, "--seeds: 3 and 11 are the evaluation panels' seeds (held out)");
    }
    if (!(target > 0) || threads < 1 || frames < 20) {
      throw new CommandLine.ParameterException(
          cl, "--target must be > 0, --threads >= 1, --frames >= 20");
    }
    SegmenterChoice choice = segmenter.choice(cl);
    Files.createDirectories(out);
    try (Segmenters segmenters = Segmenters.open(choice)) {
      Calibration.Settings s =
          new Calibration.Settings(
              out.resolve("runs"),
              PipelineConfig.defaults().withSegmenters(segmenters),
              seedList,
              384,
              34,
              frames,
              target,
              cl.getErr(),
              threads);
      Calibration.Result r = Calibration.run(s);
      String command =
          String.format(
              Locale.ROOT,
              "./cytostream evaluate --calibrate --target %s --seeds %s --frames %d (segmenter %s)",
              target,
              seeds,
              frames,
              choice.defaultName());
      Files.writeString(
          out.resolve(AnomalyConfig.CALIBRATION_RESOURCE), Calibration.properties(r, s, command));
      StringBuilder md = new StringBuilder(CalibrationReport.markdown(r, s));
      if (verify) {
        java.util.Properties p = new java.util.Properties();
        r.values().forEach((k, v) -> p.setProperty(k, Double.toString(v)));
        AnomalyConfig calibrated = AnomalyConfig.builder().calibrated(p).build();
        md.append(CalibrationReport.verified(Calibration.verify(s, calibrated)));
      }
      Files.writeString(out.resolve("calibration.md"), md.toString());
      cl.getOut().print(md);
      cl.getOut()
          .printf(
              "%nwritten: %s, %s%n",
              out.resolve(AnomalyConfig.CALIBRATION_RESOURCE), out.resolve("calibration.md"));
    }
    return 0;
  }

  /** ../shared/data from the working directory (the repository root), else the property. */
  private static Path defaultData() {
    if (System.getProperty("cytostream.shared") == null) {
      Path p = Path.of("..", "shared", "data");
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return CtcFiles.sharedData();
  }
}
