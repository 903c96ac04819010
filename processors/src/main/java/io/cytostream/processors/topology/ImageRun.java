package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.pipeline.ImagePipeline;
import io.cytostream.processors.segment.ObjectSizeState;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image stages of one frame as every image processor runs them ({@link ImageProcessor}, {@link
 * ImageRouter}, {@link SettledImageProcessor}): the FOV's pipeline, the image stage's metrics, the
 * provenance headers of the {@code cells.observed} record, the live-view tap, and the dead letter
 * when the stages fail. Holds one pipeline per segmenter in use (for the learned model: this task's
 * own predictor), opened by {@link #open} in the processor's {@code init} and closed by {@link
 * #close}; no other state. Not thread-safe: one per processor.
 */
final class ImageRun {
  private static final Logger LOG = LoggerFactory.getLogger(ImageRun.class);
  private final PipelineConfig config;
  private final Map<String, ImagePipeline> pipelines = new HashMap<>();
  private final List<Segmenter> segmenters = new ArrayList<>();

  /**
   * The outcome of one frame.
   *
   * @param out the record to forward (observations, or a dead letter)
   * @param next the FOV's normalisation state after the frame, or null when the frame failed
   */
  record Outcome(Record<String, Routed<FrameObservations>> out, NormalizerState next) {}

  ImageRun(PipelineConfig config) {
    this.config = config;
  }

  /** Opens the pipelines (again, after closing any from before: a revived task re-inits). */
  void open() {
    close();
    for (String name : config.segmenters().choice().names()) {
      Segmenter s = config.segmenters().newSegmenter(name, config.segmentation());
      segmenters.add(s);
      pipelines.put(name, new ImagePipeline(config.image(), s));
    }
  }

  void close() {
    segmenters.forEach(Segmenter::close);
    segmenters.clear();
    pipelines.clear();
  }

  /** The initial normalisation state of {@code fov}'s pipeline. */
  NormalizerState initialState(String fov) {
    return pipeline(fov).initialState();
  }

  private ImagePipeline pipeline(String fov) {
    return pipelines.get(config.segmenters().choice().nameFor(fov));
  }

  /** One log line per FOV when its object size (the learned segmenter's scale) is held. */
  private static void logHeldSize(String fov, NormalizerState before, NormalizerState after) {
    ObjectSizeState s = after.objectSize();
    if (s != null && s.held() && (before.objectSize() == null || !before.objectSize().held())) {
      LOG.info(
          "FOV {}: object size held at {} px (median of {} of {} calibration frames)",
          fov,
          String.format(Locale.ROOT, "%.1f", s.diameter()),
          s.estimates().length,
          s.frames());
    }
  }

  /**
   * Runs the image stages on one valid frame.
   *
   * @param record the decoded frame, keyed by FOV
   * @param state the FOV's normalisation state before the frame
   * @param source the frame's {@code frames.raw} record (written on the observations' headers and
   *     into a dead letter), or null when unknown
   */
  Outcome run(Record<String, Routed<Frame>> record, NormalizerState state, FrameSource source) {
    Frame frame = record.value().value();
    String fov = record.key();
    config.metrics().frameReceived(fov);
    long t0 = System.nanoTime();
    try {
      int[] labels =
          config.labelSource() == null
              ? null
              : config
                  .labelSource()
                  .labels(
                      fov,
                      frame.header().frameIndex(),
                      frame.header().width(),
                      frame.header().height());
      ImagePipeline.Result r =
          pipeline(fov)
              .process(frame, state, labels, config.defaultIntervalSeconds(), config.emitLabels());
      config.metrics().stageTime(ImageProcessor.STAGE, System.nanoTime() - t0);
      config.metrics().cells(fov, r.observations().cells().size());
      config.metrics().latency(ImageProcessor.STAGE, frame.header().acquisitionTime());
      // where the frame came from travels with it, for the dead letters of later stages
      Headers headers = new RecordHeaders(record.headers().toArray());
      if (source != null) {
        source.writeTo(headers);
      }
      config.frameTap().imaged(fov, frame.header().frameIndex(), r.normalized(), r.labels());
      logHeldSize(fov, state, r.normalizer());
      return new Outcome(
          record.withValue(Routed.ok(r.observations())).withHeaders(headers), r.normalizer());
    } catch (RuntimeException e) {
      DeadLetter d =
          new DeadLetter(
              fov.getBytes(StandardCharsets.UTF_8),
              // a frame by reference goes back as it came: the reference, not its 16+ MiB plane
              FrameCodec.encode(
                  frame.header().pixelRef() == null
                      ? frame
                      : new Frame(frame.header(), new byte[0])),
              ImageProcessor.STAGE,
              "frame "
                  + frame.header().frameIndex()
                  + ": "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage(),
              DeadLetterKind.STAGE_ERROR.wireName(),
              Topics.FRAMES_RAW.name(),
              source == null ? -1 : source.partition(),
              source == null ? -1L : source.offset());
      return new Outcome(record.withValue(Routed.<FrameObservations>dead(d)), null);
    }
  }
}
