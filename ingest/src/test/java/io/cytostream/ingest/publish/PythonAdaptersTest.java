package io.cytostream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python adapters' tests ({@code ingest/python/tests/test_adapters.py}: pymmcore-plus and
 * pycro-manager adapters against stand-ins of those packages) with Debian's python3 and numpy;
 * skipped, with a message, where numpy is not installed.
 */
class PythonAdaptersTest {
  @Test
  void adaptersPublishFramesAndFollowDirectives() throws Exception {
    String python = "/usr/bin/python3";
    Assumptions.assumeTrue(runs(python, "-c", "import numpy"), "needs python3 with numpy");
    Path dir = Path.of("python").toAbsolutePath();
    Process p =
        new ProcessBuilder(python, "-m", "unittest", "discover", "-s", "tests", "-v")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Ran 3 tests").contains("OK");
  }

  private static boolean runs(String... cmd) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
