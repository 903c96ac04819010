package io.cytostream.processors.topology;

import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.FrameRejectedException;
import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The second half of the frame-parallel image stage: the image stages of one frame of a settled
 * FOV, with the calibration that came with it ({@link SettledFrame}), on whichever task holds the
 * frame's partition of the repartition topic. Stateless (no store, nothing kept between frames), so
 * one FOV's frames run on every task and thread at once; the track stage restores their order. The
 * {@code cells.observed} record and any dead letter carry the frame's {@code frames.raw}
 * coordinates, from the headers {@link ImageRouter} wrote. A frame by reference is read from its
 * file again here (and dead-lettered if that now fails).
 */
final class SettledImageProcessor
    implements Processor<String, SettledFrame, String, Routed<FrameObservations>> {
  private final PipelineConfig config;
  private final ImageRun run;
  private ProcessorContext<String, Routed<FrameObservations>> context;
  private int partition = -1;

  SettledImageProcessor(PipelineConfig config) {
    this.config = config;
    this.run = new ImageRun(config);
  }

  @Override
  public void init(ProcessorContext<String, Routed<FrameObservations>> context) {
    this.context = context;
    run.open();
    partition = context.taskId().partition();
    ImageTaskThreads.register(partition); // where this partition's frames are processed
  }

  @Override
  public void close() {
    run.close();
    if (partition >= 0) {
      ImageTaskThreads.unregister(partition);
    }
  }

  @Override
  public void process(Record<String, SettledFrame> record) {
    SettledFrame v = record.value();
    if (v == null || record.key() == null) {
      return;
    }
    FrameSource source = FrameSource.from(record.headers()).orElse(null);
    Frame frame = v.frame();
    if (frame.header().pixelRef() != null) {
      Optional<FrameRejectedException> invalid;
      try {
        frame = ClaimCheck.load(frame, config.pixelRefRoot(), config.maxPixelRefBytes());
        invalid = frame.rejection();
      } catch (FrameRejectedException e) {
        invalid = Optional.of(e);
      }
      if (invalid.isPresent()) {
        DeadLetter d =
            new DeadLetter(
                record.key().getBytes(StandardCharsets.UTF_8),
                FrameCodec.encode(new Frame(frame.header(), new byte[0])),
                ImageProcessor.STAGE,
                invalid.get().getMessage(),
                invalid.get().kind().wireName(),
                Topics.FRAMES_RAW.name(),
                source == null ? -1 : source.partition(),
                source == null ? -1L : source.offset());
        context.forward(record.withValue(Routed.<FrameObservations>dead(d)));
        return;
      }
    }
    ImageRun.Outcome o = run.run(record.withValue(Routed.ok(frame)), v.calibration(), source);
    context.forward(o.out());
  }
}
