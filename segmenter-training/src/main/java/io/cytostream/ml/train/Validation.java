package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.eval.AnnotatedImages;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.segment.eval.CtcSegScore;
import io.cytostream.processors.segment.model.MapPostProcessor;
import io.cytostream.processors.segment.model.Tiler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a network (through the service's tiling and post-processing) and the classical segmenter
 * on held-out data with the CTC SEG/DET measures ({@link CtcSegScore}) and prints one line per data
 * set and segmenter: whole CTC sequences (all annotated frames; never trained on) and the held-out
 * side of each annotated set in {@code shared/data/train} (each image normalised on its own, its
 * full mask serving as both SEG ground truth and DET markers).
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

  /** The segmenters to score: the model, and the classical one unless {@code skipClassical}. */
  static Map<String, Segmenter> segmenters(
      Tiler.Net net, MapPostProcessor post, boolean skipClassical) {
    Map<String, Segmenter> out = new LinkedHashMap<>();
    out.put("model", modelSegmenter(net, post));
    if (!skipClassical) {
      out.put("classical", new ClassicalSegmenter());
    }
    return out;
  }

  /** Whole CTC sequences {@code ctc/SEQ/01}: SEG/DET over all their annotated frames. */
  static void ctc(Path ctc, List<String> seqs, Map<String, Segmenter> segs) {
    for (String s : seqs) {
      Path gt = ctc.resolve(s).resolve("01_GT");
      TreeMap<Integer, FloatImage> frames =
          CtcFiles.normalizedFrames(ctc.resolve(s).resolve("01"), t -> true);
      for (var seg : segs.entrySet()) {
        Map<Integer, int[]> res = new HashMap<>();
        long t0 = System.nanoTime();
        for (var e : frames.entrySet()) {
          LabelImage l = seg.getValue().segment(e.getValue());
          res.put(e.getKey(), l.labels());
        }
        double dt = Trainer.secs(t0) / frames.size();
        CtcSegScore.Score all = CtcSegScore.scoreSequence(gt, res::get);
        print(s + " 01", seg.getKey(), all, dt);
      }
    }
  }

  /** The held-out side of each set in {@code trainDir}. */
  static void cc0(Path trainDir, List<String> sets, Map<String, Segmenter> segs) {
    for (String set : sets) {
      Path dir = trainDir.resolve(set);
      Map<String, CtcSegScore> scores = new LinkedHashMap<>();
      Map<String, Long> nanos = new HashMap<>();
      int images = 0;
      for (AnnotatedImages.Entry e : AnnotatedImages.entries(dir)) {
        if (!e.heldOut()) {
          continue;
        }
        images++;
        FloatImage img = AnnotatedImages.normalizeSingle(AnnotatedImages.raw(dir, e));
        int[] gt = AnnotatedImages.labels(dir, e);
        for (var seg : segs.entrySet()) {
          long t0 = System.nanoTime();
          int[] res = seg.getValue().segment(img).labels();
          nanos.merge(seg.getKey(), System.nanoTime() - t0, Long::sum);
          CtcSegScore sc = scores.computeIfAbsent(seg.getKey(), k -> new CtcSegScore());
          sc.addSegFrame(gt, res);
          sc.addDetFrame(gt, res);
        }
      }
      for (var sc : scores.entrySet()) {
        double dt = nanos.get(sc.getKey()) / 1e9 / Math.max(1, images);
        print(set + " held-out (" + images + ")", sc.getKey(), sc.getValue().score(), dt);
      }
    }
  }

  /**
   * Simulated cultures never trained on ({@link HeldOutData#sim()}) and held-out textured images
   * ({@link HeldOutData#textured()}).
   */
  static void sim(Map<String, Segmenter> segs) {
    HeldOutData sim = HeldOutData.sim();
    for (var seg : segs.entrySet()) {
      long t0 = System.nanoTime();
      CtcSegScore.Score sc = sim.score(seg::getValue);
      print("sim held-out", seg.getKey(), sc, Trainer.secs(t0) / sim.images());
    }
    HeldOutData tex = HeldOutData.textured();
    for (var seg : segs.entrySet()) {
      long t0 = System.nanoTime();
      CtcSegScore.Score sc = tex.score(seg::getValue);
      print("textured held-out", seg.getKey(), sc, Trainer.secs(t0) / tex.images());
    }
  }

  private static void print(String what, String seg, CtcSegScore.Score sc, double secsPerImage) {
    System.out.printf(
        Locale.ROOT,
        "VALIDATION %-36s %-9s SEG %.4f DET %.4f (%d objects; DET errors FN %d FP %d NS %d)"
            + " | %.0f ms/image%n",
        what,
        seg,
        sc.seg(),
        sc.det(),
        sc.gtObjects(),
        sc.fn(),
        sc.fp(),
        sc.ns(),
        secsPerImage * 1000);
  }
}
