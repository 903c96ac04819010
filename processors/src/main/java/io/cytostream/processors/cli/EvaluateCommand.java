package io.cytostream.processors.cli;

import io.cytostream.processors.evaluate.Evaluation;
import io.cytostream.processors.evaluate.Panel;
import io.cytostream.processors.evaluate.ReportWriter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.topology.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
      description = "ci (a few minutes) or full (everything; long) (default: ${DEFAULT-VALUE}).")
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

  @CommandLine.Mixin SegmenterOptions segmenter = new SegmenterOptions();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
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
                  threads));
    }
    String md = ReportWriter.write(report, out);
    cl.getOut().print(md);
    cl.getOut()
        .printf(
            "%nwritten: %s, %s%n", out.resolve("evaluation.md"), out.resolve("evaluation.json"));
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
