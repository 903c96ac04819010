package io.cytostream.bench.image;

import io.cytostream.processors.denoise.MedianFilter3x3;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The {@link PipelineBench} operations timed in <em>CPU time of the calling thread</em> (median of
 * repeated runs after a warm-up) instead of wall time: on a machine shared with other work the wall
 * time of a single-threaded kernel mostly measures the wait for a core, its CPU time much less so.
 * For before/after comparisons on a busy machine; JMH gives the wall-clock figures on a quiet one.
 * Usage: {@code CpuTimeBench [REPS]}; prints {@code name ms} lines.
 */
public final class CpuTimeBench {
  private CpuTimeBench() {}

  static double cpuMs(ThreadMXBean mx, Supplier<Object> op, int warm, int reps) {
    for (int i = 0; i < warm; i++) {
      op.get();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      op.get();
      t[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  /** Entry point, see the class comment. */
  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    PipelineBench b = new PipelineBench();
    b.size = 512;
    b.setup();
    int big = 2048;
    Random rnd = new Random(1);
    short[] noise = new short[big * big];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) rnd.nextInt(65536);
    }
    MedianFilter3x3 seq = MedianFilter3x3.sequential();
    Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
    ops.put("process512", b::process);
    ops.put("hierarchy512", b::hierarchy);
    ops.put("segment512", b::segment);
    ops.put("serializeObservations512", b::serializeObservations);
    ops.put("median2048_1thread", () -> seq.uint16(noise, big, big));
    for (Map.Entry<String, Supplier<Object>> e : ops.entrySet()) {
      double ms = cpuMs(mx, e.getValue(), reps / 2, reps);
      System.out.printf(Locale.ROOT, "%s %.3f%n", e.getKey(), ms);
    }
  }
}
