package io.cytostream.processors.segment;

import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.SegmentationConfig.ThresholdMethod;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the image stages on a CTC sequence the way the service does (median 3×3 → log/normalise with
 * a per-sequence calibration window → segment) and scores the labels with {@link CtcSegScore}. As a
 * main it also writes a CTC result folder ({@code maskTTT.tif} and a {@code res_track.txt} in which
 * every object is its own one-frame track) that {@code shared/tools/ctc-eval} can score
 * independently.
 *
 * <p>Usage: {@code SegmentationEval SEQ_DIR GT_DIR [OUT_DIR]}; segmentation parameters can be
 * overridden with system properties {@code seg.sigma, seg.method, seg.factor, seg.dsigma, seg.dyn,
 * seg.neck, seg.minArea, seg.skew, seg.holes}.
 */
public final class SegmentationEval {
  private SegmentationEval() {}

  /** Labels of every frame of a sequence, keyed by frame number. */
  public static Map<Integer, LabelImage> segmentSequence(
      Path seqDir, Segmenter segmenter, int maxFrames) {
    return segmentSequence(seqDir, segmenter, maxFrames, t -> true);
  }

  /**
   * Labels of the frames of a sequence for which {@code wanted} holds, keyed by frame number. All
   * frames up to the normaliser's calibration window are still read (they set the scale); later
   * frames that are not wanted are skipped entirely.
   */
  public static Map<Integer, LabelImage> segmentSequence(
      Path seqDir, Segmenter segmenter, int maxFrames, java.util.function.IntPredicate wanted) {
    IntensityNormalizer norm = IntensityNormalizer.defaults();
    NormalizerState state = norm.initial();
    MedianFilter3x3 median = MedianFilter3x3.parallel();
    Map<Integer, LabelImage> out = new HashMap<>();
    List<Path> frames = CtcData.frames(seqDir);
    java.util.regex.Pattern tp = java.util.regex.Pattern.compile("t(\\d+)\\.tif");
    for (int i = 0; i < frames.size() && i < maxFrames; i++) {
      Path f = frames.get(i);
      int t = CtcData.number(f, tp);
      boolean want = wanted.test(t);
      if (!want && state.frozen()) {
        continue;
      }
      int[] size = new int[2];
      short[] raw = CtcData.readUint16(f, size);
      short[] med = median.uint16(raw, size[0], size[1]);
      float[] mf = new float[med.length];
      for (int k = 0; k < mf.length; k++) {
        mf[k] = med[k] & 0xFFFF;
      }
      IntensityNormalizer.Step step = norm.step(state, new FloatImage(size[0], size[1], mf));
      state = step.state();
      if (want) {
        out.put(t, segmenter.segment(step.normalized()));
      }
    }
    return out;
  }

  /** Writes a CTC result folder: one mask per frame, each object its own one-frame track. */
  public static void writeResult(Path outDir, Map<Integer, LabelImage> labels) {
    try {
      Files.createDirectories(outDir);
      List<String> track = new ArrayList<>();
      int next = 0;
      for (int t : labels.keySet().stream().sorted().toList()) {
        LabelImage l = labels.get(t);
        int base = next;
        int[] ids = new int[l.labels().length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = l.labels()[i] == 0 ? 0 : base + l.labels()[i];
        }
        for (int k = 1; k <= l.count(); k++) {
          track.add((base + k) + " " + t + " " + t + " 0");
        }
        next += l.count();
        CtcData.writeLabels(outDir.resolve(CtcData.maskName(t)), l.width(), l.height(), ids);
      }
      Files.write(outDir.resolve("res_track.txt"), track);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The configuration from system properties over the defaults. */
  public static SegmentationConfig configFromProperties() {
    SegmentationConfig d = SegmentationConfig.defaults();
    return new SegmentationConfig(
        Double.parseDouble(System.getProperty("seg.sigma", "" + d.sigma())),
        ThresholdMethod.valueOf(
            System.getProperty("seg.method", d.threshold().name()).toUpperCase(Locale.ROOT)),
        Double.parseDouble(System.getProperty("seg.skew", "" + d.skewForTriangle())),
        Double.parseDouble(System.getProperty("seg.factor", "" + d.thresholdFactor())),
        Double.parseDouble(System.getProperty("seg.contrast", "" + d.minContrast())),
        Integer.parseInt(System.getProperty("seg.holes", "" + d.fillHolesMaxArea())),
        Double.parseDouble(System.getProperty("seg.dsigma", "" + d.distanceSigma())),
        Double.parseDouble(System.getProperty("seg.dyn", "" + d.minDynamic())),
        Double.parseDouble(System.getProperty("seg.neck", "" + d.maxNeckRatio())),
        Integer.parseInt(System.getProperty("seg.minArea", "" + d.minArea())),
        d.maxArea(),
        Boolean.parseBoolean(System.getProperty("seg.flatten", "" + d.flattenRowsCols())));
  }

  /** Entry point, see the class comment. */
  public static void main(String[] args) {
    Path seq = Path.of(args[0]);
    Path gt = Path.of(args[1]);
    SegmentationConfig cfg = configFromProperties();
    long t0 = System.nanoTime();
    Map<Integer, LabelImage> labels =
        segmentSequence(seq, new ClassicalSegmenter(cfg), Integer.MAX_VALUE);
    long t1 = System.nanoTime();
    CtcSegScore.Score s =
        CtcSegScore.scoreSequence(gt, t -> labels.containsKey(t) ? labels.get(t).labels() : null);
    System.out.printf(
        Locale.ROOT,
        "%s SEG %.4f DET %.4f (objects %d, markers %d, FN %d, FP %d, NS %d) %d frames in %.1f s%n"
            + "  %s%n",
        seq,
        s.seg(),
        s.det(),
        s.gtObjects(),
        s.markers(),
        s.fn(),
        s.fp(),
        s.ns(),
        labels.size(),
        (t1 - t0) / 1e9,
        cfg);
    if (args.length > 2) {
      writeResult(Path.of(args[2]), labels);
    }
  }
}
