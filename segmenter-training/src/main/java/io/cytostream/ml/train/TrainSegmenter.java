package io.cytostream.ml.train;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.DistanceTransform;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.Tiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
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
 * {@value #KNOWN_MARGIN} px of an annotated cell. Augmentation: random crops, the 8
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
  /** One training image with its targets. */
  record Sample(String set, float[] img, byte[] fg, byte[] bd, byte[] known, int w, int h) {}

  /** Known band around the annotated cells of a partly annotated frame, px. */
  static final int KNOWN_MARGIN = 15;

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
    Path out = o.out;
    int steps = o.steps;
    long seed = o.seed;
    int base = o.base;
    int levels = o.levels;
    int batch = o.batch;
    int crop = o.crop;
    float lr = o.lr;
    Path data = o.data != null ? o.data : CtcFiles.sharedData();
    Path ctc = data.resolve("ctc");
    String[] seqs = {"Fluo-N2DH-SIM+", "Fluo-C2DL-MSC"};

    if (o.model != null) {
      evaluateOnly(o.model, ctc, seqs, o.post());
      return;
    }
    long t0 = System.nanoTime();
    List<Sample> train = new ArrayList<>();
    Map<String, Integer> splitAt = new HashMap<>();
    for (String s : seqs) {
      Path gt = ctc.resolve(s).resolve("01_GT");
      List<Integer> ann = CtcFiles.segFrames(gt);
      int nTrain = ann.size() - Math.max(1, ann.size() / 4);
      int split = ann.get(nTrain);
      splitAt.put(s, split);
      Set<Integer> want = new HashSet<>(ann.subList(0, nTrain));
      int partialFrames = 0;
      TreeMap<Integer, FloatImage> frames =
          CtcFiles.normalizedFrames(ctc.resolve(s).resolve("01"), want::contains);
      for (var e : frames.entrySet()) {
        int[] size = new int[2];
        int[] lab = CtcFiles.segLabels(gt, e.getKey(), size);
        int[] markers =
            CtcFiles.readLabels(
                gt.resolve("TRA")
                    .resolve(String.format(Locale.ROOT, "man_track%03d.tif", e.getKey())),
                size);
        boolean partial = distinct(lab) < distinct(markers);
        partialFrames += partial ? 1 : 0;
        train.add(sample(s, e.getValue(), lab, partial));
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %d training frames (< t%03d; %d partly annotated: loss only near their cells),"
              + " %d held out%n",
          s,
          nTrain,
          split,
          partialFrames,
          ann.size() - nTrain);
    }
    train.addAll(simulated(seed));
    System.out.printf(Locale.ROOT, "data ready: %d samples in %.1f s%n", train.size(), secs(t0));

    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x =
          tf.withName("input")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      Placeholder<TFloat32> y =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 2)));
      Placeholder<TFloat32> k =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      UNet net = new UNet(tf, seed);
      Operand<TFloat32> z = net.logits(x, base, levels);
      Operand<TFloat32> prob = tf.withName("output").math.sigmoid(z);
      Operand<TFloat32> bce =
          tf.math.add(
              tf.math.sub(tf.math.maximum(z, tf.constant(0f)), tf.math.mul(z, y)),
              tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
      Operand<TFloat32> weight =
          tf.math.add(tf.constant(1f), tf.math.mul(y, tf.constant(new float[] {0f, 2f})));
      Operand<TFloat32> loss =
          tf.math.mean(
              tf.math.mul(tf.math.mul(bce, weight), k), tf.constant(new int[] {0, 1, 2, 3}));
      Op minimize = new Adam(g, lr).minimize(loss);
      System.out.printf(
          Locale.ROOT, "U-Net base %d levels %d: %d parameters%n", base, levels, net.params());
      ConfigProto cfg =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(2)
              .setInterOpParallelismThreads(1)
              .build();
      try (Session sess = new Session(g, cfg)) {
        sess.initialize();
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        float[] bx = new float[batch * crop * crop];
        float[] by = new float[batch * crop * crop * 2];
        float[] bk = new float[batch * crop * crop];
        long tt = System.nanoTime();
        double avg = 0;
        for (int step = 1; step <= steps; step++) {
          fillBatch(train, rnd, bx, by, bk, batch, crop, o.mix);
          try (TFloat32 tx =
                  TFloat32.tensorOf(
                      Shape.of(batch, crop, crop, 1), DataBuffers.of(bx, true, false));
              TFloat32 ty =
                  TFloat32.tensorOf(
                      Shape.of(batch, crop, crop, 2), DataBuffers.of(by, true, false));
              TFloat32 tk =
                  TFloat32.tensorOf(
                      Shape.of(batch, crop, crop, 1), DataBuffers.of(bk, true, false));
              Result r =
                  sess.runner()
                      .feed(x, tx)
                      .feed(y, ty)
                      .feed(k, tk)
                      .addTarget(minimize)
                      .fetch(loss)
                      .run()) {
            float l = ((TFloat32) r.get(0)).getFloat();
            avg = step == 1 ? l : 0.98 * avg + 0.02 * l;
          }
          if (step % 50 == 0 || step == steps) {
            System.out.printf(
                Locale.ROOT, "step %d loss %.4f (%.2f s/step)%n", step, avg, secs(tt) / step);
          }
        }
        System.out.printf(Locale.ROOT, "training: %d steps in %.1f s%n", steps, secs(tt));

        Tiler.Net tfNet = (in, n, h, w) -> run(sess, x, prob, in, n, h, w);
        Files.createDirectories(out);
        Path sm = out.resolve("savedmodel");
        Signature sig =
            Signature.builder()
                .key("serving_default")
                .input("input", x)
                .output("output", prob)
                .build();
        SavedModelBundle.exporter(sm.toString()).withSession(sess).withSignature(sig).export();
        writeReference(out.resolve("reference.json"), tfNet, seed);
        System.out.printf(Locale.ROOT, "exported %s (total %.1f s)%n", sm, secs(t0));
        validate(ctc, seqs, splitAt, tfNet, o.post());
      }
    }
  }

  static float[] run(
      Session sess, Operand<TFloat32> x, Operand<TFloat32> prob, float[] in, int n, int h, int w) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, h, w, 1), DataBuffers.of(in, true, false));
        Result r = sess.runner().feed(x, t).fetch(prob).run()) {
      float[] o = new float[n * h * w * 2];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(o, false, false));
      return o;
    }
  }

  /**
   * Post-processing parameters from the arguments (defaults: {@link MapPostProcessor#defaults}).
   */
  /** Validation of an exported SavedModel (TF Java), e.g. to tune post-processing. */
  static void evaluateOnly(Path model, Path ctc, String[] seqs, MapPostProcessor post) {
    Map<String, Integer> splits = new HashMap<>();
    for (String s : seqs) {
      List<Integer> ann = CtcFiles.segFrames(ctc.resolve(s).resolve("01_GT"));
      splits.put(s, ann.get(ann.size() - Math.max(1, ann.size() / 4)));
    }
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      Operand<TFloat32> x = b.graph().operation("input").output(0);
      Operand<TFloat32> prob = b.graph().operation("output").output(0);
      System.out.println("post-processing " + post);
      validate(ctc, seqs, splits, (in, n, h, w) -> run(b.session(), x, prob, in, n, h, w), post);
    }
  }

  private static void validate(
      Path ctc, String[] seqs, Map<String, Integer> splitAt, Tiler.Net net, MapPostProcessor post) {
    Tiler tiler = Tiler.defaults();
    Segmenter model =
        img -> {
          float[][] m = tiler.maps(net, img.data(), img.width(), img.height());
          return post.labels(m[0], m[1], img.width(), img.height());
        };
    Segmenter classical = new ClassicalSegmenter();
    for (String s : seqs) {
      Path seq = ctc.resolve(s).resolve("01");
      Path gt = ctc.resolve(s).resolve("01_GT");
      int split = splitAt.get(s);
      TreeMap<Integer, FloatImage> frames = CtcFiles.normalizedFrames(seq, t -> true);
      for (String name : List.of("model", "classical")) {
        Segmenter seg = name.equals("model") ? model : classical;
        Map<Integer, int[]> res = new HashMap<>();
        long t0 = System.nanoTime();
        for (var e : frames.entrySet()) {
          LabelImage l = seg.segment(e.getValue());
          res.put(e.getKey(), l.labels());
        }
        double dt = secs(t0) / frames.size();
        CtcSegScore.Score val = CtcSegScore.scoreSequence(gt, t -> t >= split ? res.get(t) : null);
        CtcSegScore.Score all = CtcSegScore.scoreSequence(gt, res::get);
        System.out.printf(
            Locale.ROOT,
            "VALIDATION %-15s %-9s held-out (t>=%d): SEG %.4f DET %.4f (%d objects) | whole 01: SEG %.4f DET %.4f | %.0f ms/frame%n",
            s,
            name,
            split,
            val.seg(),
            val.det(),
            val.gtObjects(),
            all.seg(),
            all.det(),
            dt * 1000);
      }
    }
  }

  /** A fixed 32×32 input (a smooth blob pattern) and the model's outputs for it. */
  static void writeReference(Path file, Tiler.Net net, long seed) throws IOException {
    int n = 32;
    float[] in = referenceInput(n);
    float[] o = net.run(in, 1, n, n);
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"shape\": [1, ").append(n).append(", ").append(n).append(", 1],\n");
    sb.append("  \"seed\": ").append(seed).append(",\n  \"input\": ");
    array(sb, in);
    sb.append(",\n  \"output\": ");
    array(sb, o);
    sb.append("\n}\n");
    Files.writeString(file, sb.toString());
  }

  /** The reference input: background 0.35 with two bright discs, deterministic. */
  public static float[] referenceInput(int n) {
    float[] in = new float[n * n];
    for (int yy = 0; yy < n; yy++) {
      for (int xx = 0; xx < n; xx++) {
        double d1 = Math.hypot(xx - 10, yy - 12);
        double d2 = Math.hypot(xx - 21, yy - 20);
        double v = 0.35 + 0.4 * Math.exp(-d1 * d1 / 40) + 0.3 * Math.exp(-d2 * d2 / 60);
        in[yy * n + xx] = (float) (v + 0.02 * Math.sin(xx * 1.3 + yy * 0.7));
      }
    }
    return in;
  }

  private static void array(StringBuilder sb, float[] v) {
    sb.append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(i % 16 == 0 ? ",\n    " : ", ");
      }
      sb.append(Float.toString(v[i]));
    }
    sb.append(']');
  }

  static int distinct(int[] lab) {
    return (int) java.util.Arrays.stream(lab).filter(v -> v != 0).distinct().count();
  }

  /**
   * Targets of one frame. For a partly annotated frame (fewer SEG objects than TRA markers) only
   * pixels within {@value #KNOWN_MARGIN} px of an annotated cell are known (loss weight 1); the
   * rest may be unannotated cells and gets weight 0.
   */
  static Sample sample(String set, FloatImage img, int[] lab, boolean partial) {
    int w = img.width();
    int h = img.height();
    byte[] fg = new byte[w * h];
    byte[] bd = new byte[w * h];
    byte[] known = new byte[w * h];
    if (partial) {
      boolean[] bg = new boolean[w * h];
      for (int i = 0; i < bg.length; i++) {
        bg[i] = lab[i] == 0;
      }
      float[] d = DistanceTransform.euclidean(bg, w, h);
      for (int i = 0; i < d.length; i++) {
        known[i] = (byte) (d[i] <= KNOWN_MARGIN ? 1 : 0);
      }
    } else {
      java.util.Arrays.fill(known, (byte) 1);
    }
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        int i = yy * w + xx;
        int l = lab[i];
        if (l == 0) {
          continue;
        }
        fg[i] = 1;
        for (int dy = -1; dy <= 1 && bd[i] == 0; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = xx + dx;
            int ny = yy + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h && lab[ny * w + nx] != l) {
              bd[i] = 1;
              break;
            }
          }
        }
      }
    }
    return new Sample(set, img.data(), fg, bd, known, w, h);
  }

  /** Frames of the culture simulator (two small cultures), normalised like the service does. */
  static List<Sample> simulated(long seed) {
    List<Sample> out = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      SimulationConfig cfg =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(12 + 8 * c)
              .frames(30)
              .seed(seed + c)
              .build();
      CultureSimulator sim = new CultureSimulator(cfg);
      IntensityNormalizer norm = IntensityNormalizer.defaults();
      NormalizerState st = norm.initial();
      MedianFilter3x3 median = MedianFilter3x3.sequential();
      while (sim.hasNext()) {
        SimulatedFrame f = sim.next();
        short[] med = median.uint16(f.raw().toShortArray(), f.width(), f.height());
        float[] mf = new float[med.length];
        for (int k = 0; k < mf.length; k++) {
          mf[k] = med[k] & 0xFFFF;
        }
        IntensityNormalizer.Step step = norm.step(st, new FloatImage(f.width(), f.height(), mf));
        st = step.state();
        if (f.index() % 3 == 2 && st.frozen()) {
          int[] lab = new int[f.labels().length];
          for (int k = 0; k < lab.length; k++) {
            lab[k] = Short.toUnsignedInt(f.labels()[k]);
          }
          out.add(sample("sim", step.normalized(), lab, false));
        }
      }
    }
    return out;
  }

  /** Random crops with dihedral transforms and gain/offset jitter. */
  static void fillBatch(
      List<Sample> data,
      Random rnd,
      float[] bx,
      float[] by,
      float[] bk,
      int batch,
      int p,
      double[] mix) {
    for (int b = 0; b < batch; b++) {
      double u = rnd.nextDouble() * (mix[0] + mix[1] + mix[2]);
      String set = u < mix[0] ? "Fluo-N2DH-SIM+" : u < mix[0] + mix[1] ? "Fluo-C2DL-MSC" : "sim";
      Sample s;
      do {
        s = data.get(rnd.nextInt(data.size()));
      } while (!s.set().equals(set));
      int x0 = rnd.nextInt(Math.max(1, s.w() - p + 1));
      int y0 = rnd.nextInt(Math.max(1, s.h() - p + 1));
      boolean fx = rnd.nextBoolean();
      boolean fy = rnd.nextBoolean();
      boolean tr = rnd.nextBoolean();
      float gain = (float) (0.85 + 0.3 * rnd.nextDouble());
      float off = (float) (0.1 * rnd.nextDouble() - 0.05);
      for (int yy = 0; yy < p; yy++) {
        for (int xx = 0; xx < p; xx++) {
          int sx = tr ? yy : xx;
          int sy = tr ? xx : yy;
          if (fx) {
            sx = p - 1 - sx;
          }
          if (fy) {
            sy = p - 1 - sy;
          }
          sx = Math.min(s.w() - 1, x0 + sx);
          sy = Math.min(s.h() - 1, y0 + sy);
          int si = sy * s.w() + sx;
          int o = (b * p + yy) * p + xx;
          bx[o] = s.img()[si] * gain + off;
          by[2 * o] = s.fg()[si];
          by[2 * o + 1] = s.bd()[si];
          bk[o] = s.known()[si];
        }
      }
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
