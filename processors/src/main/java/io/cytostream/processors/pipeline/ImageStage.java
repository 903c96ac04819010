package io.cytostream.processors.pipeline;

import io.cytostream.processors.denoise.HotPixelDetector;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.denoise.RawFrameAssessment;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.InvalidPlaneException;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.processors.measure.CellMeasurer;
import io.cytostream.processors.measure.MeasureConfig;
import io.cytostream.processors.measure.Measurements;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.ObjectSizeState;
import io.cytostream.processors.segment.SegmentHierarchy;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.SizeCalibratedSegmenter;
import io.cytostream.schemas.PixelType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole image stage for one raw plane, Kafka-free: decode and validate → 3×3 median → quality
 * figures → log + per-FOV interquartile normalisation → segmentation → measurement. The only state
 * is the FOV's {@link NormalizerState}, passed in and returned (keep it in a state store keyed by
 * FOV). With a {@link SizeCalibratedSegmenter} (the learned model with rescaling) that state also
 * carries the FOV's object size ({@link NormalizerState#objectSize()}): estimated on the frames of
 * the normaliser's calibration window and held with its scale once the window closes. Thread-safe
 * when the segmenter is.
 *
 * <p>Intensities in the measurements: {@code meanIntensity} is over the median-filtered plane in
 * raw units (hot pixels removed), {@code normalizedIntensity} over the normalised plane.
 */
public final class ImageStage {
  private final MedianFilter3x3 median;
  private final HotPixelDetector quality;
  private final IntensityNormalizer normalizer;
  private final Segmenter segmenter;
  private final MeasureConfig measure;

  /** All parts explicit. */
  public ImageStage(
      MedianFilter3x3 median,
      HotPixelDetector quality,
      IntensityNormalizer normalizer,
      Segmenter segmenter,
      MeasureConfig measure) {
    this.median = median;
    this.quality = quality;
    this.normalizer = normalizer;
    this.segmenter = segmenter;
    this.measure = measure;
  }

  /** Every part with its documented defaults and the classical segmenter. */
  public static ImageStage defaults() {
    return new ImageStage(
        MedianFilter3x3.parallel(),
        HotPixelDetector.defaults(),
        IntensityNormalizer.defaults(),
        new ClassicalSegmenter(),
        MeasureConfig.defaults());
  }

  /** The normaliser (for {@code initial()} states). */
  public IntensityNormalizer normalizer() {
    return normalizer;
  }

  /**
   * Outputs of one frame.
   *
   * @param state the FOV's normaliser state after this frame
   * @param settled whether the normaliser was frozen (calibration complete) for this frame
   * @param quality hot/saturated pixels, brightness, focus
   * @param normalized the normalised plane
   * @param measurements relabelled cells and neighbour pairs
   */
  public record Result(
      NormalizerState state,
      boolean settled,
      RawFrameAssessment quality,
      FloatImage normalized,
      Measurements measurements,
      List<SegmentHierarchy.Group> candidates) {
    /** Copies the candidates. */
    public Result {
      candidates = List.copyOf(candidates);
    }

    /** Without candidate segments. */
    public Result(
        NormalizerState state,
        boolean settled,
        RawFrameAssessment quality,
        FloatImage normalized,
        Measurements measurements) {
      this(state, settled, quality, normalized, measurements, List.of());
    }
  }

  /**
   * Processes one raw plane.
   *
   * @param state the FOV's normaliser state ({@code normalizer().initial()} for a new FOV)
   * @throws InvalidPlaneException when the plane is invalid (send it to the dead-letter topic)
   */
  public Result process(
      byte[] pixels, int width, int height, PixelType type, NormalizerState state) {
    return process(pixels, width, height, type, state, null);
  }

  /**
   * Processes one raw plane with label images supplied from outside instead of segmentation (e.g.
   * ground truth, to judge tracking and modelling apart from segmentation): they are taken as they
   * are, without the size filter.
   *
   * @param suppliedLabels row-major labels ({@code width*height}, 0 = background), or null to
   *     segment
   */
  public Result process(
      byte[] pixels,
      int width,
      int height,
      PixelType type,
      NormalizerState state,
      int[] suppliedLabels) {
    FloatImage raw = PlaneDecoder.toFloat(pixels, width, height, type);
    FloatImage med = median.apply(pixels, width, height, type);
    double sat =
        Double.isNaN(quality.saturation())
            ? (type == PixelType.FLOAT32 ? Double.POSITIVE_INFINITY : PlaneDecoder.typeMax(type))
            : quality.saturation();
    RawFrameAssessment q = quality.assess(raw, med, sat);
    IntensityNormalizer.Step step = normalizer.step(state, med);
    NormalizerState next = step.state();
    SegmentHierarchy hierarchy = null;
    LabelImage labels;
    if (suppliedLabels != null) {
      labels = LabelImage.relabel(width, height, suppliedLabels);
    } else if (segmenter instanceof SizeCalibratedSegmenter sized) {
      // the object size is calibrated over the normaliser's window and held with its scale
      boolean calibrating = !state.frozen();
      ObjectSizeState size = state.objectSize();
      if (size == null && calibrating) {
        size = ObjectSizeState.EMPTY;
      }
      SizeCalibratedSegmenter.Outcome o =
          sized.segment(step.normalized(), size, calibrating, next.frozen());
      labels = o.labels();
      next = next.withObjectSize(o.size());
    } else {
      hierarchy = segmenter.hierarchy(step.normalized());
      labels = hierarchy != null ? hierarchy.leaves() : segmenter.segment(step.normalized());
    }
    Measurements m =
        CellMeasurer.measure(
            labels, med, step.normalized(), suppliedLabels == null ? measure : measure.withMin(0));
    List<SegmentHierarchy.Group> candidates =
        hierarchy == null ? List.of() : measuredGroups(hierarchy, labels, m.relabelled());
    return new Result(next, next.frozen(), q, step.normalized(), m, candidates);
  }

  /**
   * The hierarchy's groups in the measured labels: leaves the measurement dropped leave their
   * groups, and a group left with fewer than two members (or equal to another) is dropped.
   */
  static List<SegmentHierarchy.Group> measuredGroups(
      SegmentHierarchy hierarchy, LabelImage before, LabelImage after) {
    int[] map = new int[before.count() + 1];
    int[] b = before.labels();
    int[] a = after.labels();
    for (int i = 0; i < b.length; i++) {
      map[b[i]] = a[i];
    }
    List<SegmentHierarchy.Group> out = new ArrayList<>();
    Set<List<Integer>> seen = new HashSet<>();
    for (SegmentHierarchy.Group g : hierarchy.groups()) {
      List<Integer> members = new ArrayList<>();
      for (int leaf : g.members()) {
        if (map[leaf] > 0) {
          members.add(map[leaf]);
        }
      }
      Collections.sort(members);
      if (members.size() >= 2 && seen.add(members)) {
        out.add(
            new SegmentHierarchy.Group(
                members.stream().mapToInt(Integer::intValue).toArray(), g.preferred()));
      }
    }
    return out;
  }
}
