package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.publish.DirectiveListener;
import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.schemas.Directive;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.PixelType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed through the running service: frames without interior cells make the rules ask to
 * skip their FOV, and that directive reaches the Java publisher's listener (for the FOV it
 * published, not the others) and a plain {@link DirectiveListener}; the README's Python example
 * ({@code closed_loop.py}: publishes from Python, receives with {@code on_directive}) gets a
 * directive for each of its FOVs. The Python part is skipped where Debian's python3 with
 * confluent_kafka and numpy is not installed.
 */
class ClosedLoopTest {
  private static final int SIZE = 64;

  /**
   * FOVs of the Python example: 3 in CI; the latency measurement runs it with more ({@code
   * -Dclosedloop.fovs=30}, docs/REPRODUCE.md) and prints its p50/p99.
   */
  private static final int FOVS = Integer.getInteger("closedloop.fovs", 3);

  /**
   * A field without an interior cell: background, and a bright band along the left edge (what
   * segments there touches the image edge), as {@code closed_loop.py} publishes too.
   */
  static Frame empty(String fov, int t) {
    ByteBuffer b = ByteBuffer.allocate(SIZE * SIZE * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        b.putShort((short) (x < 12 ? 1000 : 100 + (x + y) % 3));
      }
    }
    return new Frame(
        FrameHeader.inline(fov, t, Instant.now(), SIZE, SIZE, PixelType.UINT16, null, 1.0, null),
        b.array());
  }

  @Test
  void aRuleDirectiveReachesTheJavaListenerAndThePythonHook(@TempDir Path dir) throws Exception {
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
      List<Directive> all = new CopyOnWriteArrayList<>();
      List<Directive> mine = new CopyOnWriteArrayList<>();
      try (DirectiveListener listener =
              DirectiveListener.start(
                  service.bootstrap(), fov -> fov.startsWith("loop/"), all::add);
          FramePublisher pub = FramePublisher.connect(service.bootstrap())) {
        pub.onDirective(mine::add);
        String python = python("confluent_kafka, numpy");
        Process py = null;
        Path out = dir.resolve("python.txt");
        if (python != null) {
          Path hook = Path.of("..", "ingest", "python").toAbsolutePath().normalize();
          ProcessBuilder pb =
              new ProcessBuilder(
                      python,
                      hook.resolve("examples/closed_loop.py").toString(),
                      service.bootstrap(),
                      Integer.toString(FOVS),
                      System.getProperty("closedloop.interval", "0.2"))
                  .redirectErrorStream(true)
                  .redirectOutput(out.toFile());
          pb.environment().put("PYTHONPATH", hook.toString());
          py = pb.start();
        }
        for (int t = 0; t < 3; t++) {
          pub.publishAndWait(empty("loop/java", t), 30);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (mine.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(mine).as("the publisher's listener").isNotEmpty();
        Directive d = mine.get(0);
        assertThat(d.data().fov()).isEqualTo("loop/java");
        assertThat(d.data().action()).isEqualTo("skip");
        assertThat(d.data().frame()).isEqualTo(2);
        assertThat(d.data().cause()).isEqualTo("no_interior_cells");
        assertThat(d.type()).isEqualTo("io.cytostream.directive.skip");
        if (py != null) {
          assertThat(py.waitFor(120, TimeUnit.SECONDS)).as("closed_loop.py finished").isTrue();
          String text = Files.readString(out, StandardCharsets.UTF_8);
          assertThat(py.exitValue()).as(text).isZero();
          System.out.println(text);
          for (int i = 0; i < FOVS; i++) {
            assertThat(text).contains(String.format("directive skip loop/pos%02d ", i));
          }
          assertThat(text)
              .contains("directives for " + FOVS + " of " + FOVS + " FOVs")
              .contains("p50");
          while (all.size() < FOVS + 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          assertThat(all)
              .extracting(x -> x.data().fov())
              .contains("loop/java", "loop/pos00", "loop/pos01", "loop/pos02");
        }
        // the publisher's own listener only gets the FOVs it published
        assertThat(mine).extracting(x -> x.data().fov()).containsOnly("loop/java");
      }
    }
  }

  /** Debian's python3 (where apt installs its packages), when it imports {@code modules}. */
  static String python(String modules) {
    String python = "/usr/bin/python3";
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import " + modules).redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? python : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
