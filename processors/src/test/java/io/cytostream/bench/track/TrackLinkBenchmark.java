package io.cytostream.bench.track;

import io.cytostream.processors.track.Detection;
import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.OnlineTracker;
import io.cytostream.processors.track.TrackerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per frame of {@link OnlineTracker#push} with n cells per frame: cells at nuclear density
 * (one per 45 × 45 px², like Fluo-N2DH-SIM+) drifting on smooth random periodic paths (~2 px per
 * frame plus 1 px jitter) with 2 % of detections missing per frame, so gap closing and division
 * candidates are exercised. The movie loops every 64 frames without a jump, so the tracker runs in
 * steady state however many frames JMH asks for.
 *
 * <p>Run: {@code scripts/bench processors 'TrackLink' -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrackLinkBenchmark {
  private static final int PERIOD = 64;

  @Param({"100", "1000", "10000"})
  public int cells;

  private List<List<Detection>> frames;
  private OnlineTracker tracker;
  private long frameIndex;

  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(1);
    double side = 45 * Math.sqrt(cells);
    double[] x0 = new double[cells];
    double[] y0 = new double[cells];
    double[][] amp = new double[cells][4];
    double[][] phase = new double[cells][4];
    for (int i = 0; i < cells; i++) {
      x0[i] = side * rnd.nextDouble();
      y0[i] = side * rnd.nextDouble();
      for (int k = 0; k < 4; k++) {
        amp[i][k] = 10 * rnd.nextDouble();
        phase[i][k] = 2 * Math.PI * rnd.nextDouble();
      }
    }
    frames = new ArrayList<>();
    for (int t = 0; t < PERIOD; t++) {
      List<Detection> f = new ArrayList<>(cells);
      double w = 2 * Math.PI * t / PERIOD;
      for (int i = 0; i < cells; i++) {
        if (rnd.nextDouble() < 0.02) {
          continue;
        }
        double x =
            x0[i]
                + amp[i][0] * Math.sin(w + phase[i][0])
                + amp[i][1] * Math.sin(2 * w + phase[i][1])
                + rnd.nextGaussian();
        double y =
            y0[i]
                + amp[i][2] * Math.sin(w + phase[i][2])
                + amp[i][3] * Math.sin(2 * w + phase[i][3])
                + rnd.nextGaussian();
        f.add(new Detection(i + 1, x, y, 1500 + 20 * rnd.nextGaussian(), 100));
      }
      frames.add(f);
    }
    tracker = new OnlineTracker(TrackerConfig.defaults());
    frameIndex = 0;
    for (int t = 0; t < PERIOD; t++) { // reach steady state before measuring
      push();
    }
  }

  private List<FinalizedFrame> push() {
    List<Detection> f = frames.get((int) (frameIndex % PERIOD));
    return tracker.push(frameIndex++, f);
  }

  /** One frame: link, close gaps, detect divisions, finalize the frame leaving the window. */
  @Benchmark
  public List<FinalizedFrame> pushFrame() {
    return push();
  }
}
