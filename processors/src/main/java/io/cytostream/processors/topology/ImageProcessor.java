package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameObservations;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The image stages (denoise, segment, measure) for the FOVs of one task, every frame on this task
 * (the sequential topology, {@code cytostream.image.parallel=false}; the parallel one uses {@link
 * ImageRouter} and {@link SettledImageProcessor}). The per-FOV intensity normalisation lives in the
 * {@value #STORE} store. One pipeline per segmenter in use is created in {@link #init} (for the
 * learned model: this task's own DJL predictor) and closed in {@link #close}; each FOV goes through
 * the pipeline of its segmenter ({@code SegmenterChoice}). A frame the stages cannot handle is
 * dead-lettered with the reason; the stream goes on.
 */
final class ImageProcessor
    implements Processor<String, Routed<Frame>, String, Routed<FrameObservations>> {
  static final String STORE = "image-normalizer";
  static final String STAGE = "image";

  private final ImageRun run;
  private ProcessorContext<String, Routed<FrameObservations>> context;
  private KeyValueStore<String, NormalizerState> store;

  ImageProcessor(PipelineConfig config) {
    this.run = new ImageRun(config);
  }

  @Override
  public void init(ProcessorContext<String, Routed<FrameObservations>> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    run.open();
  }

  @Override
  public void close() {
    run.close();
  }

  @Override
  public void process(Record<String, Routed<Frame>> record) {
    if (record.value().value() == null) {
      return;
    }
    String fov = record.key();
    NormalizerState state = store.get(fov);
    ImageRun.Outcome o =
        run.run(
            record,
            state == null ? run.initialState(fov) : state,
            FrameSource.of(context.recordMetadata()).orElse(null));
    if (o.next() != null) {
      store.put(fov, o.next());
    }
    context.forward(o.out());
  }
}
