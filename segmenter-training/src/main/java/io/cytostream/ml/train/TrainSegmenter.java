package io.cytostream.ml.train;

import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.ObjectScale;
import io.cytostream.processors.segment.model.RescalingSegmenter;
import io.cytostream.processors.segment.model.Tiler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the U-Net segmenter and exports it. One command ({@code ./cytostream train-segmenter}):
 *
 * <pre>
 * train-segmenter --out DIR [--steps 4000] [--seed 42] [--base 8] [--levels 4] [--batch 6]
 *                [--crop 192] [--lr 0.002] [--data ../shared/data] [--mix 0.22,0.22,0.2,0.36]
 *                [--leave-out SET] [--skip-classical]
 *                [--fg 0.5 --bd 0.3 --min-seed 20 --min-area 60 --fill-holes 400]
 * train-segmenter --model DIR/savedmodel [post-processing options]   (validation only)
 * </pre>
 *
 * <p>Data ({@link TrainingData}): the training side ({@link
 * io.cytostream.processors.segment.eval.DataSplits}) of the openly licensed annotated nuclei in
 * {@code DATA/train} (BBBC039, DSB 2018 fluorescence, Kromp et al.) and frames of the in-repo
 * culture simulator; no Cell Tracking Challenge data. Each crop is domain-randomised on raw
 * intensities and then normalised exactly as the service normalises ({@link Augmenter}). Targets:
 * foreground and a one-pixel inner cell boundary. Loss and export: {@link Trainer}.
 *
 * <p>Prints held-out SEG/DET ({@link Validation}) of the model and of the classical segmenter on
 * the whole CTC sequences Fluo-N2DH-SIM+ 01 and Fluo-C2DL-MSC 01 and on the held-out side of each
 * annotated set, then leaves {@code DIR/savedmodel} and {@code DIR/reference.json}.
 */
public final class TrainSegmenter {
  /** The CTC sequences scored (never trained on). */
  static final List<String> CTC_SEQUENCES = List.of("Fluo-N2DH-SIM+", "Fluo-C2DL-MSC");

  private TrainSegmenter() {}

  /** The command line ({@code ./cytostream train-segmenter --help}). */
  @Command(
      name = "train-segmenter",
      mixinStandardHelpOptions = true,
      description = {
        "Train the U-Net segmenter with a fixed seed, print held-out SEG/DET (model and classical),",
        "export DIR/savedmodel and DIR/reference.json. With --model: validate an exported model only."
      })
  static final class Options implements Callable<Integer> {
    @Option(
        names = "--out",
        defaultValue = "segmenter-training/target/model",
        paramLabel = "DIR",
        description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "Validate this SavedModel; no training.")
    Path model;

    @Option(
        names = "--steps",
        defaultValue = "4000",
        description = "Adam steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "Seed of all randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--base",
        defaultValue = "8",
        description = "Channels of the first level (default: ${DEFAULT-VALUE}).")
    int base;

    @Option(
        names = "--levels",
        defaultValue = "4",
        description = "Poolings (default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(
        names = "--batch",
        defaultValue = "6",
        description = "Crops per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--crop",
        defaultValue = "192",
        description = "Crop side, px (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(
        names = "--lr",
        defaultValue = "0.002",
        description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Shared data folder (default: ../shared/data).")
    Path data;

    @Option(
        names = "--mix",
        defaultValue = "0.22,0.22,0.2,0.36",
        split = ",",
        description =
            "Shares of crops from bbbc039, dsb2018-stage1-fluo, kromp-s-bsst265 and the simulator"
                + " (default: ${DEFAULT-VALUE}).")
    double[] mix;

    @Option(
        names = "--leave-out",
        paramLabel = "SET",
        description =
            "Train without this data set (for a leave-one-set-out table): bbbc039,"
                + " dsb2018-stage1-fluo, kromp-s-bsst265 or sim (the simulator); bbbc039 also drops"
                + " the DSB fields of the BBBC039 screen.")
    String leaveOut;

    @Option(
        names = "--max-minutes",
        defaultValue = "1e9",
        description = "Stop training after this many minutes (default: no limit).")
    double maxMinutes;

    @Option(
        names = "--rescale",
        split = ",",
        paramLabel = "LOW,HIGH,TARGET",
        description =
            "Score the model also with object-size rescaling (RescalingSegmenter): planes whose"
                + " median object diameter is outside LOW..HIGH px are resized to TARGET px.")
    double[] rescale;

    @Option(
        names = "--eval",
        split = ",",
        paramLabel = "NAME",
        description =
            "Score only the data sets whose name contains one of these (default: all held-out data).")
    List<String> eval;

    @Option(names = "--skip-classical", description = "Do not score the classical segmenter.")
    boolean skipClassical;

    @Option(names = "--fg", description = "Foreground probability threshold (default: 0.5).")
    Double fg;

    @Option(
        names = "--bd",
        description = "Boundary probability below which a pixel seeds (default: 0.3).")
    Double bd;

    @Option(names = "--min-seed", description = "Smallest seed, px (default: 20).")
    Integer minSeed;

    @Option(names = "--min-area", description = "Smallest object, px (default: 60).")
    Integer minArea;

    @Option(names = "--fill-holes", description = "Largest hole filled, px (default: 400).")
    Integer fillHoles;

    @Override
    public Integer call() throws IOException {
      if (steps < 1 || batch < 1 || levels < 1 || base < 1 || crop % (1 << levels) != 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--steps, --batch, --levels, --base must be >= 1 and --crop a multiple of 2^levels");
      }
      boolean badMix = mix.length != TrainingData.CC0_SETS.size() + 1;
      double total = 0;
      for (double m : mix) {
        badMix |= m < 0;
        total += m;
      }
      if (badMix || total <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--mix takes four non-negative shares, e.g. 0.22,0.22,0.2,0.36");
      }
      if (leaveOut != null
          && !TrainingData.CC0_SETS.contains(leaveOut)
          && !TrainingData.SIM.equals(leaveOut)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--leave-out takes one of " + TrainingData.CC0_SETS + " or " + TrainingData.SIM);
      }
      train(this);
      return 0;
    }

    /** Post-processing parameters from the arguments (defaults: {@link MapPostProcessor}). */
    MapPostProcessor post() {
      MapPostProcessor d = MapPostProcessor.defaults();
      return new MapPostProcessor(
          fg != null ? fg : d.fgThreshold(),
          bd != null ? bd : d.boundaryThreshold(),
          minSeed != null ? minSeed : d.minSeedArea(),
          minArea != null ? minArea : d.minArea(),
          fillHoles != null ? fillHoles : d.fillHolesMaxArea());
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  static void train(Options o) throws IOException {
    Path data = o.data != null ? o.data : CtcFiles.sharedData();
    if (o.model != null) {
      try (SavedModelBundle b = SavedModelBundle.load(o.model.toString(), "serve")) {
        Operand<TFloat32> x = b.graph().operation("input").output(0);
        Operand<TFloat32> prob = b.graph().operation("output").output(0);
        System.out.println("post-processing " + o.post());
        validate(data, (in, n, h, w) -> Trainer.run(b.session(), x, prob, in, n, h, w), o);
      }
      return;
    }
    long t0 = System.nanoTime();
    List<Sample> train = new ArrayList<>();
    for (String set : TrainingData.CC0_SETS) {
      if (!set.equals(o.leaveOut)) {
        train.addAll(
            TrainingData.cc0Training(data.resolve("train"), set, "bbbc039".equals(o.leaveOut)));
      }
    }
    if (!TrainingData.SIM.equals(o.leaveOut)) {
      train.addAll(TrainingData.simulated(o.seed));
    }
    System.out.printf(
        Locale.ROOT, "data ready: %d samples in %.1f s%n", train.size(), Trainer.secs(t0));
    List<String> sets = new ArrayList<>(TrainingData.CC0_SETS);
    sets.add(TrainingData.SIM);
    BatchSampler sampler = new BatchSampler(train, sets, o.mix);
    Trainer.Config c =
        new Trainer.Config(
            o.steps, o.seed, o.base, o.levels, o.batch, o.crop, o.lr, o.maxMinutes * 60);
    Trainer.train(c, sampler, o.out, net -> validate(data, net, o));
  }

  /** Held-out scores: the whole CTC sequences, then the held-out side of each annotated set. */
  static void validate(Path data, Tiler.Net net, Options o) {
    Map<String, Segmenter> segs = Validation.segmenters(net, o.post(), o.skipClassical);
    if (o.rescale != null) {
      ObjectScale scale = new ObjectScale(o.rescale[2], o.rescale[0], o.rescale[1], 3, 4);
      segs.put("model+rescale", new RescalingSegmenter(segs.get("model"), scale));
      segs.put(
          "model+rescale(classical size)",
          new RescalingSegmenter(segs.get("model"), new ClassicalSegmenter(), scale));
    }
    Validation.ctc(data.resolve("ctc"), selected(CTC_SEQUENCES, o.eval), segs);
    Validation.cc0(data.resolve("train"), selected(TrainingData.CC0_SETS, o.eval), segs);
    if (!selected(List.of(TrainingData.SIM), o.eval).isEmpty()) {
      Validation.sim(segs);
    }
  }

  private static List<String> selected(List<String> names, List<String> wanted) {
    if (wanted == null) {
      return names;
    }
    return names.stream().filter(n -> wanted.stream().anyMatch(n::contains)).toList();
  }
}
