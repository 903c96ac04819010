package io.cytostream.bench.image;

import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.measure.CellMeasurer;
import io.cytostream.processors.measure.MeasureConfig;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.CtcData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Java side of {@code scripts/bench-image-vs-python}: a plain wall-clock harness (warm-up, then
 * the median of repeated runs) so that both languages are timed the same way in one run. JMH
 * ({@link MedianBench}, {@link ImageStageBench}) gives the careful figures; this gives ratios.
 *
 * <p>Usage: {@code ImageBenchMain SYNTH_TIFF SIM_DIR FRAMES}: writes the synthetic 2048² uint16
 * frame to SYNTH_TIFF (for Python to read), then prints {@code name milliseconds} lines.
 */
public final class ImageBenchMain {
  private ImageBenchMain() {}

  static double timeMs(Runnable r, int warm, int reps) {
    for (int i = 0; i < warm; i++) {
      r.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  /** Process CPU time (all threads) per call, in ms, averaged over {@code reps} calls. */
  static double cpuMs(Runnable r, int reps) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    r.run();
    long c0 = os.getProcessCpuTime();
    for (int i = 0; i < reps; i++) {
      r.run();
    }
    return (os.getProcessCpuTime() - c0) / 1e6 / reps;
  }

  /** One frame through the whole image stage with a frozen normaliser state. */
  static int stage(
      short[] raw, int w, int h, IntensityNormalizer n, NormalizerState s, ClassicalSegmenter seg) {
    short[] med = MedianFilter3x3.parallel().uint16(raw, w, h);
    FloatImage medF = new FloatImage(w, h, SyntheticFrames.toFloat(med));
    FloatImage z = n.apply(s, medF);
    LabelImage l = seg.segment(z);
    return CellMeasurer.measure(l, medF, z, MeasureConfig.defaults()).cells().size();
  }

  static NormalizerState calibrate(IntensityNormalizer n, List<short[]> frames, int w, int h) {
    NormalizerState s = n.initial();
    for (int i = 0; i < n.calibrationFrames(); i++) {
      short[] f = frames.get(i % frames.size());
      s =
          n.update(
              s,
              IntensityNormalizer.logPlane(
                  new FloatImage(
                      w, h, SyntheticFrames.toFloat(MedianFilter3x3.parallel().uint16(f, w, h)))));
    }
    return s;
  }

  /** Entry point, see the class comment. */
  public static void main(String[] args) {
    Path synthPath = Path.of(args[0]);
    Path simDir = Path.of(args[1]);
    int nFrames = Integer.parseInt(args[2]);
    int big = 2048;
    short[] synth = SyntheticFrames.nuclei(big, 42);
    int[] asInt = new int[synth.length];
    for (int i = 0; i < synth.length; i++) {
      asInt[i] = synth[i] & 0xFFFF;
    }
    CtcData.writeLabels(synthPath, big, big, asInt);
    Supplier<short[]> random =
        () -> {
          java.util.Random r = new java.util.Random(1);
          short[] a = new short[big * big];
          for (int i = 0; i < a.length; i++) {
            a[i] = (short) r.nextInt(65536);
          }
          return a;
        };
    short[] noise = random.get();
    MedianFilter3x3 par = MedianFilter3x3.parallel();
    MedianFilter3x3 seq = MedianFilter3x3.sequential();
    out("median2048_java_2threads", timeMs(() -> par.uint16(noise, big, big), 20, 30));
    out("median2048_java_2threads_cpu", cpuMs(() -> par.uint16(noise, big, big), 30));
    out("median2048_java_1thread", timeMs(() -> seq.uint16(noise, big, big), 10, 20));
    out("median2048_java_1thread_cpu", cpuMs(() -> seq.uint16(noise, big, big), 20));
    short[] into = new short[noise.length]; // the service's path: medians into a reused plane
    out("median2048_java_2threads_into", timeMs(() -> par.uint16(noise, big, big, into), 20, 30));
    out("median2048_java_2threads_into_cpu", cpuMs(() -> par.uint16(noise, big, big, into), 30));
    MedianFilter3x3 ints = new MedianFilter3x3(1, false);
    out("median2048_java_int_rows_1thread", timeMs(() -> ints.uint16(noise, big, big), 10, 20));
    System.out.println("median_java_vector_kernel " + par.vectorized());

    IntensityNormalizer n = IntensityNormalizer.defaults();
    ClassicalSegmenter seg = new ClassicalSegmenter();
    NormalizerState sBig = calibrate(n, List.of(synth), big, big);
    out("stage2048_synthetic_java", timeMs(() -> stage(synth, big, big, n, sBig, seg), 3, 7));

    List<short[]> sim = new ArrayList<>();
    int[] size = new int[2];
    List<Path> files = CtcData.frames(simDir);
    for (int i = 0; i < Math.min(nFrames, files.size()); i++) {
      sim.add(CtcData.readUint16(files.get(i), size));
    }
    int w = size[0];
    int h = size[1];
    NormalizerState sSim = calibrate(n, sim, w, h);
    double per =
        timeMs(
                () -> {
                  for (short[] f : sim) {
                    stage(f, w, h, n, sSim, seg);
                  }
                },
                2,
                5)
            / sim.size();
    out("stage_simplus_java_per_frame", per);
  }

  private static void out(String name, double ms) {
    System.out.printf(Locale.ROOT, "%s %.3f%n", name, ms);
  }
}
