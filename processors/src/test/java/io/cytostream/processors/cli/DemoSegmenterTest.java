package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.segment.select.SegmenterChoice;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code demo} segments its own simulated FOVs with the one default of every command (classical),
 * and {@code --segmenter} / {@code --fov-segmenter} still choose. The demo's culture against ground
 * truth: {@code segment.DemoCultureTest}.
 */
class DemoSegmenterTest {

  private static SegmenterChoice parse(String... args) {
    DemoCommand demo = new DemoCommand();
    CommandLine cl = new CommandLine(demo);
    cl.parseArgs(args);
    return demo.segmenters(cl);
  }

  @Test
  void theDemosFovsAreSegmentedClassicallyByDefault() {
    SegmenterChoice c = parse();
    assertThat(c.nameFor("demo/fov-1")).isEqualTo(SegmenterChoice.CLASSICAL);
    assertThat(c.nameFor("demo/fov-2")).isEqualTo(SegmenterChoice.CLASSICAL);
    assertThat(c.usesModel()).isFalse();
  }

  @Test
  void theUserStillChooses() {
    assertThat(parse("--segmenter", "model").nameFor("demo/fov-1")).isEqualTo("model");
    SegmenterChoice perFov = parse("--fov-segmenter", "demo/fov-2=model");
    assertThat(perFov.nameFor("demo/fov-1")).isEqualTo(SegmenterChoice.CLASSICAL);
    assertThat(perFov.nameFor("demo/fov-2")).isEqualTo("model");
  }
}
