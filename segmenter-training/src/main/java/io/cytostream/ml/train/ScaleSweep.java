package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ObjectSizeState;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter;
import io.cytostream.processors.segment.model.ScaleCalibratedSegmenter;
import io.cytostream.processors.segment.model.Tiler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores a SavedModel as the service runs it ({@link ScaleCalibratedSegmenter}: the FOV's object
 * size calibrated over its first {@value #WINDOW} frames, the normaliser's window, then held; a FOV
 * outside the range resized to the target) for several training scales and post-processing
 * settings, on held-out data: the held-out side of the CC0 sets, the held-out simulated cultures,
 * the held-out textured images, and, to report only, the CTC sequences. One line per data set,
 * scale and post-processing: {@code SWEEP set scale post SEG DET (objects; FN FP NS) held px}.
 *
 * <pre>
 * ScaleSweep --model DIR/savedmodel --sets bbbc039,sim,textured,Fluo-N2DH-SIM+
 *            --scale 60,33,75 --scale off [--post 0.5,0.5,20,60,400 ...]
 * </pre>
 */
public final class ScaleSweep {
  /** Calibration frames of a FOV (the intensity normaliser's default window). */
  static final int WINDOW = 10;

  private ScaleSweep() {}

  @Command(
      name = "scale-sweep",
      mixinStandardHelpOptions = true,
      description = "Score a model through ScaleCalibratedSegmenter for several scales.")
  static final class Options implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "SavedModel.")
    Path model;

    @Option(
        names = "--sets",
        split = ",",
        required = true,
        description =
            "bbbc039, dsb2018-stage1-fluo, kromp-s-bsst265, sim, textured, Fluo-N2DH-SIM+,"
                + " Fluo-C2DL-MSC.")
    List<String> sets;

    @Option(
        names = "--scale",
        required = true,
        paramLabel = "T,LOW,HIGH|off",
        description = "A training scale (max factor 4, 3 objects), repeatable.")
    List<String> scales;

    @Option(
        names = "--post",
        paramLabel = "FG,BD,SEED,AREA,HOLES",
        description = "Post-processing, repeatable (default: MapPostProcessor.defaults()).")
    List<String> posts;

    @Override
    public Integer call() {
      run(this);
      return 0;
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  static void run(Options o) {
    Path data = CtcFiles.sharedData();
    List<MapPostProcessor> posts = new ArrayList<>();
    if (o.posts == null) {
      posts.add(MapPostProcessor.defaults());
    } else {
      for (String p : o.posts) {
        String[] v = p.split(",");
        posts.add(
            new MapPostProcessor(
                Double.parseDouble(v[0]),
                Double.parseDouble(v[1]),
                Integer.parseInt(v[2]),
                Integer.parseInt(v[3]),
                Integer.parseInt(v[4])));
      }
    }
    try (SavedModelBundle b = SavedModelBundle.load(o.model.toString(), "serve")) {
      Operand<TFloat32> x = b.graph().operation("input").output(0);
      Operand<TFloat32> prob = b.graph().operation("output").output(0);
      Tiler.Net net = (in, n, h, w) -> Trainer.run(b.session(), x, prob, in, n, h, w);
      for (String set : o.sets) {
        long t0 = System.nanoTime();
        HeldOutData d =
            set.startsWith("Fluo-")
                ? HeldOutData.ctc(data.resolve("ctc"), set)
                : set.equals(TrainingData.SIM)
                    ? HeldOutData.sim()
                    : set.equals("textured")
                        ? HeldOutData.textured()
                        : HeldOutData.cc0(data.resolve("train"), set);
        System.out.printf(
            Locale.ROOT, "loaded %s: %d frames in %.0f s%n", set, d.images(), Trainer.secs(t0));
        for (String spec : o.scales) {
          ScaleAdaptiveSegmenter.Scale scale = spec.equalsIgnoreCase("off") ? null : parse(spec);
          for (MapPostProcessor post : posts) {
            long t1 = System.nanoTime();
            List<Double> held = new ArrayList<>();
            CtcSegScore.Score sc = d.score(perFov(net, post, scale, held));
            double[] hs = held.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(
                Locale.ROOT,
                "SWEEP %-20s %-10s %s SEG %.4f DET %.4f (%d objects; FN %d FP %d NS %d) held"
                    + " median %.1f px (p10 %.1f, p90 %.1f) | %.0f s%n",
                set,
                spec,
                String.format(
                    Locale.ROOT,
                    "%.2f,%.2f,%d,%d,%d",
                    post.fgThreshold(),
                    post.boundaryThreshold(),
                    post.minSeedArea(),
                    post.minArea(),
                    post.fillHolesMaxArea()),
                sc.seg(),
                sc.det(),
                sc.gtObjects(),
                sc.fn(),
                sc.fp(),
                sc.ns(),
                hs.length == 0 ? Double.NaN : hs[hs.length / 2],
                hs.length == 0 ? Double.NaN : hs[hs.length / 10],
                hs.length == 0 ? Double.NaN : hs[(hs.length * 9) / 10],
                Trainer.secs(t1));
          }
        }
      }
    }
  }

  private static ScaleAdaptiveSegmenter.Scale parse(String spec) {
    String[] v = spec.split(",");
    return new ScaleAdaptiveSegmenter.Scale(
        Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]), 4, 3);
  }

  /**
   * One segmenter per FOV with the service's calibration: each of the first {@value #WINDOW} frames
   * is measured and folded in, the last of them closes the window (a one-frame FOV is segmented at
   * the scale its only frame measures). {@code scale} null: the plain model, no calibration. Each
   * FOV's diameter is added to {@code held} when its segmenter closes.
   */
  static Supplier<Segmenter> perFov(
      Tiler.Net net, MapPostProcessor post, ScaleAdaptiveSegmenter.Scale scale, List<Double> held) {
    Tiler tiler = Tiler.defaults();
    return () -> {
      if (scale == null) {
        return Validation.modelSegmenter(net, post);
      }
      ScaleCalibratedSegmenter s = new ScaleCalibratedSegmenter(net, tiler, post, scale, null);
      return new Segmenter() {
        ObjectSizeState size = ObjectSizeState.EMPTY;
        int frame;

        @Override
        public LabelImage segment(FloatImage normalized) {
          boolean calibrating = frame < WINDOW;
          boolean close = frame == WINDOW - 1;
          var out = s.segment(normalized, size, calibrating, close);
          size = out.size();
          frame++;
          return out.labels();
        }

        @Override
        public void close() {
          held.add(size.diameter());
        }
      };
    };
  }
}
