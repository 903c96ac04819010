package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}'s argument errors: one line, exit 2, nothing run. */
class EvaluateCommandTest {

  @Test
  void anUnknownPanelIsAParameterError(@TempDir Path dir) {
    SegmenterCommandLineTest.Run r =
        SegmenterCommandLineTest.run(
            "evaluate", "--panel", "huge", "--out", dir.resolve("o").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown panel 'huge'").contains("ci, full");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void aDataFolderWithoutCtcAndTrainIsAParameterError(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    SegmenterCommandLineTest.Run r =
        SegmenterCommandLineTest.run(
            "evaluate",
            "--data",
            dir.resolve("data").toString(),
            "--out",
            dir.resolve("o").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("has no ctc/ and train/");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void helpListsThePanels() {
    SegmenterCommandLineTest.Run r = SegmenterCommandLineTest.run("evaluate", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--panel").contains("ci").contains("full").contains("--out");
  }
}
