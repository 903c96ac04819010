package io.cytostream.processors.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cytostream.processors.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code loadtest} end to end on the embedded broker, small, and its argument errors. */
class LoadTestCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void reportsThroughputLatencyAndBothCeilingsWithJsonAsTheLastLine() throws Exception {
    Run r =
        run(
            "loadtest",
            "--size",
            "64x64",
            "--cells",
            "6",
            "--frames",
            "8",
            "--pool",
            "4",
            "--window",
            "4");
    assertThat(r.exit()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("published").asLong()).isEqualTo(8);
    assertThat(json.get("processed").asLong())
        .as("every measured frame reached cells.state")
        .isEqualTo(8);
    for (String key :
        new String[] {
          "frames_per_second",
          "kafka_ceiling_frames_per_second",
          "stage_ceiling_frames_per_second",
          "p50_ms",
          "p99_ms"
        }) {
      assertThat(json.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(json.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(json.get("p50_ms").asDouble());
    assertThat(json.get("stage_mean_ms").get("image").asDouble()).isPositive();
    assertThat(r.out()).contains("transport ceiling").contains("compute ceiling");
  }

  @Test
  void theDenoiseOnlyTopologyIsMeasuredAgainstTheSameTransportCeiling() throws Exception {
    Run r =
        run(
            "loadtest",
            "--topology",
            "denoise",
            "--size",
            "64x64",
            "--cells",
            "6",
            "--frames",
            "8",
            "--pool",
            "4",
            "--window",
            "4");
    assertThat(r.exit()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("topology").asText()).isEqualTo("denoise");
    assertThat(json.get("processed").asLong())
        .as("every measured frame came out denoised")
        .isEqualTo(8);
    assertThat(json.get("frames_per_second").asDouble()).isPositive();
    assertThat(json.get("kafka_ceiling_frames_per_second").asDouble()).isPositive();
    assertThat(json.get("fraction_of_kafka_ceiling").asDouble()).isPositive();
    assertThat(json.get("stage_mean_ms").get("denoise").asDouble()).isPositive();
    assertThat(r.out()).contains("n/a frames/s");
  }

  @Test
  void anUnknownTopologyIsAOneLineParameterError() {
    Run r = run("loadtest", "--topology", "segment-only");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("topology must be full or denoise");
  }

  @Test
  void aBadSizeIsAOneLineParameterError() {
    Run r = run("loadtest", "--size", "512by512");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--size must look like 512x512");
  }

  @Test
  void percentilesAreNearestRank() {
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(ReportAssembly.percentile(v, 0.5)).isEqualTo(5);
    assertThat(ReportAssembly.percentile(v, 0.99)).isEqualTo(10);
    assertThat(ReportAssembly.percentile(new double[0], 0.5)).isNaN();
  }
}
