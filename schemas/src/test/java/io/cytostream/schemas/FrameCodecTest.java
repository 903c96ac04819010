package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private static Frame frame(PixelType type, int w, int h, long seed) {
    byte[] px = new byte[w * h * type.bytesPerPixel()];
    Random r = new Random(seed);
    if (type == PixelType.FLOAT32) {
      ByteBuffer b = ByteBuffer.wrap(px).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < w * h; i++) {
        b.putFloat(r.nextFloat() * 1000f);
      }
    } else {
      r.nextBytes(px);
    }
    return new Frame(
        FrameHeader.inline(
            "exp1/pos2/gcamp",
            17,
            Instant.parse("2026-11-23T10:15:30.125Z"),
            w,
            h,
            type,
            0.65,
            10.0,
            "gcamp"),
        px);
  }

  @Test
  void roundTripsEveryPixelType() {
    for (PixelType t : PixelType.values()) {
      Frame f = frame(t, 37, 11, t.ordinal());
      Frame back = FrameCodec.decode(FrameCodec.encode(f));
      assertThat(back).isEqualTo(f);
      assertThat(back.validationError()).isEmpty();
    }
  }

  @Test
  void serdeMapsNullToNullAndWrapsFailures() {
    FrameSerde serde = new FrameSerde();
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "hello world".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("bad magic");
  }

  @Test
  void largestFrameFitsTheTopicLimit() {
    Frame f = frame(PixelType.UINT16, 2048, 2048, 1);
    byte[] bytes = FrameCodec.encode(f);
    assertThat(bytes.length).isLessThan(Topics.MAX_MESSAGE_BYTES);
    assertThat(FrameCodec.decode(bytes)).isEqualTo(f);
  }

  @Test
  void rejectsNewerEnvelopeVersionsAndTruncatedHeaders() {
    byte[] bytes = FrameCodec.encode(frame(PixelType.UINT8, 4, 4, 2));
    byte[] newer = bytes.clone();
    newer[4] = 2;
    assertThatThrownBy(() -> FrameCodec.decode(newer))
        .hasMessageContaining("unsupported frame envelope version 2");
    byte[] truncated = java.util.Arrays.copyOf(bytes, 20);
    assertThatThrownBy(() -> FrameCodec.decode(truncated)).hasMessageContaining("header length");
  }

  @Test
  void validationNamesWhatIsWrong() {
    Frame ok = frame(PixelType.UINT16, 8, 8, 3);
    Frame shortFrame = new Frame(ok.header(), new byte[10]);
    assertThat(shortFrame.validationError()).get().asString().contains("does not match 8x8 uint16");
    FrameHeader h = ok.header();
    Frame unknown =
        new Frame(
            new FrameHeader(1, h.fov(), 1, null, 8, 8, "int12", null, null, null, null),
            ok.pixels());
    assertThat(unknown.validationError()).get().asString().contains("unknown pixelType 'int12'");
    Frame nan = frame(PixelType.FLOAT32, 4, 4, 4);
    ByteBuffer.wrap(nan.pixels()).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 5, Float.NaN);
    assertThat(nan.validationError())
        .get()
        .asString()
        .contains("non-finite value NaN at pixel (1,1)");
    Frame noFov =
        new Frame(
            new FrameHeader(1, " ", 0, null, 8, 8, "uint16", null, null, null, null), ok.pixels());
    assertThat(noFov.rejection())
        .get()
        .extracting(FrameRejectedException::kind)
        .isEqualTo(DeadLetterKind.INVALID_FOV);
    Frame emptyFov =
        new Frame(
            new FrameHeader(1, "", 0, null, 8, 8, "uint16", null, null, null, null), ok.pixels());
    assertThat(emptyFov.validationError()).get().asString().isEqualTo("missing fov");
    assertThat(shortFrame.rejection())
        .get()
        .extracting(FrameRejectedException::kind)
        .isEqualTo(DeadLetterKind.WRONG_BYTE_COUNT);
    assertThat(unknown.rejection())
        .get()
        .extracting(FrameRejectedException::kind)
        .isEqualTo(DeadLetterKind.UNKNOWN_PIXEL_TYPE);
    assertThat(nan.rejection())
        .get()
        .extracting(FrameRejectedException::kind)
        .isEqualTo(DeadLetterKind.NON_FINITE);
  }

  /**
   * A version-1 envelope written by hand the way the README tells a producer in another language to
   * write it (fields in another order, an extra field a newer producer might add, no optional
   * fields): this code must keep reading it.
   */
  @Test
  void readsAHandWrittenVersion1EnvelopeWithUnknownFields() {
    String header =
        "{\"height\":2,\"width\":3,\"pixelType\":\"uint16\",\"fov\":\"scope7/A1\","
            + "\"frameIndex\":5,\"schemaVersion\":1,\"acquisitionTime\":\"2026-01-02T03:04:05Z\","
            + "\"futureField\":{\"x\":1}}";
    byte[] hb = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(9 + hb.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'C', 'S', 'F', 'R'}).put((byte) 1).putInt(hb.length).put(hb);
    for (int i = 0; i < 6; i++) {
      b.putShort((short) (1000 * i + 7));
    }
    Frame f = FrameCodec.decode(b.array());
    assertThat(f.header().fov()).isEqualTo("scope7/A1");
    assertThat(f.header().frameIndex()).isEqualTo(5);
    assertThat(f.header().acquisitionTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(f.pixelType()).contains(PixelType.UINT16);
    assertThat(f.header().intervalSeconds()).isNull();
    assertThat(f.validationError()).isEmpty();
    ByteBuffer px = ByteBuffer.wrap(f.pixels()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(px.getShort(2 * 4) & 0xffff).isEqualTo(4007);
  }
}
