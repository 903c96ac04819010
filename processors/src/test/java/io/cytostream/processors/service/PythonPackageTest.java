package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.segment.select.SegmenterChoice;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python hook as a package, as a lab would use it: {@code pip install ./ingest/python} into a
 * fresh virtual environment with no package index (Debian's python3-confluent-kafka and
 * python3-numpy come from the system site packages), then the README's example publishes numpy
 * frames to the running service, which processes every one. Skipped, with a message, where Debian's
 * python3 with venv, pip, confluent_kafka and numpy is not installed.
 */
class PythonPackageTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String FOV = "py/pkg";
  private static final int FRAMES = 4;

  @Test
  void thePackageInstallsOfflineAndTheServiceProcessesWhatItPublishes(@TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(
        run(List.of(PYTHON, "-c", "import venv, ensurepip, confluent_kafka, numpy"), dir) == 0,
        "needs Debian's python3 with python3-venv, python3-confluent-kafka and python3-numpy");
    Path venv = dir.resolve("venv");
    assertThat(run(List.of(PYTHON, "-m", "venv", "--system-site-packages", venv.toString()), dir))
        .isZero();
    Path hook = Path.of("..", "ingest", "python").toAbsolutePath().normalize();
    assertThat(
            run(
                List.of(
                    venv.resolve("bin/pip").toString(),
                    "install",
                    "--no-index",
                    "--no-cache-dir",
                    hook.toString()),
                dir))
        .as("pip install --no-index ./ingest/python")
        .isZero();
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            null,
            "127.0.0.1",
            0,
            dir.resolve("data"),
            0,
            new SegmenterChoice("classical", Map.of(), null),
            Map.of("kafka.streams.default.num.stream.threads", 1));
    try (ServiceRunner service = ServiceRunner.start(options)) {
      // run from the temp folder, so that the module comes from the installed package
      assertThat(
              run(
                  List.of(
                      venv.resolve("bin/python").toString(),
                      hook.resolve("examples/publish_numpy.py").toString(),
                      service.bootstrap(),
                      FOV,
                      Integer.toString(FRAMES)),
                  dir))
          .isZero();
      assertThat(Files.readString(dir.resolve("out.txt"))).contains("published 4 frames");
      HttpClient http = HttpClient.newHttpClient();
      String url = "http://127.0.0.1:" + service.httpPort() + "/prometheus";
      double processed = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (processed < FRAMES && System.nanoTime() < deadline) {
        Thread.sleep(500);
        processed =
            ServiceIntegrationTest.framesProcessed(ServiceIntegrationTest.get(http, url), FOV);
      }
      assertThat(processed).isEqualTo(FRAMES);
    }
  }

  /** Runs a command in {@code dir}, output to {@code dir/out.txt}; returns its exit code. */
  private static int run(List<String> command, Path dir) throws Exception {
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out.txt").toFile())
              .start();
    } catch (java.io.IOException e) {
      return -1;
    }
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -2;
    }
    if (p.exitValue() != 0) {
      System.err.println(
          String.join(" ", command)
              + " failed:\n"
              + Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }
    return p.exitValue();
  }
}
