package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.AnnotatedImages;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One held-out data set, loaded once and scored for any number of segmenters with the CTC SEG/DET
 * measures ({@link CtcSegScore}). A data set is a list of FOVs; a FOV is a sequence of normalised
 * frames, segmented in order by a fresh segmenter from the factory (so a segmenter with per-FOV
 * state, such as {@link io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter}, calibrates
 * on that FOV's first frames).
 *
 * <ul>
 *   <li>CTC sequence {@code SEQ/01}: one FOV of every frame (normalised by the service's per-FOV
 *       normaliser), SEG on the annotated frames, DET on the marker frames.
 *   <li>An annotated set's held-out side ({@link
 *       io.cytostream.processors.segment.eval.DataSplits}): every image its own one-frame FOV,
 *       normalised on its own; its full mask is SEG truth and DET markers.
 *   <li>The simulator: three held-out cultures ({@link TrainingData#heldOutSimulated()}), three
 *       FOVs.
 * </ul>
 */
final class HeldOutData {
  /** One frame: the normalised plane and its truth (null: segmented, not scored). */
  record Frame(FloatImage normalized, int[] truth) {}

  private final String name;
  private final List<List<Frame>> fovs;
  private final Path ctcGt;
  private final List<List<Integer>> frameNumbers;

  private HeldOutData(
      String name, List<List<Frame>> fovs, Path ctcGt, List<List<Integer>> frameNumbers) {
    this.name = name;
    this.fovs = fovs;
    this.ctcGt = ctcGt;
    this.frameNumbers = frameNumbers;
  }

  /** The data set's name. */
  String name() {
    return name;
  }

  /** Frames over all FOVs. */
  int images() {
    return fovs.stream().mapToInt(List::size).sum();
  }

  /** The first frame of every FOV. */
  List<Frame> firstFrames() {
    return fovs.stream().map(f -> f.get(0)).toList();
  }

  /** A CTC sequence {@code ctc/SEQ/01} with its {@code 01_GT}. */
  static HeldOutData ctc(Path ctc, String seq) {
    TreeMap<Integer, FloatImage> frames =
        CtcFiles.normalizedFrames(ctc.resolve(seq).resolve("01"), t -> true);
    List<Frame> fov = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (var e : frames.entrySet()) {
      fov.add(new Frame(e.getValue(), null));
      numbers.add(e.getKey());
    }
    return new HeldOutData(
        seq + " 01", List.of(fov), ctc.resolve(seq).resolve("01_GT"), List.of(numbers));
  }

  /** The held-out side of an annotated set in {@code trainDir}. */
  static HeldOutData cc0(Path trainDir, String set) {
    Path dir = trainDir.resolve(set);
    List<List<Frame>> fovs = new ArrayList<>();
    for (AnnotatedImages.Entry e : AnnotatedImages.entries(dir)) {
      if (e.heldOut()) {
        FloatImage img = AnnotatedImages.normalizeSingle(AnnotatedImages.raw(dir, e));
        fovs.add(List.of(new Frame(img, AnnotatedImages.labels(dir, e))));
      }
    }
    return new HeldOutData(set, fovs, null, null);
  }

  /** The held-out simulated cultures. */
  static HeldOutData sim() {
    List<List<Frame>> fovs = new ArrayList<>();
    for (List<TrainingData.SimFrame> culture : TrainingData.heldOutSimulated()) {
      List<Frame> fov = new ArrayList<>();
      for (TrainingData.SimFrame f : culture) {
        fov.add(new Frame(f.normalized(), f.scored() ? f.labels() : null));
      }
      fovs.add(fov);
    }
    return new HeldOutData(TrainingData.SIM, fovs, null, null);
  }

  /**
   * Held-out synthetic images of large textured nuclei and cells ({@link TexturedNuclei}, seed
   * {@link TrainingData#HELD_OUT_TEXTURED_SEED}, 18 images): every image its own one-frame FOV,
   * normalised on its own.
   */
  static HeldOutData textured() {
    List<List<Frame>> fovs = new ArrayList<>();
    for (Sample s : TexturedNuclei.render(TrainingData.HELD_OUT_TEXTURED_SEED, 18)) {
      FloatImage img = AnnotatedImages.normalizeSingle(new FloatImage(s.w(), s.h(), s.raw()));
      fovs.add(List.of(new Frame(img, s.lab())));
    }
    return new HeldOutData("textured", fovs, null, null);
  }

  /** SEG/DET of the segmenters from {@code perFov} (one fresh segmenter per FOV, closed after). */
  CtcSegScore.Score score(Supplier<Segmenter> perFov) {
    if (ctcGt != null) {
      Map<Integer, int[]> res = new HashMap<>();
      for (int i = 0; i < fovs.size(); i++) {
        try (Segmenter s = perFov.get()) {
          List<Frame> fov = fovs.get(i);
          for (int k = 0; k < fov.size(); k++) {
            res.put(frameNumbers.get(i).get(k), s.segment(fov.get(k).normalized()).labels());
          }
        }
      }
      return CtcSegScore.scoreSequence(ctcGt, res::get);
    }
    CtcSegScore sc = new CtcSegScore();
    for (List<Frame> fov : fovs) {
      try (Segmenter s = perFov.get()) {
        for (Frame f : fov) {
          int[] res = s.segment(f.normalized()).labels();
          if (f.truth() != null) {
            sc.addSegFrame(f.truth(), res);
            sc.addDetFrame(f.truth(), res);
          }
        }
      }
    }
    return sc.score();
  }
}
