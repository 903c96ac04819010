package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameObservations;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The first half of the frame-parallel image stage ({@code cytostream.image.parallel=true}), on the
 * task of the FOV's {@code frames.raw} partition, with the FOV's normalisation in the {@value
 * ImageProcessor#STORE} store as in the sequential topology.
 *
 * <ul>
 *   <li>While the FOV's calibration window is open (its state is not frozen), a frame is processed
 *       here, in arrival order, exactly as {@link ImageProcessor} does, and its state is folded in:
 *       the calibration frames of a FOV are sequential.
 *   <li>Once the state is frozen and no longer moves ({@code ema = 0}, the default), the image
 *       stages of a frame depend only on the frame and that fixed state: the frame is handed on
 *       with it ({@link SettledFrame}) to the repartition topic, spread over all its partitions,
 *       where {@link SettledImageProcessor} processes it on whichever task holds the partition. Its
 *       {@code frames.raw} coordinates travel as {@link FrameSource} headers.
 *   <li>With {@code ema > 0} the state moves with every frame, so every frame stays here.
 * </ul>
 *
 * The state the frames are processed with is therefore the one the sequential topology would have
 * used for the same arrival order, and so are the outputs. Every frame handed on, either way,
 * carries the index of the FOV's frame handled before it ({@link InFlightFrames}, from the {@value
 * #LAST_STORE} store), so that the track stage waits for a frame still in the parallel stage
 * instead of declaring it missing. No state besides the stores; {@link #init} reopens the
 * pipelines.
 */
final class ImageRouter implements Processor<String, Routed<Frame>, String, ImageRouter.Routing> {

  /**
   * What the router hands on: exactly one of the two is non-null.
   *
   * @param observed a calibration frame's outcome (observations or a dead letter)
   * @param settled a frame for the parallel stage, with its FOV's settled calibration
   */
  record Routing(Routed<FrameObservations> observed, SettledFrame settled) {}

  /**
   * Per FOV, the index of the last frame routed ({@link InFlightFrames}): each frame is stamped
   * with its predecessor's, so that the track stage knows which missing frames are on their way.
   */
  static final String LAST_STORE = "image-router-last";

  private final PipelineConfig config;
  private final ImageRun run;
  private ProcessorContext<String, Routing> context;
  private KeyValueStore<String, NormalizerState> store;
  private KeyValueStore<String, Long> last;

  ImageRouter(PipelineConfig config) {
    this.config = config;
    this.run = new ImageRun(config);
  }

  @Override
  public void init(ProcessorContext<String, Routing> context) {
    this.context = context;
    this.store = context.getStateStore(ImageProcessor.STORE);
    this.last = context.getStateStore(LAST_STORE);
    run.open();
  }

  @Override
  public void close() {
    run.close();
  }

  @Override
  public void process(Record<String, Routed<Frame>> record) {
    Frame frame = record.value().value();
    if (frame == null) {
      return;
    }
    String fov = record.key();
    NormalizerState state = store.get(fov);
    FrameSource source = FrameSource.of(context.recordMetadata()).orElse(null);
    Headers headers = new RecordHeaders(record.headers().toArray());
    Long previous = last.get(fov);
    if (previous != null) {
      InFlightFrames.writeRoutedAfter(headers, previous);
    } else {
      headers.remove(InFlightFrames.HEADER);
    }
    last.put(fov, frame.header().frameIndex());
    if (state != null && state.frozen() && config.image().normalizer().ema() == 0) {
      if (source != null) {
        source.writeTo(headers);
      }
      context.forward(
          record.withValue(new Routing(null, new SettledFrame(frame, state))).withHeaders(headers));
      return;
    }
    ImageRun.Outcome o =
        run.run(record.withHeaders(headers), state == null ? run.initialState(fov) : state, source);
    if (o.next() != null) {
      store.put(fov, o.next());
    }
    context.forward(o.out().withValue(new Routing(o.out().value(), null)));
  }
}
