package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Bad frames reach the dead-letter topic with their original bytes and a reason; none is lost. */
class DeadLetterTopologyTest {

  static byte[] frameBytes(String fov, int w, int h, String type, int byteCount) {
    FrameHeader header = new FrameHeader(1, fov, 0, null, w, h, type, null, null, null, null);
    return FrameCodec.encode(new Frame(header, new byte[byteCount]));
  }

  @Test
  void badInputGoesToTheDlqWithReasonAndIsCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TopologyTestDriver driver = driver(registry)) {
      TestInputTopic<byte[], byte[]> in = rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = dlqOutput(driver);
      byte[] fov = "fov-1".getBytes(StandardCharsets.UTF_8);
      byte[] garbage = "not a frame".getBytes(StandardCharsets.UTF_8);
      byte[] shortFrame = frameBytes("fov-1", 4, 4, "uint16", 31);
      byte[] unknownType = frameBytes("fov-1", 4, 4, "int4", 16);
      byte[] wrongKey = frameBytes("fov-2", 2, 2, "uint8", 4);
      in.pipeInput(fov, garbage);
      in.pipeInput(fov, shortFrame);
      in.pipeInput(fov, unknownType);
      in.pipeInput(fov, wrongKey);
      in.pipeInput(null, frameBytes("fov-1", 2, 2, "uint8", 4));
      byte[] nan = floatFrame("fov-1", Float.NaN);
      in.pipeInput(fov, nan);

      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).hasSize(6);
      assertThat(reason(dead.get(5).headers())).contains("non-finite value NaN at pixel (1,0)");
      assertThat(dead.get(0).value()).isEqualTo(garbage);
      assertThat(dead.get(1).value()).isEqualTo(shortFrame);
      assertThat(dead.get(1).key()).isEqualTo(fov);
      assertThat(reason(dead.get(0).headers())).contains("bad magic");
      assertThat(reason(dead.get(1).headers()))
          .contains("pixel byte count 31 does not match 4x4 uint16");
      assertThat(reason(dead.get(2).headers())).contains("unknown pixelType 'int4'");
      assertThat(reason(dead.get(3).headers())).contains("does not match the header's fov 'fov-2'");
      assertThat(reason(dead.get(4).headers())).contains("missing key");
      assertThat(header(dead.get(1).headers(), Topics.DLQ_TOPIC)).isEqualTo("frames.raw");
      assertThat(header(dead.get(1).headers(), Topics.DLQ_OFFSET)).isEqualTo("1");
      assertThat(header(dead.get(1).headers(), Topics.DLQ_STAGE)).isEqualTo("decode");
      double counted =
          registry.find("cytostream.dead.letters").counters().stream()
              .mapToDouble(c -> c.count())
              .sum();
      assertThat(counted).isEqualTo(6.0);
      assertThat(
              registry
                  .find("cytostream.dead.letters")
                  .tag("kind", "wrong_byte_count")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  /**
   * The wire rules of schemas/README.md, through the topology: each header that used to be coerced
   * or defaulted (no schemaVersion, version 2, width "64", frameIndex 1.5, UINT16, no frameIndex)
   * is dead-lettered with its stable kind, and the good frames between them are all processed.
   */
  @Test
  void headerRulesAreEnforcedWithStableKinds() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String[][] cases = {
      {
        "{\"fov\":\"f\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}",
        "missing_field"
      },
      {
        "{\"schemaVersion\":2,\"fov\":\"f\",\"frameIndex\":1,\"width\":2,\"height\":2,"
            + "\"pixelType\":\"uint8\"}",
        "unsupported_schema_version"
      },
      {
        "{\"schemaVersion\":1,\"fov\":\"f\",\"frameIndex\":1,\"width\":\"2\",\"height\":2,"
            + "\"pixelType\":\"uint8\"}",
        "wrong_type"
      },
      {
        "{\"schemaVersion\":1,\"fov\":\"f\",\"frameIndex\":1.5,\"width\":2,\"height\":2,"
            + "\"pixelType\":\"uint8\"}",
        "wrong_type"
      },
      {
        "{\"schemaVersion\":1,\"fov\":\"f\",\"frameIndex\":1,\"width\":2,\"height\":2,"
            + "\"pixelType\":\"UINT8\"}",
        "unknown_pixel_type"
      },
      {
        "{\"schemaVersion\":1,\"fov\":\"f\",\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}",
        "missing_field"
      },
    };
    try (TopologyTestDriver driver = driver(registry)) {
      TestInputTopic<byte[], byte[]> in = rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = dlqOutput(driver);
      byte[] key = "f".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < cases.length; i++) {
        in.pipeInput(key, rawEnvelope(cases[i][0], 4));
        FrameHeader good = new FrameHeader(1, "f", i, null, 2, 2, "uint8", null, null, null, null);
        in.pipeInput(key, FrameCodec.encode(new Frame(good, new byte[4])));
      }
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).hasSize(cases.length);
      for (int i = 0; i < cases.length; i++) {
        assertThat(header(dead.get(i).headers(), Topics.DLQ_KIND))
            .as(cases[i][0])
            .isEqualTo(cases[i][1]);
        assertThat(header(dead.get(i).headers(), Topics.DLQ_OFFSET))
            .isEqualTo(String.valueOf(2 * i));
      }
      assertThat(registry.find("cytostream.frames.processed").counter().count())
          .isEqualTo(cases.length);
    }
  }

  static byte[] rawEnvelope(String headerJson, int pixelBytes) {
    byte[] hb = headerJson.getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(9 + hb.length + pixelBytes)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'C', 'S', 'F', 'R'}).put((byte) 1).putInt(hb.length).put(hb);
    return b.array();
  }

  /** The whole topology on the test driver, its metrics into {@code registry}. */
  static TopologyTestDriver driver(SimpleMeterRegistry registry) {
    PipelineConfig config = PipelineConfig.defaults().withMetrics(new PipelineMetrics(registry));
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    return new TopologyTestDriver(builder.build(), props);
  }

  static TestInputTopic<byte[], byte[]> rawInput(TopologyTestDriver driver) {
    return driver.createInputTopic(
        Topics.FRAMES_RAW.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
  }

  static TestOutputTopic<byte[], byte[]> dlqOutput(TopologyTestDriver driver) {
    return driver.createOutputTopic(
        Topics.FRAMES_DLQ.name(),
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
  }

  /** A 2×2 float32 frame whose pixel (1,0) is {@code bad}. */
  static byte[] floatFrame(String fov, float bad) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putFloat(1f).putFloat(bad).putFloat(2f).putFloat(3f);
    FrameHeader header = new FrameHeader(1, fov, 0, null, 2, 2, "float32", null, null, null, null);
    return FrameCodec.encode(new Frame(header, b.array()));
  }

  static String reason(Headers h) {
    return header(h, Topics.DLQ_REASON);
  }

  static String header(Headers h, String name) {
    return new String(h.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
