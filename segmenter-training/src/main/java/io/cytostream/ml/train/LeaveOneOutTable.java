package io.cytostream.ml.train;

import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.ObjectScale;
import io.cytostream.processors.segment.model.ObjectSizeEstimate;
import io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter;
import io.cytostream.processors.segment.model.Tiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The leave-one-data-set-out table ({@code segmenter-training/leave-one-out.sh}): for every data
 * set X (BBBC039, DSB 2018, Kromp et al., the simulator) the model trained without X ({@code
 * RUNS/X/savedmodel}, from {@code train-segmenter --leave-out X}) is scored on X's held-out side;
 * the CTC sequences Fluo-N2DH-SIM+ 01 and Fluo-C2DL-MSC 01, on which no candidate trains, are
 * scored with the model trained on everything ({@code --full}). Beside it, on the same images: the
 * all-data model, the shipped model and the classical segmenter. Models run through the service's
 * path (tiling, then post-processing): the size-adaptive {@link ScaleAdaptiveSegmenter} (one per
 * FOV) and the fixed {@link MapPostProcessor#defaults()}. Writes {@code OUT/leave-one-out.md} and
 * {@code OUT/leave-one-out.json}; also the per-data-set object-size estimate against the truth's
 * median diameter.
 */
public final class LeaveOneOutTable {
  /** Held-out rows in order: the annotated sets, the simulator, the CTC sequences. */
  static final List<String> ROWS =
      List.of(
          "bbbc039",
          "dsb2018-stage1-fluo",
          "kromp-s-bsst265",
          TrainingData.SIM,
          "Fluo-N2DH-SIM+",
          "Fluo-C2DL-MSC");

  private LeaveOneOutTable() {}

  @Command(
      name = "leave-one-out",
      mixinStandardHelpOptions = true,
      description = "Score leave-one-data-set-out models and write the table (markdown + JSON).")
  static final class Options implements Callable<Integer> {
    @Option(
        names = "--runs",
        required = true,
        paramLabel = "DIR",
        description = "Folder with one train-segmenter --out folder per left-out set.")
    Path runs;

    @Option(
        names = "--full",
        required = true,
        paramLabel = "DIR",
        description = "SavedModel trained on every set.")
    Path full;

    @Option(
        names = "--shipped",
        defaultValue = "processors/src/main/resources/models/unet-seg/2",
        paramLabel = "DIR",
        description = "The shipped SavedModel (default: ${DEFAULT-VALUE}).")
    Path shipped;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(
        names = "--rows",
        split = ",",
        paramLabel = "NAME",
        description = "Only these rows (default: all).")
    List<String> rows;

    @Option(
        names = "--columns",
        split = ",",
        paramLabel = "NAME",
        description =
            "Only these columns (default: all): held-out-adaptive, held-out-fixed,"
                + " all-data-adaptive, all-data-fixed, shipped-adaptive, shipped-fixed, classical.")
    List<String> columns;

    boolean want(String column) {
      return columns == null || columns.contains(column.replace(' ', '-'));
    }

    @Option(
        names = "--scale",
        split = ",",
        paramLabel = "T,LOW,HIGH",
        description = "Training scale of the adaptive segmenter (default: Scale.defaults()).")
    double[] scale;

    @Option(
        names = "--rules",
        split = ",",
        paramLabel = "FG,BD,SEED,AREA,HOLES,MERGE[,PEAK]",
        description = "Size rules of the adaptive segmenter (default: SizeRules.defaults()).")
    double[] rules;

    @Override
    public Integer call() throws IOException {
      if (scale != null) {
        ScaleAdaptiveSegmenter.Scale d = ScaleAdaptiveSegmenter.Scale.defaults();
        scaleUsed =
            new ScaleAdaptiveSegmenter.Scale(
                scale[0], scale[1], scale[2], d.maxFactor(), d.minObjects());
      }
      if (rules != null) {
        rulesUsed =
            new ScaleAdaptiveSegmenter.SizeRules(
                rules[0],
                rules[1],
                rules[2],
                rules[3],
                rules[4],
                rules[5],
                rules.length > 6 ? rules[6] : 0);
      }
      System.out.println("adaptive: " + scaleUsed + " " + rulesUsed);
      run(this);
      return 0;
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  /** A loaded SavedModel as a {@link Tiler.Net}. */
  private record Model(SavedModelBundle bundle, Tiler.Net net) implements AutoCloseable {
    static Model load(Path dir) {
      SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve");
      Operand<TFloat32> x = b.graph().operation("input").output(0);
      Operand<TFloat32> prob = b.graph().operation("output").output(0);
      return new Model(b, (in, n, h, w) -> Trainer.run(b.session(), x, prob, in, n, h, w));
    }

    @Override
    public void close() {
      bundle.close();
    }
  }

  private static ScaleAdaptiveSegmenter.Scale scaleUsed = ScaleAdaptiveSegmenter.Scale.defaults();
  private static ScaleAdaptiveSegmenter.SizeRules rulesUsed =
      ScaleAdaptiveSegmenter.SizeRules.defaults();

  /** Adaptive segmenters created for one row, to read their size estimates afterwards. */
  private static final List<ScaleAdaptiveSegmenter> CREATED = new ArrayList<>();

  static Supplier<Segmenter> adaptive(Tiler.Net net) {
    return () -> {
      ScaleAdaptiveSegmenter s =
          new ScaleAdaptiveSegmenter(
              net,
              Tiler.defaults(),
              rulesUsed,
              scaleUsed,
              new ObjectSizeEstimate(10, scaleUsed.minObjects()),
              null);
      CREATED.add(s);
      return s;
    };
  }

  static Supplier<Segmenter> fixed(Tiler.Net net) {
    Segmenter s = Validation.modelSegmenter(net, MapPostProcessor.defaults());
    return () -> s;
  }

  static void run(Options o) throws IOException {
    Path data = CtcFiles.sharedData();
    List<String> rows = o.rows == null ? ROWS : o.rows;
    Map<String, Map<String, CtcSegScore.Score>> table = new LinkedHashMap<>();
    Map<String, double[]> sizes = new LinkedHashMap<>();
    Files.createDirectories(o.out);
    try (Model full = Model.load(o.full);
        Model shipped = Model.load(o.shipped)) {
      for (String row : rows) {
        long t0 = System.nanoTime();
        boolean ctc = row.startsWith("Fluo-");
        HeldOutData d =
            ctc
                ? HeldOutData.ctc(data.resolve("ctc"), row)
                : row.equals(TrainingData.SIM)
                    ? HeldOutData.sim()
                    : HeldOutData.cc0(data.resolve("train"), row);
        Map<String, CtcSegScore.Score> cells = new LinkedHashMap<>();
        if (ctc) {
          put(o, cells, d, "held-out adaptive", adaptive(full.net()));
          put(o, cells, d, "held-out fixed", fixed(full.net()));
        } else if (o.want("held-out adaptive") || o.want("held-out fixed")) {
          try (Model loo = Model.load(o.runs.resolve(row).resolve("savedmodel"))) {
            CREATED.clear();
            if (put(o, cells, d, "held-out adaptive", adaptive(loo.net()))) {
              sizes.put(row, sizeRatio(d));
            }
            put(o, cells, d, "held-out fixed", fixed(loo.net()));
          }
        }
        if (!ctc) {
          put(o, cells, d, "all-data adaptive", adaptive(full.net()));
          put(o, cells, d, "all-data fixed", fixed(full.net()));
        }
        put(o, cells, d, "shipped adaptive", adaptive(shipped.net()));
        put(o, cells, d, "shipped fixed", fixed(shipped.net()));
        put(o, cells, d, "classical", ClassicalSegmenter::new);
        table.put(row, cells);
        print(row, cells, t0);
        write(o, table, sizes);
      }
    }
  }

  private static void print(String row, Map<String, CtcSegScore.Score> cells, long t0) {
    for (var c : cells.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "LOO %-22s %-18s SEG %.4f DET %.4f (%d objects; FN %d FP %d NS %d)%n",
          row,
          c.getKey(),
          c.getValue().seg(),
          c.getValue().det(),
          c.getValue().gtObjects(),
          c.getValue().fn(),
          c.getValue().fp(),
          c.getValue().ns());
    }
    System.out.printf(Locale.ROOT, "row %s done in %.0f s%n", row, Trainer.secs(t0));
  }

  /** Scores column {@code c} when wanted; true if it did. */
  private static boolean put(
      Options o,
      Map<String, CtcSegScore.Score> cells,
      HeldOutData d,
      String c,
      Supplier<Segmenter> s) {
    if (!o.want(c)) {
      return false;
    }
    long t0 = System.nanoTime();
    cells.put(c, d.score(s));
    System.out.printf(Locale.ROOT, "  %s %s: %.0f s%n", d.name(), c, Trainer.secs(t0));
    return true;
  }

  /**
   * Median over FOVs of (estimated diameter / truth median diameter), with its 10th and 90th
   * percentile, for the adaptive segmenters just run on {@code d}'s one-frame FOVs.
   */
  private static double[] sizeRatio(HeldOutData d) {
    List<Double> r = new ArrayList<>();
    int i = 0;
    for (HeldOutData.Frame f : d.firstFrames()) {
      if (i >= CREATED.size()) {
        break;
      }
      double est = CREATED.get(i++).estimate().diameter();
      if (f.truth() != null) {
        double truth =
            ObjectScale.medianDiameter(
                LabelImage.relabel(f.normalized().width(), f.normalized().height(), f.truth()));
        if (est > 0 && truth > 0) {
          r.add(est / truth);
        }
      }
    }
    double[] v = r.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {v[v.length / 10], v[v.length / 2], v[(v.length * 9) / 10]};
  }

  private static void write(
      Options o, Map<String, Map<String, CtcSegScore.Score>> table, Map<String, double[]> sizes)
      throws IOException {
    List<String> cols = new ArrayList<>();
    table
        .values()
        .forEach(m -> m.keySet().stream().filter(k -> !cols.contains(k)).forEach(cols::add));
    StringBuilder md = new StringBuilder();
    md.append("| held-out data | objects |");
    cols.forEach(c -> md.append(' ').append(c).append(" SEG / DET |"));
    md.append("\n|---|---|");
    cols.forEach(c -> md.append("---|"));
    md.append('\n');
    StringBuilder js = new StringBuilder("{\n  \"rows\": {\n");
    int ri = 0;
    for (var row : table.entrySet()) {
      int objects = row.getValue().values().iterator().next().gtObjects();
      md.append("| ").append(row.getKey()).append(" | ").append(objects).append(" |");
      js.append("    \"").append(row.getKey()).append("\": {");
      int ci = 0;
      for (String c : cols) {
        CtcSegScore.Score s = row.getValue().get(c);
        md.append(
            s == null ? " – |" : String.format(Locale.ROOT, " %.3f / %.3f |", s.seg(), s.det()));
        if (s != null) {
          js.append(ci++ == 0 ? "" : ", ")
              .append(
                  String.format(
                      Locale.ROOT,
                      "\"%s\": {\"seg\": %.4f, \"det\": %.4f, \"objects\": %d, \"fn\": %d,"
                          + " \"fp\": %d, \"ns\": %d}",
                      c,
                      s.seg(),
                      s.det(),
                      s.gtObjects(),
                      s.fn(),
                      s.fp(),
                      s.ns()));
        }
      }
      md.append('\n');
      js.append(ri++ < table.size() - 1 ? "},\n" : "}\n");
    }
    js.append("  },\n  \"sizeEstimateOverTruth\": {");
    md.append("\nObject-size estimate / truth median diameter, per image (p10, median, p90):\n\n");
    int si = 0;
    for (var e : sizes.entrySet()) {
      double[] v = e.getValue();
      md.append(
          String.format(Locale.ROOT, "- %s: %.2f, %.2f, %.2f%n", e.getKey(), v[0], v[1], v[2]));
      js.append(si++ == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "\"%s\": [%s]",
                  e.getKey(),
                  String.join(
                      ", ",
                      Arrays.stream(v)
                          .mapToObj(
                              x ->
                                  Double.isFinite(x)
                                      ? String.format(Locale.ROOT, "%.3f", x)
                                      : "null")
                          .toList())));
    }
    js.append("}\n}\n");
    Files.writeString(o.out.resolve("leave-one-out.md"), md.toString());
    Files.writeString(o.out.resolve("leave-one-out.json"), js.toString());
  }
}
