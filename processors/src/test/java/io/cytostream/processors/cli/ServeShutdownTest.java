package io.cytostream.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} stops on SIGTERM (what Kubernetes, systemd and Ctrl-C's cousins send): the
 * service's shutdown hook closes Streams, the HTTP server and the broker, and the JVM exits.
 * Regression: Micronaut's own shutdown hook used to deadlock against ours.
 */
class ServeShutdownTest {
  @Test
  void serveExitsOnSigterm(@TempDir Path dir) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "serve",
                    "--data-dir",
                    dir.toString(),
                    "--port",
                    "0",
                    "--broker-port",
                    "0"))
            .redirectErrorStream(true)
            .start();
    try {
      boolean up = false;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("cytostream is running.")) {
            up = true;
            break;
          }
        }
        assertThat(up).as("service started").isTrue();
        p.destroy(); // SIGTERM
        // keep draining the output so the child never blocks on a full pipe
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (r.readLine() != null) {
                      // discard
                    }
                  } catch (java.io.IOException e) {
                    // the child closed its end
                  }
                });
        drain.setDaemon(true);
        drain.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
