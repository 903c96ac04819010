package io.cytostream.ml.train;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.eval.AnnotatedImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the training samples (raw planes and labels): the training side ({@link
 * io.cytostream.processors.segment.eval.DataSplits}) of the openly licensed annotated sets in
 * {@code shared/data/train}, and frames of the in-repo culture simulator (its exact label images).
 * No Cell Tracking Challenge data: those sequences are held-out tests.
 */
final class TrainingData {
  /** The annotated sets of {@code shared/data/train}. */
  static final List<String> CC0_SETS = List.of("bbbc039", "dsb2018-stage1-fluo", "kromp-s-bsst265");

  /** The name of the simulator's samples. */
  static final String SIM = "sim";

  /**
   * Seeds of the simulated cultures scored as held-out data (training uses seed, seed+1, seed+2).
   */
  static final long[] HELD_OUT_SIM_SEEDS = {9001, 9002, 9003};

  /** A normalised simulated frame, its exact labels, and whether it is scored. */
  record SimFrame(FloatImage normalized, int[] labels, boolean scored) {}

  private TrainingData() {}

  /**
   * Held-out simulated cultures (seeds {@link #HELD_OUT_SIM_SEEDS}; 256², 15, 25 and 45 cells, 30
   * frames), normalised frame by frame as the service does: one list of all frames per culture,
   * every third frame from frame 10 on marked as scored.
   */
  static List<List<SimFrame>> heldOutSimulated() {
    List<List<SimFrame>> out = new ArrayList<>();
    int[] cells = {15, 25, 45};
    for (int c = 0; c < cells.length; c++) {
      SimulationConfig cfg =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(cells[c])
              .frames(30)
              .seed(HELD_OUT_SIM_SEEDS[c])
              .build();
      CultureSimulator sim = new CultureSimulator(cfg);
      IntensityNormalizer norm = IntensityNormalizer.defaults();
      NormalizerState state = norm.initial();
      MedianFilter3x3 median = MedianFilter3x3.sequential();
      List<SimFrame> culture = new ArrayList<>();
      out.add(culture);
      while (sim.hasNext()) {
        SimulatedFrame f = sim.next();
        short[] s = f.raw().toShortArray();
        float[] raw = new float[s.length];
        for (int k = 0; k < raw.length; k++) {
          raw[k] = s[k] & 0xFFFF;
        }
        FloatImage med =
            new FloatImage(f.width(), f.height(), median.float32(raw, f.width(), f.height()));
        IntensityNormalizer.Step step = norm.step(state, med);
        state = step.state();
        int[] lab = new int[f.labels().length];
        for (int k = 0; k < lab.length; k++) {
          lab[k] = Short.toUnsignedInt(f.labels()[k]);
        }
        culture.add(new SimFrame(step.normalized(), lab, f.index() % 3 == 1 && f.index() >= 10));
      }
    }
    return out;
  }

  /**
   * The training side of one set. The DSB 2018 fields of the BBBC039 screen are left out when
   * {@code withoutBbbc039Screen} (a leave-BBBC039-out run must not see that screen).
   */
  static List<Sample> cc0Training(Path trainDir, String set, boolean withoutBbbc039Screen) {
    Path dir = trainDir.resolve(set);
    List<Sample> out = new ArrayList<>();
    int screen = 0;
    for (AnnotatedImages.Entry e : AnnotatedImages.entries(dir)) {
      if (e.heldOut()) {
        continue;
      }
      boolean isScreen =
          set.startsWith("dsb2018")
              && io.cytostream.processors.segment.eval.DataSplits.isBbbc039Screen(
                  e.width(), e.height());
      if (isScreen && withoutBbbc039Screen) {
        screen++;
        continue;
      }
      FloatImage raw = AnnotatedImages.raw(dir, e);
      out.add(Sample.of(set, raw.data(), AnnotatedImages.labels(dir, e), e.width(), e.height()));
    }
    double[] d = out.stream().mapToDouble(Sample::diameter).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%s: %d training images (median object diameter %.1f px, range %.1f-%.1f)%s%n",
        set,
        out.size(),
        d.length == 0 ? 0 : d[d.length / 2],
        d.length == 0 ? 0 : d[0],
        d.length == 0 ? 0 : d[d.length - 1],
        screen > 0 ? ", " + screen + " BBBC039-screen fields left out" : "");
    return out;
  }

  /** Synthetic images of large textured objects ({@link TexturedNuclei}) in the simulator set. */
  static final int TEXTURED_IMAGES = 60;

  /** Seed of the held-out textured images (training uses the run's seed). */
  static final long HELD_OUT_TEXTURED_SEED = 9100;

  /**
   * The simulator's samples: raw frames of the culture simulator (three 256² cultures of 12, 20 and
   * 40 cells, every third frame after the first ten: confluent cells) and {@value #TEXTURED_IMAGES}
   * synthetic images of large, internally textured nuclei and cells ({@link TexturedNuclei}, 36–84
   * px).
   */
  static List<Sample> simulated(long seed) {
    List<Sample> out = new ArrayList<>();
    int[] cells = {12, 20, 40};
    for (int c = 0; c < cells.length; c++) {
      SimulationConfig cfg =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(cells[c])
              .frames(30)
              .seed(seed + c)
              .build();
      CultureSimulator sim = new CultureSimulator(cfg);
      while (sim.hasNext()) {
        SimulatedFrame f = sim.next();
        if (f.index() % 3 == 2 && f.index() >= 10) {
          int[] lab = new int[f.labels().length];
          for (int k = 0; k < lab.length; k++) {
            lab[k] = Short.toUnsignedInt(f.labels()[k]);
          }
          float[] raw = new float[lab.length];
          short[] s = f.raw().toShortArray();
          for (int k = 0; k < raw.length; k++) {
            raw[k] = s[k] & 0xFFFF;
          }
          out.add(Sample.of(SIM, raw, lab, f.width(), f.height()));
        }
      }
    }
    int cultureFrames = out.size();
    out.addAll(TexturedNuclei.render(seed, TEXTURED_IMAGES));
    double[] d =
        out.subList(cultureFrames, out.size()).stream()
            .mapToDouble(Sample::diameter)
            .sorted()
            .toArray();
    System.out.printf(
        Locale.ROOT,
        "sim: %d culture frames + %d textured images (median object diameter %.1f px, range"
            + " %.1f-%.1f)%n",
        cultureFrames,
        d.length,
        d[d.length / 2],
        d[0],
        d[d.length - 1]);
    return out;
  }
}
