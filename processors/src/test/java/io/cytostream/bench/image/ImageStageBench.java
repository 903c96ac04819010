package io.cytostream.bench.image;

import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.measure.CellMeasurer;
import io.cytostream.processors.measure.MeasureConfig;
import io.cytostream.processors.measure.Measurements;
import io.cytostream.processors.segment.ClassicalSegmenter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Segmentation, measurement and the whole image stage (median → normalise → segment → measure) on a
 * synthetic nuclei frame ({@link SyntheticFrames}): {@code scripts/bench processors
 * 'ImageStageBench'}. Frames/s of the whole stage = 1000 / (ms of {@code wholeStage}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImageStageBench {
  @Param({"512", "2048"})
  public int size;

  short[] raw;
  FloatImage rawF;
  FloatImage normalized;
  LabelImage labels;
  NormalizerState state;
  final IntensityNormalizer norm = IntensityNormalizer.defaults();
  final ClassicalSegmenter seg = new ClassicalSegmenter();
  final MeasureConfig mcfg = MeasureConfig.defaults();

  @Setup
  public void setup() {
    raw = SyntheticFrames.nuclei(size, 42);
    rawF = new FloatImage(size, size, SyntheticFrames.toFloat(raw));
    NormalizerState s = norm.initial();
    for (int t = 0; t < norm.calibrationFrames(); t++) {
      short[] f = SyntheticFrames.nuclei(size, 100 + t);
      s = norm.update(s, IntensityNormalizer.logPlane(new FloatImage(size, size, toF(f))));
    }
    state = s;
    FloatImage med = MedianFilter3x3.parallel().apply(rawF);
    normalized = norm.apply(state, med);
    labels = seg.segment(normalized);
  }

  private static float[] toF(short[] s) {
    return SyntheticFrames.toFloat(
        MedianFilter3x3.parallel().uint16(s, (int) Math.sqrt(s.length), (int) Math.sqrt(s.length)));
  }

  @Benchmark
  public LabelImage segment() {
    return seg.segment(normalized);
  }

  @Benchmark
  public Measurements measure() {
    return CellMeasurer.measure(labels, rawF, normalized, mcfg);
  }

  @Benchmark
  public Measurements wholeStage() {
    short[] med = MedianFilter3x3.parallel().uint16(raw, size, size);
    FloatImage medF = new FloatImage(size, size, SyntheticFrames.toFloat(med));
    FloatImage n = norm.apply(state, medF);
    LabelImage l = seg.segment(n);
    return CellMeasurer.measure(l, medF, n, mcfg);
  }
}
