package io.cytostream.processors.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same FOV published by the Python hook and by the Java publisher lands on the same partition
 * of {@code frames.raw}, so it gets one normalisation and one tracker. Runs the real hook with
 * Debian's python3-confluent-kafka against the embedded broker; skipped when that is not installed.
 * With librdkafka's default partitioner (CRC32) several of these FOVs land elsewhere.
 */
class PythonHookPartitioningTest {
  private static final int PARTITIONS = 4;

  @Test
  void pythonAndJavaPutAFovOnTheSamePartition(@TempDir Path tmp) throws Exception {
    String python = pythonWithConfluentKafka();
    Assumptions.assumeTrue(
        python != null, "python3 with confluent_kafka is not installed (python3-confluent-kafka)");
    List<String> fovs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      fovs.add("lab" + i + "/pos" + (7 * i % 10) + "/gcamp");
    }
    try (EmbeddedKafka broker = new EmbeddedKafka(tmp, "127.0.0.1", 0).start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .createTopics(List.of(new NewTopic(Topics.FRAMES_RAW.name(), PARTITIONS, (short) 1)))
            .all()
            .get(60, TimeUnit.SECONDS);
      }
      Map<String, Integer> fromPython = publishFromPython(python, bootstrap, fovs);
      Map<String, Integer> fromJava = new HashMap<>();
      try (FramePublisher pub = FramePublisher.connect(bootstrap)) {
        for (String fov : fovs) {
          FrameHeader h = new FrameHeader(1, fov, 0, null, 4, 4, "uint16", null, null, null, null);
          fromJava.put(fov, pub.publishAndWait(new Frame(h, new byte[32]), 60).partition());
        }
      }
      assertThat(fromPython).isEqualTo(fromJava);
      assertThat(fromJava.values()).as("FOVs spread over partitions").hasSizeGreaterThan(0);
      assertThat(new java.util.HashSet<>(fromJava.values())).hasSizeGreaterThan(1);
    }
  }

  private static Map<String, Integer> publishFromPython(
      String python, String bootstrap, List<String> fovs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python);
    cmd.add(Path.of("..", "ingest", "python", "cytostream_hook.py").toAbsolutePath().toString());
    cmd.add("publish");
    cmd.add(bootstrap);
    cmd.addAll(fovs);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python hook finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, Integer> partitions = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2 && fovs.contains(parts[0])) {
        partitions.put(parts[0], Integer.parseInt(parts[1]));
      }
    }
    assertThat(partitions).as(out).hasSize(fovs.size());
    return partitions;
  }

  /** Debian's python3 first (where apt installs confluent_kafka), then whatever is on the PATH. */
  static String pythonWithConfluentKafka() {
    for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import confluent_kafka")
                .redirectErrorStream(true)
                .start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not this one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
