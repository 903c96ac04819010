package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The wire rules of issue 11 that concern order, repeats, provenance and counting, through the
 * whole topology: frame 0 arriving just after frame 1 is not lost (start-up window), a repeated
 * frame is a {@code duplicate_frame} (not out of order, no anomaly event), a later stage's dead
 * letter names the original {@code frames.raw} record, and {@code cytostream.frames.processed}
 * counts only frames that passed.
 */
class WireRulesTopologyTest {
  private static final byte[] KEY = "w/1".getBytes(StandardCharsets.UTF_8);

  static byte[] frame(long index) {
    FrameHeader h = new FrameHeader(1, "w/1", index, null, 2, 2, "uint8", null, null, null, null);
    return FrameCodec.encode(new Frame(h, new byte[4]));
  }

  private static TestOutputTopic<String, TrackedFrame> tracks(TopologyTestDriver d) {
    return d.createOutputTopic(
        Topics.TRACKS.name(),
        Serdes.String().deserializer(),
        Topics.TRACKS.valueSerde().deserializer());
  }

  private static TestOutputTopic<String, AnomalyEvent> events(TopologyTestDriver d) {
    return d.createOutputTopic(
        Topics.EVENTS_ANOMALY.name(),
        Serdes.String().deserializer(),
        Topics.EVENTS_ANOMALY.valueSerde().deserializer());
  }

  @Test
  void frameZeroJustAfterFrameOneIsNotLost() {
    try (TopologyTestDriver driver = DeadLetterTopologyTest.driver(new SimpleMeterRegistry())) {
      TestInputTopic<byte[], byte[]> in = DeadLetterTopologyTest.rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = DeadLetterTopologyTest.dlqOutput(driver);
      TestOutputTopic<String, TrackedFrame> out = tracks(driver);
      for (long f : new long[] {1, 0, 2, 3}) {
        in.pipeInput(KEY, frame(f));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(31)); // past the reorder timeout: flush
      assertThat(dlq.readRecordsToList()).isEmpty();
      assertThat(out.readValuesToList())
          .extracting(TrackedFrame::frameIndex)
          .containsExactly(0L, 1L, 2L, 3L);
    }
  }

  @Test
  void theFirstFramesWaitOnlyForTheStartUpWindow() {
    try (TopologyTestDriver driver = DeadLetterTopologyTest.driver(new SimpleMeterRegistry())) {
      TestInputTopic<byte[], byte[]> in = DeadLetterTopologyTest.rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = DeadLetterTopologyTest.dlqOutput(driver);
      TestOutputTopic<String, TrackedFrame> out = tracks(driver);
      in.pipeInput(KEY, frame(5));
      in.pipeInput(KEY, frame(4));
      driver.advanceWallClockTime(PipelineConfig.DEFAULT_STARTUP_WINDOW.plusMillis(500));
      in.pipeInput(KEY, frame(3)); // after the window, and frame 4 was released: late
      in.pipeInput(KEY, frame(6));
      driver.advanceWallClockTime(Duration.ofSeconds(31));
      assertThat(out.readValuesToList())
          .extracting(TrackedFrame::frameIndex)
          .containsExactly(4L, 5L, 6L);
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(DeadLetterTopologyTest.header(dead.get(0).headers(), Topics.DLQ_KIND))
          .isEqualTo("out_of_order");
    }
  }

  @Test
  void aRepeatedFrameIsADuplicateNamingItsOriginalRecordAndIsNotCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TopologyTestDriver driver = DeadLetterTopologyTest.driver(registry)) {
      TestInputTopic<byte[], byte[]> in = DeadLetterTopologyTest.rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = DeadLetterTopologyTest.dlqOutput(driver);
      TestOutputTopic<String, AnomalyEvent> ev = events(driver);
      TestOutputTopic<String, TrackedFrame> out = tracks(driver);
      for (long f : new long[] {0, 1, 1, 2}) { // frames.raw offsets 0..3; the repeat is offset 2
        in.pipeInput(KEY, frame(f));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(31));
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).hasSize(1);
      Headers h = dead.get(0).headers();
      assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_KIND)).isEqualTo("duplicate_frame");
      assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_STAGE)).isEqualTo("track");
      assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_TOPIC)).isEqualTo("frames.raw");
      assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_OFFSET)).isEqualTo("2");
      assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_PARTITION)).isEqualTo("0");
      assertThat(DeadLetterTopologyTest.reason(h)).contains("frame 1 arrived twice");
      assertThat(ev.readValuesToList())
          .extracting(e -> e.data().kind())
          .doesNotContain("out_of_order_frame");
      // the tracks records name their frames.raw records too
      List<TestRecord<String, TrackedFrame>> tracked = out.readRecordsToList();
      assertThat(tracked).extracting(r -> r.value().frameIndex()).containsExactly(0L, 1L, 2L);
      assertThat(tracked)
          .extracting(r -> FrameSource.from(r.headers()).orElseThrow().offset())
          .containsExactly(0L, 1L, 3L);
      assertThat(registry.find("cytostream.frames.processed").counter().count())
          .as("the duplicate passed the image stages but not the tracker")
          .isEqualTo(3.0);
      assertThat(registry.find("cytostream.frames.tracked").counter().count()).isEqualTo(3.0);
      assertThat(
              registry
                  .find("cytostream.dead.letters")
                  .tag("kind", "duplicate_frame")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void badFramesAreNotCountedAsProcessed() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TopologyTestDriver driver = DeadLetterTopologyTest.driver(registry)) {
      TestInputTopic<byte[], byte[]> in = DeadLetterTopologyTest.rawInput(driver);
      in.pipeInput(KEY, frame(0));
      in.pipeInput(KEY, "garbage".getBytes(StandardCharsets.UTF_8));
      in.pipeInput(KEY, frame(1));
      in.pipeInput(KEY, frame(0));
      assertThat(registry.find("cytostream.frames.processed").counter().count()).isEqualTo(2.0);
    }
  }

  /** A processor error on a tracks record names the frames.raw record of its frame. */
  @Test
  void aProcessingErrorOfALaterStageNamesTheOriginalFrame() {
    Headers headers = new FrameSource("frames.raw", 3, 41).writeTo(new RecordHeaders());
    ErrorHandlerContext ctx = context("tracks", 3, 17, headers);
    DlqExceptionHandler handler = new DlqExceptionHandler();
    handler.configure(Map.of());
    ProcessingExceptionHandler.Response r =
        handler.handleError(
            ctx, new Record<>("w/1", "x", 0L, headers), new IllegalStateException("boom"));
    List<ProducerRecord<byte[], byte[]>> out = r.deadLetterQueueRecords();
    assertThat(out).hasSize(1);
    Headers h = out.get(0).headers();
    assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_TOPIC)).isEqualTo("frames.raw");
    assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_PARTITION)).isEqualTo("3");
    assertThat(DeadLetterTopologyTest.header(h, Topics.DLQ_OFFSET)).isEqualTo("41");
    assertThat(out.get(0).value()).isEqualTo("raw".getBytes(StandardCharsets.UTF_8));
    // without provenance headers: the record's own coordinates
    ProcessingExceptionHandler.Response plain =
        handler.handleError(
            context("tracks", 1, 9, new RecordHeaders()),
            new Record<>("w/1", "x", 0L),
            new IllegalStateException("boom"));
    Headers p = plain.deadLetterQueueRecords().get(0).headers();
    assertThat(DeadLetterTopologyTest.header(p, Topics.DLQ_TOPIC)).isEqualTo("tracks");
    assertThat(DeadLetterTopologyTest.header(p, Topics.DLQ_OFFSET)).isEqualTo("9");
  }

  private static ErrorHandlerContext context(String topic, int partition, long offset, Headers h) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public int partition() {
        return partition;
      }

      @Override
      public long offset() {
        return offset;
      }

      @Override
      public Headers headers() {
        return h;
      }

      @Override
      public String processorNodeId() {
        return "consensus";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(2, partition);
      }

      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return KEY;
      }

      @Override
      public byte[] sourceRawValue() {
        return "raw".getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
