package io.cytostream.ingest.tiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiffWriterTest {

  /** A 37×23 uint16 pattern using the whole range, including values above 32767. */
  private static short[] pattern(int w, int h) {
    short[] px = new short[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) ((i * 2654435761L) >>> 16);
    }
    px[0] = 0;
    px[1] = (short) 65535;
    return px;
  }

  @Test
  void roundTripsUint16WithEveryCompression(@TempDir Path dir) throws IOException {
    int w = 37;
    int h = 23;
    short[] px = pattern(w, h);
    for (TiffWriter.Compression c : TiffWriter.Compression.values()) {
      Path f = dir.resolve("p-" + c + ".tif");
      TiffWriter.writeUint16(f, w, h, px, c);
      RawPlane back = TiffSequenceReader.readPlane(f);
      assertThat(back).isEqualTo(RawPlane.ofUint16(w, h, px));
      assertThat(back.valueAt(1, 0)).isEqualTo(65535.0);
    }
  }

  @Test
  void writesWhatPythonTifffileReads(@TempDir Path dir) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    int w = 37;
    int h = 23;
    short[] px = pattern(w, h);
    long sum = 0;
    for (short s : px) {
      sum += Short.toUnsignedInt(s);
    }
    Path none = dir.resolve("t000.tif");
    Path deflate = dir.resolve("t001.tif");
    TiffWriter.writeUint16(none, w, h, px, TiffWriter.Compression.NONE);
    TiffWriter.writeUint16(deflate, w, h, px, TiffWriter.Compression.DEFLATE);
    String script =
        "import sys, tifffile\n"
            + "for f in sys.argv[1:]:\n"
            + "    a = tifffile.imread(f)\n"
            + "    print(a.dtype, a.shape[0], a.shape[1], int(a.astype('int64').sum()), int(a[0, 1]))\n";
    Process p =
        new ProcessBuilder(python.toString(), "-c", script, none.toString(), deflate.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(!out.contains("No module named 'tifffile'"), "python3-tifffile not installed");
    assertThat(p.exitValue()).as(out).isZero();
    String expected = "uint16 " + h + " " + w + " " + sum + " 65535";
    assertThat(out.lines().toList()).containsExactly(expected, expected);
  }
}
