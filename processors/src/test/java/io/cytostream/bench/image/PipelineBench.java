package io.cytostream.bench.image;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.pipeline.ImagePipeline;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.SegmentHierarchy;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The image stage as the service runs it ({@link ImagePipeline#process}: median, quality,
 * normalisation, the classical segmenter's candidate hierarchy, measurement, the {@code
 * cells.observed} message) on the load test's frames (simulated, {@code size}², 100 cells), and its
 * parts: {@code scripts/bench processors 'PipelineBench'}. Frames/s of the stage on one thread =
 * 1000 / (ms of {@code process}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PipelineBench {
  @Param({"512"})
  public int size;

  List<Frame> frames;
  ImagePipeline pipeline;
  ClassicalSegmenter seg;
  NormalizerState state;
  FloatImage normalized;
  FrameObservations observations;
  Serializer<FrameObservations> ser;
  int next;

  @Setup
  public void setup() {
    SimulationConfig sim =
        SimulationConfig.builder().seed(1).size(size, size).cells(100).frames(16).build();
    frames = new ArrayList<>();
    Iterator<SimulatedFrame> it = new CultureSimulator(sim);
    while (it.hasNext()) {
      SimulatedFrame f = it.next();
      if (!f.dropped()) {
        RawPlane r = f.raw();
        frames.add(
            new Frame(
                FrameHeader.inline(
                    "fov", frames.size(), Instant.now(), size, size, r.type(), null, 1.0, "b"),
                r.pixels()));
      }
    }
    seg = new ClassicalSegmenter();
    pipeline = new ImagePipeline(ImagePipeline.Settings.defaults(), seg);
    NormalizerState s = pipeline.initialState();
    ImagePipeline.Result r = null;
    for (Frame f : frames) {
      r = pipeline.process(f, s, null, 1, true);
      s = r.normalizer();
    }
    state = s;
    normalized = r.normalized();
    observations = r.observations();
    ser = Topics.CELLS_OBSERVED.valueSerde().serializer();
  }

  private Frame nextFrame() {
    Frame f = frames.get(next);
    next = (next + 1) % frames.size();
    return f;
  }

  /** The whole stage as the service runs it, label image attached. */
  @Benchmark
  public ImagePipeline.Result process() {
    return pipeline.process(nextFrame(), state, null, 1, true);
  }

  /** The candidate hierarchy (what the service segments with). */
  @Benchmark
  public SegmentHierarchy hierarchy() {
    return seg.hierarchy(normalized);
  }

  /** The single-level segmentation. */
  @Benchmark
  public LabelImage segment() {
    return seg.segment(normalized);
  }

  /** The cells.observed message to bytes. */
  @Benchmark
  public byte[] serializeObservations() {
    return ser.serialize(Topics.CELLS_OBSERVED.name(), observations);
  }
}
