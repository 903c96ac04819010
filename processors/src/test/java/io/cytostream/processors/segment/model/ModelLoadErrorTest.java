package io.cytostream.processors.segment.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing or corrupt model fails at start-up with one message naming the path. */
class ModelLoadErrorTest {
  @Test
  void missingModelNamesThePath(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-such-model");
    assertThatThrownBy(() -> ModelSegmenter.load(missing))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not found")
        .hasMessageContaining(missing.toAbsolutePath().toString());
  }

  @Test
  void corruptModelNamesThePath(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("corrupt");
    Files.createDirectories(bad.resolve("variables"));
    Files.write(bad.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> ModelSegmenter.load(bad))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cannot load segmenter model from " + bad.toAbsolutePath());
  }
}
