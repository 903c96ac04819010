package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Changelog volume of the track and consensus stages per frame with n long-lived tracks: bytes (key
 * + value, a tombstone counts its key) that each store logs per frame, read from the changelog
 * records TopologyTestDriver keeps for every logged store. The writes are deltas: they depend on
 * the active tracks, not on how many frames the FOV has seen.
 *
 * <p>CI runs 40 tracks for 160 frames; the figures in README ("Bounded state") are {@code mvn -o -B
 * -pl processors -am -Dtest=ChangelogVolumeTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcytostream.changelogTracks=100,500 -Dcytostream.changelogFrames=140 test}.
 */
class ChangelogVolumeTest {
  static final String FOV = "volume/fov-1";

  /**
   * n cells on a square grid 40 px apart, each wandering slowly around its grid point (so that
   * tracks live for the whole run), about 1 % of detections missing per frame (gaps the tracker
   * bridges), intensities a slow random walk; grid neighbours are adjacent.
   */
  static final class GridCulture {
    private final int side;
    private final int n;
    private final Random rnd;
    private final double[] y;

    GridCulture(int n, long seed) {
      this.n = n;
      this.side = (int) Math.ceil(Math.sqrt(n));
      this.rnd = new Random(seed);
      this.y = new double[n];
      for (int i = 0; i < n; i++) {
        y[i] = 0.3 + 0.4 * rnd.nextDouble();
      }
    }

    FrameObservations next(long t) {
      List<FrameObservations.Cell> cells = new ArrayList<>();
      Map<Integer, FrameObservations.Cell> byIndex = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        y[i] = Math.min(0.95, Math.max(0.05, y[i] + 0.002 * rnd.nextGaussian()));
        if (t > 0 && rnd.nextDouble() < 0.01) {
          continue;
        }
        double x0 = 40 + 40 * (i % side);
        double y0 = 40 + 40 * (i / side);
        double x = x0 + 3 * Math.sin(0.05 * t + i) + 0.3 * rnd.nextGaussian();
        double yy = y0 + 3 * Math.cos(0.05 * t + i) + 0.3 * rnd.nextGaussian();
        FrameObservations.Cell c =
            new FrameObservations.Cell(
                cells.size() + 1,
                x,
                yy,
                150,
                (int) x - 7,
                (int) yy - 7,
                (int) x + 7,
                (int) yy + 7,
                500 * y[i],
                y[i],
                false);
        cells.add(c);
        byIndex.put(i, c);
      }
      List<FrameObservations.Neighbours> nb = new ArrayList<>();
      for (Map.Entry<Integer, FrameObservations.Cell> e : byIndex.entrySet()) {
        int i = e.getKey();
        FrameObservations.Cell a = e.getValue();
        for (int j : new int[] {i + 1, i + side}) {
          FrameObservations.Cell b = byIndex.get(j);
          if (b != null && (j != i + 1 || j % side != 0)) {
            double d = Math.hypot(a.centroidX() - b.centroidX(), a.centroidY() - b.centroidY());
            nb.add(new FrameObservations.Neighbours(a.label(), b.label(), 8, d));
          }
        }
      }
      int extent = 40 * (side + 1);
      return new FrameObservations(
          1,
          FOV,
          t,
          Instant.parse("2026-11-29T00:00:00Z").plusSeconds(t),
          t,
          extent,
          extent,
          null,
          cells,
          nb,
          null);
    }
  }

  /**
   * Bytes logged per frame by each store (store name → bytes), averaged over a window; and, at its
   * end, the bytes logged since the start (what a restore reads before the changelog is compacted)
   * and the bytes of the live entries (what it reads after compaction).
   */
  record Window(
      long fromFrame,
      long toFrame,
      Map<String, Double> bytesPerFrame,
      Map<String, Long> loggedSinceStart,
      Map<String, Long> liveBytes) {
    double total() {
      return bytesPerFrame.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double of(String store) {
      return bytesPerFrame.getOrDefault(store, 0.0);
    }
  }

  /**
   * Runs {@code n} tracks for {@code frames} frames through the whole topology; returns the bytes
   * per frame of each store over consecutive windows of {@code every} frames.
   */
  static List<Window> run(int n, int frames, int every) {
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, PipelineConfig.defaults());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "volume");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try {
      // a fresh state directory: a run killed before must not leave its stores to this one
      props.put(
          StreamsConfig.STATE_DIR_CONFIG,
          java.nio.file.Files.createTempDirectory("changelog-volume").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Window> out = new ArrayList<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, FrameObservations> in =
          driver.createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer());
      Map<String, TestOutputTopic<byte[], byte[]>> topics = new TreeMap<>();
      Map<String, Long> bytes = new TreeMap<>();
      Map<String, Long> logged = new TreeMap<>();
      Map<String, Map<String, Integer>> live = new TreeMap<>();
      GridCulture culture = new GridCulture(n, 7);
      for (long t = 0; t < frames; t++) {
        in.pipeInput(FOV, culture.next(t));
        for (String name : driver.producedTopicNames()) {
          topics.computeIfAbsent(
              name,
              k ->
                  driver.createOutputTopic(
                      k, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
        }
        for (Map.Entry<String, TestOutputTopic<byte[], byte[]>> e : topics.entrySet()) {
          if (e.getValue().isEmpty()) {
            continue;
          }
          List<TestRecord<byte[], byte[]>> records = e.getValue().readRecordsToList();
          String name = e.getKey();
          if (!name.startsWith("volume-") || !name.endsWith("-changelog")) {
            continue; // an output topic: drained, not counted
          }
          String store = name.substring("volume-".length(), name.length() - "-changelog".length());
          long b = 0;
          Map<String, Integer> entries = live.computeIfAbsent(store, k -> new TreeMap<>());
          for (TestRecord<byte[], byte[]> r : records) {
            b += r.key().length + (r.value() == null ? 0 : r.value().length);
            String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.value() == null) {
              entries.remove(key);
            } else {
              entries.put(key, r.key().length + r.value().length);
            }
          }
          bytes.merge(store, b, Long::sum);
          logged.merge(store, b, Long::sum);
        }
        if ((t + 1) % every == 0) {
          Map<String, Double> perFrame = new TreeMap<>();
          bytes.forEach((k, v) -> perFrame.put(k, v / (double) every));
          Map<String, Long> liveNow = new TreeMap<>();
          live.forEach(
              (k, v) -> liveNow.put(k, v.values().stream().mapToLong(Integer::longValue).sum()));
          out.add(new Window(t + 1 - every, t, perFrame, new TreeMap<>(logged), liveNow));
          bytes.clear();
        }
      }
    }
    return out;
  }

  static String format(int n, Window w) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d tracks, frames %d-%d: %.0f B/frame",
                n,
                w.fromFrame(),
                w.toFrame(),
                w.total()));
    w.bytesPerFrame().forEach((k, v) -> s.append(String.format(Locale.ROOT, ", %s %.0f", k, v)));
    s.append(
        String.format(
            Locale.ROOT,
            "; logged since frame 0: track stage %.2f MB, consensus stage %.2f MB;"
                + " live entries: track stage %.1f kB, consensus stage %.1f kB",
            sum(w.loggedSinceStart(), "track-") / 1e6,
            sum(w.loggedSinceStart(), "consensus-") / 1e6,
            sum(w.liveBytes(), "track-") / 1e3,
            sum(w.liveBytes(), "consensus-") / 1e3));
    return s.toString();
  }

  private static long sum(Map<String, Long> m, String prefix) {
    return m.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * With n long-lived tracks the bytes the track and consensus stages' stores log per frame do not
   * grow with the frames seen: over the last window they log at most 1.2 times what they logged
   * over the second (the first includes the start-up), each store at most 1.6 times (a trace step
   * leaving its 120-step window adds a tombstone per cell from frame 121 on). Before the writes
   * were deltas, each cell record carried its re-simulation trace (up to 120 steps, rewritten each
   * frame) and the last window logged about 3 times the second. The tracker's stores log less than
   * 200 bytes per track per frame (its whole snapshot, rewritten each frame before, ≈ 300).
   */
  @Test
  void bytesLoggedPerFrameStayFlatAsFramesGoBy() {
    String sizes = System.getProperty("cytostream.changelogTracks", "40");
    int frames = Integer.getInteger("cytostream.changelogFrames", 160);
    int every = frames / 8;
    Map<Integer, List<Window>> runs = new TreeMap<>();
    for (String size : sizes.split(",")) {
      int n = Integer.parseInt(size.trim());
      List<Window> windows = run(n, frames, every);
      windows.forEach(w -> System.out.println(format(n, w)));
      runs.put(n, windows);
    }
    runs.forEach(
        (n, windows) -> {
          Window second = windows.get(1);
          Window last = windows.get(windows.size() - 1);
          assertThat(stages(last)).as("%d tracks", n).isLessThan(1.2 * stages(second));
          for (String store : second.bytesPerFrame().keySet()) {
            if (store.startsWith("track-") || store.startsWith("consensus-")) {
              assertThat(last.of(store))
                  .as("%s with %d tracks", store, n)
                  .isLessThan(second.of(store) * 1.6 + 100);
            }
          }
          double tracker =
              last.of(TrackProcessor.STATE_STORE)
                  + last.of(TrackProcessor.TRACKS_STORE)
                  + last.of(TrackProcessor.HELD_STORE);
          assertThat(last.of(TrackProcessor.TRACKS_STORE)).isGreaterThan(n * 50.0);
          assertThat(tracker / n).as("tracker bytes per track, %d tracks", n).isLessThan(200);
        });
  }

  /** Bytes per frame of the track and consensus stages' stores. */
  private static double stages(Window w) {
    return w.bytesPerFrame().entrySet().stream()
        .filter(e -> e.getKey().startsWith("track-") || e.getKey().startsWith("consensus-"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
