package io.cytostream.processors.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak mode: slopes on known data, the memory readers' parsing, and a tiny soak end to end. */
class SoakSamplerTest {

  @Test
  void slopeOfAKnownLineIsItsGradientPerHour() {
    double[] t = {0, 30, 60, 90, 120};
    double[] y = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      y[i] = 100 + 0.01 * t[i]; // 0.01 MB/s = 36 MB/h
    }
    assertThat(SoakSampler.slopePerHour(t, y)).isCloseTo(36.0, within(1e-9));
  }

  @Test
  void slopeIsLeastSquaresAndSkipsUnreadablePoints() {
    // points (0,0) (1,1) (2,0) (3,1): least squares gives 0.2 per second; -1 = unreadable
    double[] t = {0, 1, 2, 3, 4};
    double[] y = {0, 1, 0, 1, -1};
    assertThat(SoakSampler.slopePerHour(t, y)).isCloseTo(0.2 * 3600, within(1e-9));
    assertThat(SoakSampler.slopePerHour(new double[] {5}, new double[] {1})).isNaN();
    assertThat(SoakSampler.slopePerHour(new double[] {5, 5}, new double[] {1, 2})).isNaN();
  }

  @Test
  void summaryReportsWholeRunAndSecondHalfSlopes() {
    List<double[]> rows = new ArrayList<>();
    int cols = SoakSampler.COLUMNS.size();
    int heap = SoakSampler.COLUMNS.indexOf("heap_after_gc_mb");
    int p99 = SoakSampler.COLUMNS.indexOf("p99_ms");
    for (int i = 0; i < 8; i++) {
      double[] r = new double[cols];
      r[0] = i * 450.0; // 8 samples, 7.5 min apart
      // heap grows 40 MB per sample in the first half (settling), then stays flat
      r[heap] = i < 4 ? 100 + 40 * i : 220;
      r[p99] = 50 + i;
      rows.add(r);
    }
    Map<String, Object> s = SoakSampler.summary(rows);
    assertThat(s.get("samples")).isEqualTo(8);
    assertThat((double) s.get("heap_mb_per_h")).isPositive();
    assertThat((double) s.get("heap_mb_per_h_second_half")).isZero();
    assertThat((double) s.get("p99_ms_per_h")).isCloseTo(8.0, within(1e-6));
    assertThat(s.get("p99_ms_worst_interval")).isEqualTo(57.0);
    assertThat(s.get("heap_after_gc_mb_first")).isEqualTo(100.0);
    assertThat(s.get("heap_after_gc_mb_last")).isEqualTo(220.0);
  }

  @Test
  void readsResidentSetAndNativeMemoryTotals() {
    assertThat(ProcessMemory.parseRss("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  123456 kB\n"))
        .isEqualTo(123456L * 1024);
    assertThat(ProcessMemory.parseRss("Name:\tjava\n")).isEqualTo(-1);
    String nmt =
        "\nNative Memory Tracking:\n\n(Omitting categories weighting less than 1KB)\n\n"
            + "Total: reserved=7654321KB, committed=543210KB\n"
            + "       malloc: 20000KB #1000\n\n-                 Java Heap (reserved=6291456KB,"
            + " committed=262144KB)\n";
    assertThat(ProcessMemory.parseNmtCommitted(nmt)).isEqualTo(543210L * 1024);
    assertThat(ProcessMemory.parseNmtCommitted("Native memory tracking is not enabled"))
        .isEqualTo(-1);
    assertThat(ProcessMemory.rss()).as("this JVM's resident set on Linux").isPositive();
  }

  @Test
  void aTinySoakWritesTheSeriesAndSlopesInTheLastLine(@TempDir Path dir) throws Exception {
    Path series = dir.resolve("series.csv");
    LoadTestCommandTest.Run r =
        LoadTestCommandTest.run(
            "loadtest",
            "--size",
            "64x64",
            "--cells",
            "6",
            "--rate",
            "4",
            "--duration",
            "3s",
            "--sample-every",
            "1s",
            "--series",
            series.toString(),
            "--pool",
            "4");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(series, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo(String.join(",", SoakSampler.COLUMNS));
    assertThat(lines.size()).as("header and at least three samples").isGreaterThanOrEqualTo(4);
    long framesInSeries = 0;
    double lastT = -1;
    boolean lagRead = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      assertThat(v).hasSize(SoakSampler.COLUMNS.size());
      double t = Double.parseDouble(v[0]);
      assertThat(t).isGreaterThan(lastT);
      lastT = t;
      framesInSeries += Long.parseLong(v[1]);
      lagRead |= Long.parseLong(v[SoakSampler.COLUMNS.indexOf("consumer_lag")]) >= 0;
      assertThat(Double.parseDouble(v[SoakSampler.COLUMNS.indexOf("rss_mb")])).isPositive();
      assertThat(Double.parseDouble(v[SoakSampler.COLUMNS.indexOf("heap_committed_mb")]))
          .isPositive();
    }
    assertThat(lagRead).as("frames.raw consumer lag read in some sample").isTrue();
    String[] out = r.out().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(out[out.length - 1]);
    JsonNode soak = json.get("soak");
    assertThat(soak).as(out[out.length - 1]).isNotNull();
    assertThat(soak.get("samples").asInt()).isEqualTo(lines.size() - 1);
    for (String key : new String[] {"heap_mb_per_h", "rss_mb_per_h", "p99_ms_per_h"}) {
      assertThat(soak.has(key)).as(key).isTrue();
    }
    // every measured frame's latency is taken once: by a sample, or at the end
    assertThat(framesInSeries).isLessThanOrEqualTo(json.get("processed").asLong());
    assertThat(json.get("processed").asLong()).isEqualTo(json.get("published").asLong());
  }
}
