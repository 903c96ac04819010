package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.eval.AnnotatedImages;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.eval.DataSplits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments held-out data with the shipped model (unet-seg v2, trained on CC0 nuclei and the
 * simulator only) and asserts its SEG floors: on the held-out side ({@link DataSplits}) of two
 * openly licensed annotated sets the model trained on the other side of, with its margin over the
 * classical segmenter; on frames of CTC Fluo-N2DH-SIM+ 01, which it never saw (there it is below
 * the classical segmenter, see MODEL_CARD.md); and on a simulated confluent culture not trained on.
 */
class ModelSegmenterSegTest {
  /** Annotated SIM+ 01 frames (no CTC frame is used in training). */
  static final List<Integer> FRAMES = List.of(52, 58, 64);

  @Test
  void simPlusFramesNeverTrainedOnKeepTheirFloor() {
    Path seq = CtcFiles.sharedData().resolve("ctc/Fluo-N2DH-SIM+/01");
    Path gt = CtcFiles.sharedData().resolve("ctc/Fluo-N2DH-SIM+/01_GT");
    assumeTrue(Files.isDirectory(seq) && Files.isDirectory(gt), "shared CTC data not present");
    TreeMap<Integer, FloatImage> frames = CtcFiles.normalizedFrames(seq, FRAMES::contains);
    CtcSegScore model = new CtcSegScore();
    CtcSegScore classical = new CtcSegScore();
    ClassicalSegmenter cs = new ClassicalSegmenter();
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      for (int t : FRAMES) {
        int[] size = new int[2];
        int[] truth = CtcFiles.segLabels(gt, t, size);
        LabelImage l = w.segment(frames.get(t));
        model.addSegFrame(truth, l.validate().labels());
        classical.addSegFrame(truth, cs.segment(frames.get(t)).labels());
      }
    }
    double seg = model.score().seg();
    double ref = classical.score().seg();
    System.out.printf(Locale.ROOT, "SIM+ 01 SEG: model %.4f, classical %.4f%n", seg, ref);
    assertThat(seg).isGreaterThanOrEqualTo(SIM_SEG_FLOOR);
  }

  @Test
  void bbbc039HeldOutImagesBeatTheFloorAndTheClassicalSegmenter() {
    double[] seg = heldOutSeg("bbbc039", 8);
    assertThat(seg[0]).isGreaterThanOrEqualTo(BBBC_FLOOR);
    assertThat(seg[0] - seg[1]).as("margin over the classical segmenter").isGreaterThan(CC0_MARGIN);
  }

  @Test
  void dsb2018HeldOutImagesBeatTheFloorAndTheClassicalSegmenter() {
    double[] seg = heldOutSeg("dsb2018-stage1-fluo", 16);
    assertThat(seg[0]).isGreaterThanOrEqualTo(DSB_FLOOR);
    assertThat(seg[0] - seg[1]).as("margin over the classical segmenter").isGreaterThan(CC0_MARGIN);
  }

  /**
   * SEG of the model and of the classical segmenter on the first {@code images} held-out images
   * ({@link DataSplits}) of a CC0 set, each normalised on its own as the first frame of a FOV.
   */
  static double[] heldOutSeg(String set, int images) {
    Path dir = CtcFiles.sharedData().resolve("train").resolve(set);
    assumeTrue(Files.isDirectory(dir), "shared training data not present");
    List<AnnotatedImages.Entry> held =
        AnnotatedImages.entries(dir).stream()
            .filter(AnnotatedImages.Entry::heldOut)
            .limit(images)
            .toList();
    CtcSegScore model = new CtcSegScore();
    CtcSegScore classical = new CtcSegScore();
    ClassicalSegmenter cs = new ClassicalSegmenter();
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      for (AnnotatedImages.Entry e : held) {
        FloatImage img = AnnotatedImages.normalizeSingle(AnnotatedImages.raw(dir, e));
        int[] truth = AnnotatedImages.labels(dir, e);
        model.addSegFrame(truth, w.segment(img).validate().labels());
        classical.addSegFrame(truth, cs.segment(img).labels());
      }
    }
    double[] seg = {model.score().seg(), classical.score().seg()};
    System.out.printf(
        Locale.ROOT, "%s held-out SEG: model %.4f, classical %.4f%n", set, seg[0], seg[1]);
    return seg;
  }

  /**
   * A simulated confluent culture (cells delimited by thin dark lines; seed and size not used in
   * training): the model separates the cells, and so does the classical segmenter's confluent
   * foreground.
   */
  @Test
  void simulatedConfluentCultureIsSegmented(@TempDir Path dir) throws IOException {
    CtcWriter.write(
        SimulationConfig.builder().size(256, 256).cells(30).frames(6).seed(11).build(), dir);
    TreeMap<Integer, FloatImage> frames = CtcFiles.normalizedFrames(dir.resolve("01"), t -> true);
    CtcSegScore model = new CtcSegScore();
    CtcSegScore classical = new CtcSegScore();
    ClassicalSegmenter cs = new ClassicalSegmenter();
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      for (int t : frames.keySet()) {
        int[] truth = CtcFiles.segLabels(dir.resolve("01_GT"), t, new int[2]);
        model.addSegFrame(truth, w.segment(frames.get(t)).validate().labels());
        classical.addSegFrame(truth, cs.segment(frames.get(t)).labels());
      }
    }
    double seg = model.score().seg();
    double ref = classical.score().seg();
    System.out.printf(Locale.ROOT, "simulated culture SEG: model %.4f, classical %.4f%n", seg, ref);
    assertThat(seg).isGreaterThanOrEqualTo(SIM_CULTURE_FLOOR);
    // the classical segmenter merged such cells (SEG ≈ 0.15) until its confluent foreground
    // (ConfluentForeground); now both hold them
    assertThat(ref).as("classical, confluent foreground").isGreaterThanOrEqualTo(0.75);
  }

  // v2's SEG on these data at release minus a margin (see MODEL_CARD.md). At release (fixed
  // post-processing, MapPostProcessor.defaults()): BBBC039 first 8 held-out images 0.836 vs
  // classical 0.443; DSB first 16 held-out 0.621 vs 0.233; SIM+ t52/58/64 0.439 vs classical
  // 0.779; the seed-11 culture 0.705 vs classical 0.863. (v1, trained on SIM+ 01 frames t < 49:
  // 0.697, 0.326, 0.819, >= 0.75.)
  static final double SIM_SEG_FLOOR = 0.40;
  static final double SIM_CULTURE_FLOOR = 0.65;
  static final double BBBC_FLOOR = 0.80;
  static final double DSB_FLOOR = 0.58;
  static final double CC0_MARGIN = 0.30;
}
