package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.pipeline.DenoiseStage;
import io.cytostream.processors.pipeline.ImagePipeline;
import io.cytostream.processors.pipeline.ImageStage;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.PixelType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The denoise-only topology: the pipeline's own denoise, frame by frame, and bad input dropped. */
class DenoiseTopologyTest {
  static final int W = 32;
  static final int H = 24;

  static byte[] plane(long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[W * H * 2];
    for (int i = 0; i < W * H; i++) {
      int v = 1000 + (int) (r.nextGaussian() * 50) + ((i % W) > W / 2 ? 800 : 0);
      b[2 * i] = (byte) v;
      b[2 * i + 1] = (byte) (v >>> 8);
    }
    int hot = (H / 2) * W + W / 4; // one hot pixel at full scale
    b[2 * hot] = (byte) 0xFF;
    b[2 * hot + 1] = (byte) 0xFF;
    return b;
  }

  static Frame frame(long index) {
    return new Frame(
        FrameHeader.inline(
            "fov-a",
            index,
            Instant.ofEpochSecond(1000 + index),
            W,
            H,
            PixelType.UINT16,
            0.5,
            2.0,
            null),
        plane(index));
  }

  @Test
  void publishesThePipelinesDenoisedPlaneWithTheFrameIndexHeader() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PipelineConfig config = PipelineConfig.defaults().withMetrics(new PipelineMetrics(registry));
    StreamsBuilder builder = new StreamsBuilder();
    DenoiseTopology.build(builder, config, "in", "out");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "denoise-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              "in", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, byte[]> out =
          driver.createOutputTopic(
              "out", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
      byte[] key = "fov-a".getBytes(StandardCharsets.UTF_8);
      for (long i = 0; i < 3; i++) {
        in.pipeInput(key, FrameCodec.encode(frame(i)));
      }
      in.pipeInput(key, new byte[] {1, 2, 3}); // not a frame
      List<TestRecord<String, byte[]>> got = out.readRecordsToList();
      assertThat(got).hasSize(3);

      // the same denoise as the whole pipeline's image stage, state carried frame to frame
      ImageStage whole = ImageStage.defaults();
      DenoiseStage alone = new DenoiseStage(ImagePipeline.Settings.defaults());
      NormalizerState s = whole.normalizer().initial();
      for (int i = 0; i < 3; i++) {
        TestRecord<String, byte[]> r = got.get(i);
        assertThat(r.key()).isEqualTo("fov-a");
        assertThat(DenoiseTopology.frameIndex(r.headers())).isEqualTo(i);
        Frame f = FrameCodec.decode(r.value());
        assertThat(f.header().frameIndex()).isEqualTo(i);
        assertThat(f.header().acquisitionTime()).isEqualTo(Instant.ofEpochSecond(1000 + i));
        assertThat(f.pixelType()).contains(PixelType.UINT16);
        assertThat(f.pixels()).hasSize(W * H * 2);
        ImageStage.Result ref = whole.process(plane(i), W, H, PixelType.UINT16, s);
        DenoiseStage.Result mine = alone.process(plane(i), W, H, PixelType.UINT16, s);
        assertThat(mine.state()).isEqualTo(ref.state());
        assertThat(mine.quality()).isEqualTo(ref.quality());
        float[] n = ref.normalized().data();
        byte[] p = f.pixels();
        for (int k = 0; k < n.length; k++) {
          int u = (p[2 * k] & 0xFF) | ((p[2 * k + 1] & 0xFF) << 8);
          assertThat(u / 65535.0).isCloseTo(Math.max(0, Math.min(1, n[k])), within(1.0 / 65535));
        }
        assertThat(Arrays.equals(p, mine.uint16())).isTrue();
        s = ref.state();
      }
      assertThat(
              registry
                  .find(PipelineMetrics.DEAD_LETTERS)
                  .tags("stage", DenoiseTopology.STAGE)
                  .counters()
                  .stream()
                  .mapToDouble(c -> c.count())
                  .sum())
          .isEqualTo(1.0);
      assertThat(registry.find("cytostream.stage.duration").tag("stage", "denoise").timer())
          .isNotNull();
    }
  }

  @Test
  void theHotPixelIsGoneFromTheDenoisedPlane() {
    DenoiseStage stage = new DenoiseStage(ImagePipeline.Settings.defaults());
    DenoiseStage.Result r = stage.process(plane(7), W, H, PixelType.UINT16, stage.initialState());
    int hot = (H / 2) * W + W / 4;
    int u = (r.uint16()[2 * hot] & 0xFF) | ((r.uint16()[2 * hot + 1] & 0xFF) << 8);
    int left = (r.uint16()[2 * (hot - 1)] & 0xFF) | ((r.uint16()[2 * (hot - 1) + 1] & 0xFF) << 8);
    assertThat(r.quality().hotPixels()).isGreaterThanOrEqualTo(1);
    assertThat(Math.abs(u - left)).as("median replaced the hot pixel").isLessThan(65535 / 4);
  }
}
