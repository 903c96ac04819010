package io.cytostream.bench.image;

import io.cytostream.processors.denoise.MedianFilter3x3;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 3×3 median on a random uint16 plane, vector kernel against the int rows: {@code scripts/bench
 * processors 'MedianBench'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = {"-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class MedianBench {
  @Param({"512", "2048"})
  public int size;

  @Param({"1", "2"})
  public int threads;

  /** {@code vector}: jdk.incubator.vector kernel; {@code int}: the auto-vectorised int rows. */
  @Param({"vector", "int"})
  public String kernel;

  short[] img;
  short[] out;
  float[] fimg;
  MedianFilter3x3 filter;

  @Setup
  public void setup() {
    Random rnd = new Random(1);
    img = new short[size * size];
    out = new short[size * size];
    fimg = new float[size * size];
    for (int i = 0; i < img.length; i++) {
      img[i] = (short) rnd.nextInt(65536);
      fimg[i] = img[i] & 0xFFFF;
    }
    filter = new MedianFilter3x3(threads, "vector".equals(kernel));
    if ("vector".equals(kernel) && !filter.vectorized()) {
      throw new IllegalStateException("run with --add-modules jdk.incubator.vector");
    }
  }

  @Benchmark
  public short[] uint16() {
    return filter.uint16(img, size, size);
  }

  /** Into a reused plane, as the service's {@code apply(byte[], ...)} does (no 8 MB allocation). */
  @Benchmark
  public short[] uint16Into() {
    filter.uint16(img, size, size, out);
    return out;
  }

  @Benchmark
  public float[] float32() {
    return filter.float32(fimg, size, size);
  }
}
