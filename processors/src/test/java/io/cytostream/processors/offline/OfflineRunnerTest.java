package io.cytostream.processors.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process} on the shared real data: every file, consistent with itself and the CTC rules.
 */
class OfflineRunnerTest {
  static Path data() {
    Path d = Path.of(System.getProperty("cytostream.shared", "../../shared")).resolve("data");
    Assumptions.assumeTrue(Files.isDirectory(d), "shared data not found at " + d + ": skipped");
    return d;
  }

  /** The CTC validity rules: each label is present exactly in frames B..E, parents end earlier. */
  static void assertCtcConsistent(Path out, int frames) throws Exception {
    Map<Integer, long[]> tracks = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("res_track.txt"))) {
      String[] p = line.trim().split("\\s+");
      tracks.put(
          Integer.parseInt(p[0]),
          new long[] {Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])});
    }
    Map<Integer, Set<Long>> seen = new HashMap<>();
    try (TiffSequenceReader masks = TiffSequenceReader.open(out, "mask")) {
      assertThat(masks.frameCount()).isEqualTo(frames);
      for (TiffSequenceReader.Frame f : masks) {
        RawPlane p = f.plane();
        short[] s = p.toShortArray();
        Set<Integer> labels = new HashSet<>();
        for (short v : s) {
          if (v != 0) {
            labels.add(v & 0xffff);
          }
        }
        for (int l : labels) {
          seen.computeIfAbsent(l, k -> new HashSet<>()).add((long) f.frameNumber());
        }
      }
    }
    assertThat(seen.keySet()).isEqualTo(tracks.keySet());
    for (var e : tracks.entrySet()) {
      long[] t = e.getValue();
      assertThat(seen.get(e.getKey()))
          .as("frames of label " + e.getKey())
          .hasSize((int) (t[1] - t[0] + 1));
      if (t[2] != 0) {
        assertThat(tracks.get((int) t[2])[1]).isLessThan(t[0]);
      }
    }
  }

  @Test
  void processWithGroundTruthLabelsWritesEveryFile(@TempDir Path tmp) throws Exception {
    Path seq = data().resolve("ctc/Fluo-N2DH-SIM+");
    Path out = tmp.resolve("res");
    OfflineRunner.Summary s =
        OfflineRunner.run(
            new OfflineRunner.Options(
                seq.resolve("01"),
                out,
                "sim+/01",
                seq.resolve("01_GT/SEG"),
                1.0,
                PipelineConfig.defaults()));
    assertThat(s.frames()).isEqualTo(65);
    assertThat(s.tracked()).isEqualTo(65);
    assertThat(s.deadLetters()).isEmpty();
    for (String f :
        List.of(
            "res_track.txt",
            "cells.csv",
            "adjacency.csv",
            "parameters.csv",
            "consensus.json",
            "events.jsonl",
            "mask000.tif",
            "mask064.tif")) {
      assertThat(out.resolve(f)).exists();
    }
    assertThat(Files.readAllLines(out.resolve("cells.csv")).get(0))
        .isEqualTo(ResultWriter.CELLS_HEADER);
    assertThat(Files.readAllLines(out.resolve("adjacency.csv")).get(0))
        .isEqualTo(ResultWriter.ADJACENCY_HEADER);
    assertThat(Files.readAllLines(out.resolve("parameters.csv")).get(0))
        .isEqualTo(ResultWriter.PARAMETERS_HEADER);
    assertCtcConsistent(out, 65);
    for (String line : Files.readAllLines(out.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
      AnomalyEvent e = Json.mapper().readValue(line, AnomalyEvent.class);
      assertThat(e.specversion()).isEqualTo("1.0");
      assertThat(e.data().fov()).isEqualTo("sim+/01");
    }
  }

  @Test
  void processRunsOnTheRealCalciumMovie(@TempDir Path tmp) throws Exception {
    Path movie = data().resolve("calcium-fura2/adu340_4small_TYX_uint16.tif");
    Path out = tmp.resolve("res");
    OfflineRunner.Summary s =
        OfflineRunner.run(
            new OfflineRunner.Options(movie, out, "fura2", null, 1.0, PipelineConfig.defaults()));
    assertThat(s.frames()).isEqualTo(128);
    assertThat(s.deadLetters()).isEmpty();
    assertThat(out.resolve("mask127.tif")).exists();
    assertThat(
            Json.mapper()
                .readTree(out.resolve("consensus.json").toFile())
                .has("interval_seconds_default"))
        .isTrue();
  }
}
