package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inference of the bundled U-Net through DJL, per configuration: TensorFlow's intra-op and inter-op
 * thread counts, and for a 2048² plane the tiles sent one by one or batched. Prints {@code key
 * value} lines: wall ms per call (median of repeated calls after warm-up) and process CPU ms per
 * call (all threads, TensorFlow's included). The same protocol on TF Java directly is {@code
 * io.cytostream.ml.bench.TfJavaInferenceBench} in segmenter-training. Figures only; nothing is
 * asserted.
 *
 * <p>Usage: {@code ModelInferenceBench INTRA INTER [REPS]} (0 = TensorFlow's default). Thread
 * counts are read by DJL when the model loads ({@code ai.djl.tensorflow.num_intraop_threads},
 * {@code ai.djl.tensorflow.num_interop_threads}), so each configuration runs in its own JVM: {@code
 * scripts/bench-inference}.
 */
public final class ModelInferenceBench {
  private ModelInferenceBench() {}

  /** Entry point, see the class comment. */
  public static void main(String[] args) {
    int intra = Integer.parseInt(args[0]);
    int inter = Integer.parseInt(args[1]);
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    if (intra > 0) {
      System.setProperty("ai.djl.tensorflow.num_intraop_threads", Integer.toString(intra));
    }
    if (inter > 0) {
      System.setProperty("ai.djl.tensorflow.num_interop_threads", Integer.toString(inter));
    }
    String tag = "djl_intra" + intra + "_inter" + inter;
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      run(tag, w::run, w::segment, reps);
    }
  }

  /** A segmentation of a normalised plane, for the end-to-end figure. */
  @FunctionalInterface
  public interface Seg {
    /** Segments and returns anything (kept alive). */
    Object segment(FloatImage img);
  }

  /** The shared protocol (also used by the TF Java bench). */
  public static void run(String tag, Tiler.Net net, Seg seg, int reps) {
    FloatImage small = ModelSegmenterBench.plane(512, 7);
    FloatImage big = ModelSegmenterBench.plane(2048, 7);
    float[] in = small.data();
    Tiler tiler = Tiler.defaults();
    out(tag + "_512_inference", measure(() -> net.run(in, 1, 512, 512), reps));
    out(tag + "_512_segment", measure(() -> seg.segment(small), reps));
    for (int batch : new int[] {1, 5, 25}) {
      out(
          tag + "_2048_tiles_batch" + batch,
          measure(() -> tiler.maps(net, big.data(), 2048, 2048, batch), Math.max(3, reps / 5)));
    }
  }

  /** {wall median ms, process CPU ms per call}. */
  static double[] measure(Runnable r, int reps) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] t = new double[reps];
    long c0 = os.getProcessCpuTime();
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    double cpu = (os.getProcessCpuTime() - c0) / 1e6 / reps;
    Arrays.sort(t);
    return new double[] {t[reps / 2], cpu};
  }

  static void out(String key, double[] v) {
    System.out.printf(Locale.ROOT, "%s_ms %.2f%n%s_cpu_ms %.2f%n", key, v[0], key, v[1]);
  }
}
