package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.pipeline.DenoiseStage;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A denoise-only topology, for measuring the first image stage against the transport (the load
 * test's {@code --topology denoise}): frames (the {@code frames.raw} wire format) from {@code
 * input} ─▶ decode ─▶ {@link DenoiseStage} (3×3 median, hot-pixel assessment, per-FOV
 * normalisation, its state in the {@value #STORE} store) ─▶ {@code output}, key = FOV, value = the
 * denoised frame in the same wire format (uint16 plane, the input's header with the pixel type
 * uint16), Kafka header {@value #FRAME_INDEX_HEADER} = the frame index (8 bytes, big-endian) so a
 * watcher need not decode the plane. Frames that do not decode or validate are counted as dead
 * letters of stage {@value #STAGE} and dropped (this topology has no dead-letter topic).
 */
public final class DenoiseTopology {
  /** The per-FOV normalisation store. */
  public static final String STORE = "denoise-normalizer";

  /** The stage name in {@code cytostream_stage_duration_seconds}. */
  public static final String STAGE = "denoise";

  /** Kafka header carrying the frame index of each output record. */
  public static final String FRAME_INDEX_HEADER = "cytostream.frame.index";

  private DenoiseTopology() {}

  /** Adds input ─▶ denoise ─▶ output to {@code builder}. */
  public static void build(
      StreamsBuilder builder, PipelineConfig config, String input, String output) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            new JsonSerde<>(NormalizerState.class)));
    builder.stream(
            input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("denoise-source"))
        .process(() -> new DenoiseProcessor(config), Named.as("denoise"), STORE)
        .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("denoise-sink"));
  }

  /** The frame index of a record of the output topic, or -1 without the header. */
  public static long frameIndex(org.apache.kafka.common.header.Headers headers) {
    var h = headers.lastHeader(FRAME_INDEX_HEADER);
    return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
  }

  private static final class DenoiseProcessor implements Processor<byte[], byte[], String, byte[]> {
    private final PipelineConfig config;
    private final DenoiseStage stage;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, NormalizerState> store;

    DenoiseProcessor(PipelineConfig config) {
      this.config = config;
      this.stage = new DenoiseStage(config.image());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      Frame frame;
      try {
        frame = FrameCodec.decode(record.value());
      } catch (RuntimeException e) {
        config.metrics().deadLetter(STAGE, "undecodable");
        return;
      }
      if (frame.validationError().isPresent() || frame.header().pixelRef() != null) {
        config.metrics().deadLetter(STAGE, "invalid");
        return;
      }
      long t0 = System.nanoTime();
      FrameHeader h = frame.header();
      String fov = h.fov();
      NormalizerState state = store.get(fov);
      DenoiseStage.Result r =
          stage.process(
              frame.pixels(),
              h.width(),
              h.height(),
              frame.pixelType().orElseThrow(),
              state == null ? stage.initialState() : state);
      store.put(fov, r.state());
      FrameHeader out =
          new FrameHeader(
              h.schemaVersion(),
              fov,
              h.frameIndex(),
              h.acquisitionTime(),
              h.width(),
              h.height(),
              PixelType.UINT16.wireName(),
              h.pixelSizeUm(),
              h.intervalSeconds(),
              h.channel(),
              null);
      byte[] value = FrameCodec.encode(new Frame(out, r.uint16()));
      config.metrics().stageTime(STAGE, System.nanoTime() - t0);
      Record<String, byte[]> next = record.withKey(fov).withValue(value);
      next.headers()
          .add(FRAME_INDEX_HEADER, ByteBuffer.allocate(8).putLong(h.frameIndex()).array());
      context.forward(next);
    }
  }
}
