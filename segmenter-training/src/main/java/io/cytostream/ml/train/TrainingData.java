package io.cytostream.ml.train;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.eval.CtcFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads the training samples: annotated CTC frames (normalised exactly as the service normalises
 * them) and frames of the in-repo culture simulator (its exact label images).
 */
final class TrainingData {
  private TrainingData() {}

  /**
   * The first frame number of the held-out part of a CTC sequence: the last quarter (at least one)
   * of its annotated frames, in time.
   */
  static int ctcSplit(Path gt) {
    List<Integer> ann = CtcFiles.segFrames(gt);
    return ann.get(ann.size() - Math.max(1, ann.size() / 4));
  }

  /**
   * The annotated frames of {@code ctc/SEQ/01} before {@link #ctcSplit}. A frame with fewer SEG
   * objects than TRA markers is partly annotated (see {@link Sample#of}).
   */
  static List<Sample> ctcTraining(Path ctc, String seq) {
    Path gt = ctc.resolve(seq).resolve("01_GT");
    List<Integer> ann = CtcFiles.segFrames(gt);
    int split = ctcSplit(gt);
    Set<Integer> want = new HashSet<>();
    for (int t : ann) {
      if (t < split) {
        want.add(t);
      }
    }
    List<Sample> out = new ArrayList<>();
    int partialFrames = 0;
    TreeMap<Integer, FloatImage> frames =
        CtcFiles.normalizedFrames(ctc.resolve(seq).resolve("01"), want::contains);
    for (var e : frames.entrySet()) {
      int[] size = new int[2];
      int[] lab = CtcFiles.segLabels(gt, e.getKey(), size);
      int[] markers =
          CtcFiles.readLabels(
              gt.resolve("TRA")
                  .resolve(String.format(Locale.ROOT, "man_track%03d.tif", e.getKey())),
              size);
      boolean partial = Sample.distinct(lab) < Sample.distinct(markers);
      partialFrames += partial ? 1 : 0;
      out.add(Sample.of(seq, e.getValue(), lab, partial));
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d training frames (< t%03d; %d partly annotated: loss only near their cells),"
            + " %d held out%n",
        seq,
        out.size(),
        split,
        partialFrames,
        ann.size() - out.size());
    return out;
  }

  /** Frames of the culture simulator (two small cultures), normalised like the service does. */
  static List<Sample> simulated(long seed) {
    List<Sample> out = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      SimulationConfig cfg =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(12 + 8 * c)
              .frames(30)
              .seed(seed + c)
              .build();
      CultureSimulator sim = new CultureSimulator(cfg);
      IntensityNormalizer norm = IntensityNormalizer.defaults();
      NormalizerState st = norm.initial();
      MedianFilter3x3 median = MedianFilter3x3.sequential();
      while (sim.hasNext()) {
        SimulatedFrame f = sim.next();
        short[] med = median.uint16(f.raw().toShortArray(), f.width(), f.height());
        float[] mf = new float[med.length];
        for (int k = 0; k < mf.length; k++) {
          mf[k] = med[k] & 0xFFFF;
        }
        IntensityNormalizer.Step step = norm.step(st, new FloatImage(f.width(), f.height(), mf));
        st = step.state();
        if (f.index() % 3 == 2 && st.frozen()) {
          int[] lab = new int[f.labels().length];
          for (int k = 0; k < lab.length; k++) {
            lab[k] = Short.toUnsignedInt(f.labels()[k]);
          }
          out.add(Sample.of("sim", step.normalized(), lab, false));
        }
      }
    }
    return out;
  }
}
