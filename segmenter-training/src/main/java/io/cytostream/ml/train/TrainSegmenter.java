package io.cytostream.ml.train;

import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.model.MapPostProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 *                [--crop 192] [--lr 0.002] [--data ../shared/data]
 *                [--fg 0.5 --bd 0.5 --min-seed 20 --min-area 60 --fill-holes 400]
 * train-segmenter --model DIR/savedmodel [post-processing options]   (validation only)
 * </pre>
 *
 * <p>Data: the annotated frames (SEG ground truth) of CTC Fluo-N2DH-SIM+ 01 and Fluo-C2DL-MSC 01,
 * normalised exactly as the service normalises them; the last quarter of each sequence's annotated
 * frames (in time) is held out for validation. Plus frames of the in-repo culture simulator (its
 * exact label images). Targets: foreground and a one-pixel inner cell boundary (a pixel whose 3×3
 * neighbourhood holds another label, background included). Some MSC frames annotate only a few of
 * their cells (fewer SEG objects than TRA markers): there the loss counts only pixels within
 * {@value Sample#KNOWN_MARGIN} px of an annotated cell. Augmentation: random crops, the 8
 * flips/rotations, random gain and offset. Loss: sigmoid cross-entropy on both maps (boundary
 * positives weighted ×3). Adam. All randomness from {@code --seed}.
 *
 * <p>Prints validation SEG/DET of the model and of the classical segmenter on the held-out frames
 * and on the whole sequences, then writes {@code DIR/savedmodel} (tags {@code serve}, signature
 * {@code serving_default}: input {@code input} float32 N×H×W×1, output {@code output} float32
 * N×H×W×2 probabilities) and {@code DIR/reference.json} (a fixed 32×32 input and the outputs TF
 * Java computed for it).
 */
public final class TrainSegmenter {
  private TrainSegmenter() {}

  /** The command line ({@code ./cytostream train-segmenter --help}). */
  @Command(
      name = "train-segmenter",
      mixinStandardHelpOptions = true,
      description = {
        "Train the U-Net segmenter with a fixed seed, print validation SEG/DET (model and classical),",
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
        defaultValue = "0.45,0.40,0.15",
        split = ",",
        description =
            "Shares of crops from SIM+, MSC and the simulator (default: ${DEFAULT-VALUE}).")
    double[] mix;

    @Option(names = "--fg", description = "Foreground probability threshold (default: 0.5).")
    Double fg;

    @Option(
        names = "--bd",
        description = "Boundary probability below which a pixel seeds (default: 0.5).")
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
      if (mix.length != 3
          || mix[0] < 0
          || mix[1] < 0
          || mix[2] < 0
          || mix[0] + mix[1] + mix[2] <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--mix takes three non-negative shares, e.g. 0.45,0.40,0.15");
      }
      train(this);
      return 0;
    }

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
    Path ctc = data.resolve("ctc");
    String[] seqs = {"Fluo-N2DH-SIM+", "Fluo-C2DL-MSC"};
    Map<String, Integer> splitAt = new HashMap<>();
    for (String s : seqs) {
      splitAt.put(s, TrainingData.ctcSplit(ctc.resolve(s).resolve("01_GT")));
    }
    if (o.model != null) {
      evaluateOnly(o.model, ctc, seqs, splitAt, o.post());
      return;
    }
    long t0 = System.nanoTime();
    List<Sample> train = new ArrayList<>();
    for (String s : seqs) {
      train.addAll(TrainingData.ctcTraining(ctc, s));
    }
    train.addAll(TrainingData.simulated(o.seed));
    System.out.printf(
        Locale.ROOT, "data ready: %d samples in %.1f s%n", train.size(), Trainer.secs(t0));
    BatchSampler sampler = new BatchSampler(train, new String[] {seqs[0], seqs[1], "sim"}, o.mix);
    Trainer.Config c = new Trainer.Config(o.steps, o.seed, o.base, o.levels, o.batch, o.crop, o.lr);
    MapPostProcessor post = o.post();
    Trainer.train(c, sampler, o.out, net -> Validation.ctc(ctc, seqs, splitAt, net, post));
  }

  /** Validation of an exported SavedModel (TF Java), e.g. to tune post-processing. */
  static void evaluateOnly(
      Path model, Path ctc, String[] seqs, Map<String, Integer> splitAt, MapPostProcessor post) {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      Operand<TFloat32> x = b.graph().operation("input").output(0);
      Operand<TFloat32> prob = b.graph().operation("output").output(0);
      System.out.println("post-processing " + post);
      Validation.ctc(
          ctc,
          seqs,
          splitAt,
          (in, n, h, w) -> Trainer.run(b.session(), x, prob, in, n, h, w),
          post);
    }
  }
}
