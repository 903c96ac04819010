package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The header's wire rules, one case per rule, on envelopes written by hand as a producer in another
 * language would write them. Each of these headers was processed (coerced or defaulted) before the
 * rules existed.
 */
class FrameHeaderRulesTest {
  private static final String GOOD =
      "\"schemaVersion\":1,\"fov\":\"scope7/A1\",\"frameIndex\":5,\"width\":2,\"height\":2,"
          + "\"pixelType\":\"uint8\"";

  private static byte[] envelope(String headerJson, int pixelBytes) {
    byte[] hb = headerJson.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(9 + hb.length + pixelBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'C', 'S', 'F', 'R'}).put((byte) 1).putInt(hb.length).put(hb);
    return b.array();
  }

  private static DeadLetterKind kindOf(String headerJson) {
    try {
      Frame f = FrameCodec.decode(envelope(headerJson, 4));
      return f.rejection().map(FrameRejectedException::kind).orElse(null);
    } catch (FrameRejectedException e) {
      return e.kind();
    }
  }

  @Test
  void aWellFormedHeaderWithAnUnknownFieldPasses() {
    assertThat(kindOf("{" + GOOD + ",\"newField\":[1,2],\"channel\":\"gfp\",\"pixelSizeUm\":0.65}"))
        .isNull();
  }

  /**
   * The pixel size sets the consensus model's length unit (µm): it must be a positive finite number
   * when present; 1e999 is a JSON number that parses to +Inf.
   */
  @ParameterizedTest(name = "pixelSizeUm {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0|INVALID_VALUE",
        "-0.3|INVALID_VALUE",
        "1e999|INVALID_VALUE",
        "\"0.65\"|WRONG_TYPE",
        "true|WRONG_TYPE",
        "0.108|"
      })
  void aPixelSizeMustBeAPositiveFiniteNumber(String value, DeadLetterKind kind) {
    assertThat(kindOf("{" + GOOD + ",\"pixelSizeUm\":" + value + "}")).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // required fields absent (a missing frameIndex used to become 0)
        "{\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|MISSING_FIELD",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|MISSING_FIELD",
        "{\"schemaVersion\":1,\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|MISSING_FIELD",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"height\":2,\"pixelType\":\"uint8\"}|MISSING_FIELD",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2}|MISSING_FIELD",
        "{\"schemaVersion\":null,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|MISSING_FIELD",
        // versions this service does not read
        "{\"schemaVersion\":2,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|UNSUPPORTED_SCHEMA_VERSION",
        "{\"schemaVersion\":0,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|UNSUPPORTED_SCHEMA_VERSION",
        // wrong JSON types: nothing is coerced
        "{\"schemaVersion\":\"1\",\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":\"2\",\"height\":2,\"pixelType\":\"uint8\"}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1.5,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":7,\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":8}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\",\"intervalSeconds\":\"1\"}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\",\"channel\":3}|WRONG_TYPE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\",\"pixelRef\":\"file:/x\"}|WRONG_TYPE",
        // values out of range
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":-1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|INVALID_VALUE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":0,\"height\":2,\"pixelType\":\"uint8\"}|INVALID_VALUE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\",\"acquisitionTime\":\"yesterday\"}|INVALID_VALUE",
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\",\"intervalSeconds\":0}|INVALID_VALUE",
        // FOV grammar
        "{\"schemaVersion\":1,\"fov\":\"a b\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|INVALID_FOV",
        "{\"schemaVersion\":1,\"fov\":\"a//b\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|INVALID_FOV",
        "{\"schemaVersion\":1,\"fov\":\"/a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"uint8\"}|INVALID_FOV",
        // pixel type names are exact
        "{\"schemaVersion\":1,\"fov\":\"a\",\"frameIndex\":1,\"width\":2,\"height\":2,\"pixelType\":\"UINT8\"}|UNKNOWN_PIXEL_TYPE",
        // not JSON objects
        "[1,2]|BAD_HEADER_JSON",
        "{\"schemaVersion\":1,|BAD_HEADER_JSON",
      })
  void eachBrokenRuleHasItsKind(String header, DeadLetterKind expected) {
    assertThat(kindOf(header)).isEqualTo(expected);
  }

  @Test
  void theWireNamesAreStable() {
    assertThat(DeadLetterKind.WRONG_BYTE_COUNT.wireName()).isEqualTo("wrong_byte_count");
    assertThat(DeadLetterKind.DUPLICATE_FRAME.wireName()).isEqualTo("duplicate_frame");
    assertThat(DeadLetterKind.BAD_ENVELOPE.wireName()).isEqualTo("bad_envelope");
  }

  @Test
  void envelopeLevelFailuresHaveTheirKinds() {
    assertThatThrownBy(() -> FrameCodec.decode(new byte[] {1, 2, 3}))
        .isInstanceOfSatisfying(
            FrameRejectedException.class,
            e -> assertThat(e.kind()).isEqualTo(DeadLetterKind.BAD_ENVELOPE));
    byte[] newer = envelope("{" + GOOD + "}", 4);
    newer[4] = 9;
    assertThatThrownBy(() -> FrameCodec.decode(newer))
        .isInstanceOfSatisfying(
            FrameRejectedException.class,
            e -> assertThat(e.kind()).isEqualTo(DeadLetterKind.UNSUPPORTED_ENVELOPE_VERSION));
  }

  @Test
  void fovGrammar() {
    assertThat(FovId.isValid("exp42/pos03/gcamp")).isTrue();
    assertThat(FovId.isValid("Fluo-N2DH-SIM+/01")).isTrue();
    assertThat(FovId.isValid("demo/fov-1")).isTrue();
    assertThat(FovId.isValid("a/")).isFalse();
    assertThat(FovId.isValid("a/../b")).isFalse();
    assertThat(FovId.isValid("x".repeat(FovId.MAX_LENGTH + 1))).isFalse();
    assertThat(FovId.isValid("caf\u00e9")).isFalse();
    assertThat(FovId.isValid("a\nb")).isFalse();
  }
}
