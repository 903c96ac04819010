package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.SimulationTruth;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.schemas.PixelType;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --style}: the named looks reach the written sequence and its truth.json. */
class SimulateStyleCommandLineTest {

  @Test
  void stylesAreAppliedInOrderAndRecorded(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("sim");
    SegmenterCommandLineTest.Run r =
        SegmenterCommandLineTest.run(
            "simulate",
            "--output",
            out.toString(),
            "--frames",
            "2",
            "--cells",
            "10",
            "--width",
            "96",
            "--height",
            "96",
            "--style",
            "sparse,8bit");
    assertThat(r.exit()).as(r.err()).isZero();
    SimulationTruth truth = SimulationTruth.read(out.resolve("truth.json"));
    assertThat(truth.config().style().cellRadius()).isEqualTo(0.3);
    assertThat(truth.config().style().bitDepth()).isEqualTo(8);
    try (TiffSequenceReader raw = TiffSequenceReader.open(out.resolve("01"))) {
      assertThat(raw.read(0).plane().type()).isEqualTo(PixelType.UINT8);
    }
  }

  @Test
  void anUnknownStyleIsAParameterError(@TempDir Path dir) {
    SegmenterCommandLineTest.Run r =
        SegmenterCommandLineTest.run(
            "simulate", "--output", dir.resolve("x").toString(), "--style", "blurry");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("unknown style 'blurry'");
  }
}
