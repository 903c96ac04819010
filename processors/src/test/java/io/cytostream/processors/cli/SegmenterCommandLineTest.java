package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code process --segmenter model} end to end, and the segmenter options' errors. */
class SegmenterCommandLineTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Path simulate(Path dir, int frames) throws IOException {
    Path sim = dir.resolve("sim");
    CtcWriter.write(
        SimulationConfig.builder().size(256, 256).cells(25).frames(frames).seed(3).build(), sim);
    return sim.resolve("01");
  }

  @Test
  void processWithTheModelWritesEveryOutput(@TempDir Path dir) throws IOException {
    Path in = simulate(dir, 6);
    Path out = dir.resolve("res");
    Run r =
        run(
            "process",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--segmenter",
            "model");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("processed 6 frames");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mask")))
          .hasSize(6);
    }
    List<String> cells = Files.readAllLines(out.resolve("cells.csv"));
    assertThat(cells.size()).as("cells found by the model in 6 frames").isGreaterThan(6 * 10);
    assertThat(out.resolve("res_track.txt")).isNotEmptyFile();
  }

  @Test
  void unknownSegmenterIsAOneLineParameterError(@TempDir Path dir) throws IOException {
    Path in = simulate(dir, 1);
    Run r = run("process", "--input", in.toString(), "--output", "x", "--segmenter", "cellpose");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown segmenter 'cellpose'").contains("classical, model");
    assertThat(r.err().strip().lines()).hasSize(1);

    r =
        run(
            "process",
            "--input",
            in.toString(),
            "--output",
            "x",
            "--fov-segmenter",
            "fov-1=watershed");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown segmenter 'watershed' for FOV fov-1");
  }

  @Test
  void corruptModelFailsBeforeProcessingAndNamesThePath(@TempDir Path dir) throws IOException {
    Path in = simulate(dir, 1);
    Path bad = dir.resolve("bad-model");
    Files.createDirectories(bad.resolve("variables"));
    Files.writeString(bad.resolve("saved_model.pb"), "not a model");
    Path out = dir.resolve("res");
    Run r =
        run(
            "process",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--segmenter",
            "model",
            "--segmenter-model",
            bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot load segmenter model from " + bad.toAbsolutePath());
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(out.resolve("cells.csv")).doesNotExist();

    r =
        run(
            "process",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--segmenter",
            "model",
            "--segmenter-model",
            dir.resolve("missing").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--segmenter-model").contains("is not a directory");
  }
}
