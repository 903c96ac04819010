package io.cytostream.processors.pipeline;

import io.cytostream.processors.denoise.HotPixelDetector;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.measure.CellMeasurement;
import io.cytostream.processors.measure.MeasureConfig;
import io.cytostream.processors.measure.Measurements;
import io.cytostream.processors.measure.NeighbourPair;
import io.cytostream.processors.segment.SegmentHierarchy;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.schemas.EncodedLabels;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.FrameQuality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The image stages of one frame as the topology needs them, Kafka-free: runs {@link ImageStage}
 * (decode → 3×3 median and data-quality figures → log(x+1) and the FOV's interquartile
 * normalisation → segmentation or supplied labels → measurement) and turns its result into the
 * {@code cells.observed} message, with the frame's model time. Not thread-safe (the segmenter may
 * hold a model): one instance per stream task.
 */
public final class ImagePipeline {

  /**
   * Settings of the image stages.
   *
   * @param normalizer the per-FOV intensity normalisation
   * @param hotPixels the hot-pixel and saturation test
   * @param measure measurement rules (minimum area, minimum shared border, intensity inset)
   */
  public record Settings(
      IntensityNormalizer normalizer, HotPixelDetector hotPixels, MeasureConfig measure) {
    public static Settings defaults() {
      return new Settings(
          IntensityNormalizer.defaults(), HotPixelDetector.defaults(), MeasureConfig.defaults());
    }
  }

  /**
   * One frame's outcome.
   *
   * @param observations what goes to cells.observed
   * @param normalizer the FOV's updated normalisation state
   * @param normalized the normalised plane the cells were found on
   * @param labels the cells' label image (labels as in {@code observations})
   */
  public record Result(
      FrameObservations observations,
      NormalizerState normalizer,
      FloatImage normalized,
      LabelImage labels) {}

  private final ImageStage stage;

  /** One pipeline per stream task; the median runs on the calling thread only. */
  public ImagePipeline(Settings settings, Segmenter segmenter) {
    this.stage =
        new ImageStage(
            new MedianFilter3x3(1),
            settings.hotPixels(),
            settings.normalizer(),
            segmenter,
            settings.measure());
  }

  /** A FOV's initial normalisation state. */
  public NormalizerState initialState() {
    return stage.normalizer().initial();
  }

  /**
   * The wire form of the candidate segments: labels from {@code cellCount + 1} on, in order; null
   * when there are none (the field is then absent from the message).
   */
  static List<FrameObservations.Candidate> candidates(
      List<SegmentHierarchy.Group> groups, int cellCount) {
    if (groups.isEmpty()) {
      return null;
    }
    List<FrameObservations.Candidate> out = new ArrayList<>(groups.size());
    int label = cellCount;
    for (SegmentHierarchy.Group g : groups) {
      out.add(
          new FrameObservations.Candidate(
              ++label, Arrays.stream(g.members()).boxed().toList(), g.preferred()));
    }
    return out;
  }

  /**
   * Processes one valid frame.
   *
   * @param frame a frame whose {@link Frame#validationError()} is empty
   * @param state the FOV's normalisation state
   * @param suppliedLabels a label image to use instead of segmentation, or null
   * @param defaultIntervalSeconds interval used for the frame's time when it has none
   * @param emitLabels attach the label image to the observations
   */
  public Result process(
      Frame frame,
      NormalizerState state,
      int[] suppliedLabels,
      double defaultIntervalSeconds,
      boolean emitLabels) {
    FrameHeader h = frame.header();
    int w = h.width();
    int hgt = h.height();
    ImageStage.Result r =
        stage.process(
            frame.pixels(), w, hgt, frame.pixelType().orElseThrow(), state, suppliedLabels);
    Measurements m = r.measurements();
    List<FrameObservations.Cell> cells = new ArrayList<>(m.cells().size());
    for (CellMeasurement c : m.cells()) {
      cells.add(
          new FrameObservations.Cell(
              c.label(),
              c.centroidX(),
              c.centroidY(),
              c.areaPx(),
              c.minX(),
              c.minY(),
              c.maxX(),
              c.maxY(),
              c.meanIntensity(),
              c.normalizedIntensity(),
              c.onBorder()));
    }
    List<FrameObservations.Neighbours> pairs = new ArrayList<>(m.pairs().size());
    for (NeighbourPair p : m.pairs()) {
      pairs.add(
          new FrameObservations.Neighbours(
              p.labelI(), p.labelJ(), p.sharedBorderPx(), p.centroidDistancePx()));
    }
    NormalizerState next = r.state();
    io.cytostream.processors.denoise.RawFrameAssessment q = r.quality();
    FrameQuality quality =
        new FrameQuality(
            q.hotPixels(),
            q.saturatedPixels(),
            q.saturatedFraction(),
            q.meanRaw(),
            q.sharpness(),
            r.settled(),
            next.lo(),
            next.hi());
    double interval = h.intervalSeconds() != null ? h.intervalSeconds() : defaultIntervalSeconds;
    double time =
        h.acquisitionTime() != null
            ? h.acquisitionTime().getEpochSecond() + h.acquisitionTime().getNano() / 1e9
            : h.frameIndex() * interval;
    FrameObservations obs =
        new FrameObservations(
            FrameObservations.VERSION,
            h.fov(),
            h.frameIndex(),
            h.acquisitionTime(),
            time,
            w,
            hgt,
            quality,
            cells,
            pairs,
            emitLabels ? EncodedLabels.encode(w, hgt, m.relabelled().labels()) : null,
            h.pixelSizeUm(),
            candidates(r.candidates(), m.relabelled().count()));
    return new Result(obs, next, r.normalized(), m.relabelled());
  }
}
