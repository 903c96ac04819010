package io.cytostream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A frame encoded by the Python hook (a second, independent encoder) decodes in Java. */
class PythonHookCompatibilityTest {

  @Test
  void javaReadsWhatThePythonHookWrites(@TempDir Path tmp) throws Exception {
    Path script = Path.of("python", "cytostream_hook.py").toAbsolutePath();
    Path out = tmp.resolve("frame.bin");
    Process p;
    try {
      p =
          new ProcessBuilder("python3", script.toString(), "encode", out.toString())
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("python3 is not installed: " + e.getMessage());
      return;
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    Frame f = FrameCodec.decode(Files.readAllBytes(out));
    assertThat(f.validationError()).isEmpty();
    assertThat(f.header().fov()).isEqualTo("py/pos01/gcamp");
    assertThat(f.header().frameIndex()).isEqualTo(3);
    assertThat(f.header().acquisitionTime()).isEqualTo(Instant.parse("2026-11-23T10:00:00.5Z"));
    assertThat(f.pixelType()).contains(PixelType.UINT16);
    assertThat(f.header().width()).isEqualTo(3);
    assertThat(f.header().intervalSeconds()).isEqualTo(10.0);
    ByteBuffer b = ByteBuffer.wrap(f.pixels()).order(ByteOrder.LITTLE_ENDIAN);
    int[] expected = {0, 1, 2, 65535, 300, 7};
    for (int i = 0; i < expected.length; i++) {
      assertThat(b.getShort(2 * i) & 0xffff).isEqualTo(expected[i]);
    }
  }

  /** A frame the Python hook sends by reference loads and verifies with Java's ClaimCheck. */
  @Test
  void javaLoadsAFrameThePythonHookSendsByReference(@TempDir Path tmp) throws Exception {
    Path script = Path.of("python", "cytostream_hook.py").toAbsolutePath();
    Path out = tmp.resolve("frame.bin");
    Path dir = tmp.resolve("shared");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "python3", script.toString(), "encode-ref", out.toString(), dir.toString())
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("python3 is not installed: " + e.getMessage());
      return;
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    Frame byRef = FrameCodec.decode(Files.readAllBytes(out));
    assertThat(byRef.pixels()).isEmpty();
    assertThat(byRef.header().pixelRef().byteLength()).isEqualTo(12);
    assertThat(byRef.header().pixelRef().uri()).startsWith("file:");
    assertThat(byRef.validationError()).isEmpty();
    Frame loaded = ClaimCheck.load(byRef, dir, ClaimCheck.DEFAULT_MAX_REF_BYTES);
    ByteBuffer b = ByteBuffer.wrap(loaded.pixels()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getShort(2 * 3) & 0xffff).isEqualTo(65535);
    assertThat(loaded.validationError()).isEmpty();
  }
}
