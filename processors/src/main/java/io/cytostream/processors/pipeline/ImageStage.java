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
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.schemas.PixelType;

/**
 * The whole image stage for one raw plane, Kafka-free: decode and validate → 3×3 median → quality
 * figures → log + per-FOV interquartile normalisation → segmentation → measurement. The only state
 * is the FOV's {@link NormalizerState}, passed in and returned (keep it in a state store keyed by
 * FOV). Thread-safe.
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
      Measurements measurements) {}

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
    LabelImage labels =
        suppliedLabels == null
            ? segmenter.segment(step.normalized())
            : LabelImage.relabel(width, height, suppliedLabels);
    Measurements m =
        CellMeasurer.measure(
            labels, med, step.normalized(), suppliedLabels == null ? measure : measure.withMin(0));
    return new Result(step.state(), step.state().frozen(), q, step.normalized(), m);
  }
}
