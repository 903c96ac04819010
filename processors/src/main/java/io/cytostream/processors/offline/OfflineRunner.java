package io.cytostream.processors.offline;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.processors.topology.CytostreamTopology;
import io.cytostream.processors.topology.LabelSource;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs the service's topology over a recorded sequence, in this process, without a broker: Kafka
 * Streams' {@code TopologyTestDriver} executes the very topology the service runs, synchronously
 * and deterministically. Frames go in one by one; every output is drained and written as soon as it
 * appears, so memory does not grow with the length of the movie.
 *
 * <p>Why the test driver, and so {@code kafka-streams-test-utils} in main scope: it is the Kafka
 * project's supported runner of a {@code Topology} in one process, published beside {@code
 * kafka-streams} at the same version. It runs the real runtime: a record piped in passes through
 * every sub-topology before {@code pipeInput} returns, including the hops through {@code
 * cells.observed} and {@code tracks} that the topology writes and reads back; the state stores, the
 * processing-exception handler and the dead-letter routing are Kafka Streams' own; wall-clock
 * punctuation (the tracker's reorder timeout) moves only when told. A driver of our own would
 * re-implement those parts of Kafka Streams (processor contexts, routing between sub-topologies,
 * stores, punctuators, exception handling) and could drift from what the service runs, while {@code
 * process} must give the service's results. The embedded broker would also run the same topology,
 * but asynchronously: outputs would have to be awaited rather than drained after each frame.
 */
public final class OfflineRunner {

  /**
   * What to process.
   *
   * @param input folder of single-plane TIFFs or a multi-page TIFF
   * @param output result folder (created)
   * @param fov FOV id given to the frames
   * @param labels folder of label TIFFs to use instead of segmentation, or null
   * @param intervalSeconds frame interval (the files carry no acquisition times)
   * @param config pipeline settings (segmenter etc.); labels and interval are set from the above
   * @param pixelSizeUm pixel size in µm put in every frame header (null: none; the model's u and l
   *     then stay in px)
   */
  public record Options(
      Path input,
      Path output,
      String fov,
      Path labels,
      double intervalSeconds,
      PipelineConfig config,
      Double pixelSizeUm) {

    /** Options without a pixel size. */
    public Options(
        Path input,
        Path output,
        String fov,
        Path labels,
        double intervalSeconds,
        PipelineConfig config) {
      this(input, output, fov, labels, intervalSeconds, config, null);
    }
  }

  /**
   * What happened.
   *
   * @param frames frames read
   * @param tracked frames that came out of the tracker
   * @param tracks CTC tracks written
   * @param events anomaly events raised
   * @param deadLetters records the pipeline refused, with their reasons
   */
  public record Summary(
      int frames, int tracked, int tracks, int events, List<String> deadLetters) {}

  private OfflineRunner() {}

  public static Summary run(Options o) throws IOException {
    return run(o, f -> {});
  }

  /**
   * Runs, and hands every tracked frame (as written to {@code tracks}, in order) to {@code tap} as
   * well.
   */
  public static Summary run(Options o, Consumer<TrackedFrame> tap) throws IOException {
    if (!Files.exists(o.input())) {
      throw new IOException("input " + o.input() + " does not exist");
    }
    if (!(o.intervalSeconds() > 0)) {
      throw new IllegalArgumentException("--interval must be > 0 s");
    }
    Path stateDir = Files.createTempDirectory("cytostream-process-");
    try (TiffSequenceReader reader = TiffSequenceReader.open(o.input());
        LabelFiles labels = o.labels() == null ? null : new LabelFiles(o.labels())) {
      PipelineConfig config =
          o.config().toBuilder()
              // a recorded sequence is finite: keep every cell, so that consensus.json lists the
              // γ of every track
              .consensus(o.config().consensus().withRetireAfterFrames(0))
              .emitLabels(true)
              .labelSource(labels)
              .defaultIntervalSeconds(o.intervalSeconds())
              .build();
      StreamsBuilder builder = new StreamsBuilder();
      CytostreamTopology.build(builder, config);
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cytostream-process");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
      props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
      int digits = digitsOf(reader);
      int frames = 0;
      int tracked = 0;
      List<String> dead = new ArrayList<>();
      List<Long> frameNumbers = new ArrayList<>();
      int width = 0;
      int height = 0;
      try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props);
          ResultWriter writer = new ResultWriter(o.output(), digits)) {
        Outputs outs = new Outputs(driver, tap);
        TestInputTopic<byte[], byte[]> in =
            driver.createInputTopic(
                Topics.FRAMES_RAW.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        byte[] key = o.fov().getBytes(StandardCharsets.UTF_8);
        for (TiffSequenceReader.Frame f : reader) {
          RawPlane p = f.plane();
          width = p.width();
          height = p.height();
          FrameHeader h =
              FrameHeader.inline(
                  o.fov(),
                  f.frameNumber(),
                  null,
                  p.width(),
                  p.height(),
                  p.type(),
                  o.pixelSizeUm(),
                  o.intervalSeconds(),
                  null);
          in.pipeInput(key, FrameCodec.encode(new Frame(h, p.pixels())));
          frameNumbers.add((long) f.frameNumber());
          frames++;
          tracked += outs.drain(writer, dead);
        }
        driver.advanceWallClockTime(config.reorderTimeout().plusSeconds(1));
        tracked += outs.drain(writer, dead);
        writer.finish(frameNumbers, width, height, o.intervalSeconds());
        return new Summary(frames, tracked, writer.tracks(), writer.events(), dead);
      }
    } finally {
      deleteTree(stateDir);
    }
  }

  /** CTC mask numbering: as many digits as the input's frame files, at least 3. */
  private static int digitsOf(TiffSequenceReader reader) {
    int most = 3;
    List<Integer> numbers = reader.frameNumbers();
    if (!numbers.isEmpty()) {
      int last = numbers.get(numbers.size() - 1);
      most = Math.max(most, Integer.toString(last).length());
    }
    Path src = reader.source();
    if (Files.isDirectory(src)) {
      try (Stream<Path> s = Files.list(src)) {
        most =
            Math.max(
                most,
                s.map(x -> x.getFileName().toString().replaceAll("\\D", "").length())
                    .max(Comparator.naturalOrder())
                    .orElse(3));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return most;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  /** The output topics, read as they fill. */
  private static final class Outputs {
    final TestOutputTopic<String, TrackedFrame> tracks;
    final TestOutputTopic<String, CellState> states;
    final TestOutputTopic<String, ConsensusEstimate> consensus;
    final TestOutputTopic<String, String> events;
    final TestOutputTopic<String, String> lifecycle;
    final TestOutputTopic<byte[], byte[]> dlq;
    final Consumer<TrackedFrame> tap;

    Outputs(TopologyTestDriver d, Consumer<TrackedFrame> tap) {
      this.tap = tap;
      tracks =
          d.createOutputTopic(
              Topics.TRACKS.name(),
              Serdes.String().deserializer(),
              Topics.TRACKS.valueSerde().deserializer());
      states =
          d.createOutputTopic(
              Topics.CELLS_STATE.name(),
              Serdes.String().deserializer(),
              Topics.CELLS_STATE.valueSerde().deserializer());
      consensus =
          d.createOutputTopic(
              Topics.CONSENSUS.name(),
              Serdes.String().deserializer(),
              Topics.CONSENSUS.valueSerde().deserializer());
      events =
          d.createOutputTopic(
              Topics.EVENTS_ANOMALY.name(),
              Serdes.String().deserializer(),
              Serdes.String().deserializer());
      lifecycle =
          d.createOutputTopic(
              Topics.CELLS_LIFECYCLE.name(),
              Serdes.String().deserializer(),
              Serdes.String().deserializer());
      dlq =
          d.createOutputTopic(
              Topics.FRAMES_DLQ.name(),
              Serdes.ByteArray().deserializer(),
              Serdes.ByteArray().deserializer());
    }

    int drain(ResultWriter w, List<String> dead) throws IOException {
      int n = 0;
      for (TrackedFrame f : tracks.readValuesToList()) {
        w.accept(f);
        tap.accept(f);
        n++;
      }
      for (CellState s : states.readValuesToList()) {
        w.state(s);
      }
      for (ConsensusEstimate c : consensus.readValuesToList()) {
        w.consensus(c);
      }
      for (String e : events.readValuesToList()) {
        w.event(e);
      }
      for (String e : lifecycle.readValuesToList()) {
        w.lifecycle(e);
      }
      for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
        Header reason = r.headers().lastHeader(Topics.DLQ_REASON);
        Header stage = r.headers().lastHeader(Topics.DLQ_STAGE);
        dead.add(
            (stage == null ? "?" : new String(stage.value(), StandardCharsets.UTF_8))
                + ": "
                + (reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8)));
      }
      return n;
    }
  }

  /** Label images from a folder, by frame number. */
  private static final class LabelFiles implements LabelSource, AutoCloseable {
    private final TiffSequenceReader reader;
    private final Map<Long, Integer> position = new HashMap<>();

    LabelFiles(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        throw new IOException("--labels " + dir + " is not a directory");
      }
      reader = TiffSequenceReader.open(dir);
      List<Integer> numbers = reader.frameNumbers();
      for (int i = 0; i < numbers.size(); i++) {
        position.put((long) numbers.get(i), i);
      }
    }

    @Override
    public int[] labels(String fov, long frameIndex, int width, int height) {
      Integer pos = position.get(frameIndex);
      if (pos == null) {
        throw new IllegalArgumentException("no label image for frame " + frameIndex);
      }
      RawPlane p;
      try {
        p = reader.read(pos).plane();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (p.width() != width || p.height() != height) {
        throw new IllegalArgumentException(
            "label image of frame "
                + frameIndex
                + " is "
                + p.width()
                + "x"
                + p.height()
                + ", the frame "
                + width
                + "x"
                + height);
      }
      int[] out = new int[width * height];
      switch (p.type()) {
        case UINT16 -> {
          short[] s = p.toShortArray();
          for (int i = 0; i < out.length; i++) {
            out[i] = s[i] & 0xffff;
          }
        }
        case UINT8 -> {
          byte[] b = p.pixels();
          for (int i = 0; i < out.length; i++) {
            out[i] = b[i] & 0xff;
          }
        }
        default -> throw new IllegalArgumentException("label images must be uint8 or uint16");
      }
      return out;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
