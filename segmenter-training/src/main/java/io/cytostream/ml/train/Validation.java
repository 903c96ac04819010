package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.Tiler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a network (through the service's tiling and post-processing) and the classical segmenter
 * with the CTC SEG/DET measures ({@link CtcSegScore}) and prints one line per data set and
 * segmenter.
 */
final class Validation {
  private Validation() {}

  /** The network as the service runs it: tiled maps, then {@code post}. */
  static Segmenter modelSegmenter(Tiler.Net net, MapPostProcessor post) {
    Tiler tiler = Tiler.defaults();
    return img -> {
      float[][] m = tiler.maps(net, img.data(), img.width(), img.height());
      return post.labels(m[0], m[1], img.width(), img.height());
    };
  }

  /**
   * CTC sequences {@code ctc/SEQ/01}: SEG/DET on the frames from {@code splitAt.get(SEQ)} on and on
   * the whole sequence, for the model and the classical segmenter.
   */
  static void ctc(
      Path ctc, String[] seqs, Map<String, Integer> splitAt, Tiler.Net net, MapPostProcessor post) {
    Segmenter model = modelSegmenter(net, post);
    Segmenter classical = new ClassicalSegmenter();
    for (String s : seqs) {
      Path seq = ctc.resolve(s).resolve("01");
      Path gt = ctc.resolve(s).resolve("01_GT");
      int split = splitAt.get(s);
      TreeMap<Integer, FloatImage> frames = CtcFiles.normalizedFrames(seq, t -> true);
      for (String name : List.of("model", "classical")) {
        Segmenter seg = name.equals("model") ? model : classical;
        Map<Integer, int[]> res = new HashMap<>();
        long t0 = System.nanoTime();
        for (var e : frames.entrySet()) {
          LabelImage l = seg.segment(e.getValue());
          res.put(e.getKey(), l.labels());
        }
        double dt = Trainer.secs(t0) / frames.size();
        CtcSegScore.Score val = CtcSegScore.scoreSequence(gt, t -> t >= split ? res.get(t) : null);
        CtcSegScore.Score all = CtcSegScore.scoreSequence(gt, res::get);
        System.out.printf(
            Locale.ROOT,
            "VALIDATION %-15s %-9s held-out (t>=%d): SEG %.4f DET %.4f (%d objects) | whole 01: SEG %.4f DET %.4f | %.0f ms/frame%n",
            s,
            name,
            split,
            val.seg(),
            val.det(),
            val.gtObjects(),
            all.seg(),
            all.det(),
            dt * 1000);
      }
    }
  }
}
