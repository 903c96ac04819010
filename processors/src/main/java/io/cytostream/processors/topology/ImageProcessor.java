package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.pipeline.ImagePipeline;
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
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The image stages (denoise, segment, measure) for the FOVs of one task. The per-FOV intensity
 * normalisation lives in the {@value #STORE} store. One pipeline per segmenter in use is created in
 * {@link #init} (for the learned model: this task's own DJL predictor) and closed in {@link
 * #close}; each FOV goes through the pipeline of its segmenter ({@code SegmenterChoice}). A frame
 * the stages cannot handle is dead-lettered with the reason; the stream goes on.
 */
final class ImageProcessor
    implements Processor<String, Routed<Frame>, String, Routed<FrameObservations>> {
  static final String STORE = "image-normalizer";
  static final String STAGE = "image";

  private final PipelineConfig config;
  private ProcessorContext<String, Routed<FrameObservations>> context;
  private KeyValueStore<String, NormalizerState> store;
  private final Map<String, ImagePipeline> pipelines = new HashMap<>();
  private final List<Segmenter> segmenters = new ArrayList<>();

  ImageProcessor(PipelineConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, Routed<FrameObservations>> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    for (String name : config.segmenters().choice().names()) {
      Segmenter s = config.segmenters().newSegmenter(name, config.segmentation());
      segmenters.add(s);
      pipelines.put(name, new ImagePipeline(config.image(), s));
    }
  }

  @Override
  public void close() {
    segmenters.forEach(Segmenter::close);
    segmenters.clear();
    pipelines.clear();
  }

  @Override
  public void process(Record<String, Routed<Frame>> record) {
    Frame frame = record.value().value();
    if (frame == null) {
      return;
    }
    String fov = record.key();
    config.metrics().frameReceived(fov);
    long t0 = System.nanoTime();
    ImagePipeline pipeline = pipelines.get(config.segmenters().choice().nameFor(fov));
    try {
      NormalizerState state = store.get(fov);
      if (state == null) {
        state = pipeline.initialState();
      }
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
          pipeline.process(
              frame, state, labels, config.defaultIntervalSeconds(), config.emitLabels());
      store.put(fov, r.normalizer());
      config.metrics().stageTime(STAGE, System.nanoTime() - t0);
      config.metrics().cells(fov, r.observations().cells().size());
      config.metrics().latency(STAGE, frame.header().acquisitionTime());
      // where the frame came from travels with it, for the dead letters of later stages
      Headers headers = new RecordHeaders(record.headers().toArray());
      FrameSource.of(context.recordMetadata()).ifPresent(src -> src.writeTo(headers));
      context.forward(record.withValue(Routed.ok(r.observations())).withHeaders(headers));
      config.frameTap().imaged(fov, frame.header().frameIndex(), r.normalized(), r.labels());
    } catch (RuntimeException e) {
      DeadLetter d =
          new DeadLetter(
              fov.getBytes(StandardCharsets.UTF_8),
              // a frame by reference goes back as it came: the reference, not its 16+ MiB plane
              FrameCodec.encode(
                  frame.header().pixelRef() == null
                      ? frame
                      : new Frame(frame.header(), new byte[0])),
              STAGE,
              "frame "
                  + frame.header().frameIndex()
                  + ": "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage(),
              DeadLetterKind.STAGE_ERROR.wireName(),
              Topics.FRAMES_RAW.name(),
              context.recordMetadata().map(m -> m.partition()).orElse(-1),
              context.recordMetadata().map(m -> m.offset()).orElse(-1L));
      context.forward(record.withValue(Routed.dead(d)));
    }
  }
}
