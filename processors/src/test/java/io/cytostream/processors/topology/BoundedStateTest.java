package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.consensus.CellRecord;
import io.cytostream.processors.consensus.FovRecord;
import io.cytostream.processors.track.TrackerSnapshot;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.Topics;
import io.cytostream.state.consensus.StreamingCrlsm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Bounded state for week-long runs: a small culture whose cells divide continually (and whose
 * surplus cells die) runs through the track and consensus stages (real stores, serdes and
 * processors in {@link TopologyTestDriver}). With retirement (the default) the stores, the
 * published {@code consensus.fov} record and the state rewritten per frame stay flat; without it
 * the cell store and the estimate grow with every division. k is the same with and without
 * retirement.
 *
 * <p>CI runs {@value #CI_FRAMES} frames; the 100,000-frame run is {@code mvn -o -B -pl processors
 * -am -Dtest=BoundedStateTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcytostream.boundedFrames=100000 test} (figures in README, "Bounded state").
 */
class BoundedStateTest {
  static final int CI_FRAMES = 3_000;
  static final String FOV = "bounded/fov-1";

  /**
   * Four slots 60 px apart, each holding a cell that divides after 20–40 frames into two daughters
   * 10 px apart; 10–20 frames later one daughter dies and the other moves back to the slot centre.
   */
  static final class DividingCulture {
    private final Random rnd;
    private final double[][] slots = {{60, 60}, {120, 60}, {60, 120}, {120, 120}};
    // per slot: {dx, area, age, life, y, gamma}
    private final List<List<double[]>> cells = new ArrayList<>();
    private final String fov;

    DividingCulture(long seed) {
      this(seed, FOV);
    }

    DividingCulture(long seed, String fov) {
      this.fov = fov;
      rnd = new Random(seed);
      for (int s = 0; s < slots.length; s++) {
        List<double[]> one = new ArrayList<>();
        one.add(new double[] {0, 200, rnd.nextInt(20), 20 + rnd.nextInt(21), 0.5, gamma()});
        cells.add(one);
      }
    }

    private double gamma() {
      return 0.002 * (rnd.nextDouble() - 0.5);
    }

    FrameObservations next(long t) {
      for (List<double[]> slot : cells) {
        for (double[] c : slot) {
          c[2]++;
          c[1] = Math.min(200, c[1] + 5);
        }
        if (slot.size() == 1 && slot.get(0)[2] >= slot.get(0)[3]) {
          double[] m = slot.remove(0);
          slot.add(new double[] {m[0] - 5, 100, 0, 10 + rnd.nextInt(11), m[4], gamma()});
          slot.add(new double[] {m[0] + 5, 100, 0, 10 + rnd.nextInt(11), m[4], gamma()});
        } else if (slot.size() == 2 && slot.get(0)[2] >= slot.get(0)[3]) {
          slot.remove(rnd.nextInt(2));
          slot.get(0)[2] = 0;
          slot.get(0)[3] = 20 + rnd.nextInt(21);
        } else if (slot.size() == 1) {
          slot.get(0)[0] -= Math.signum(slot.get(0)[0]) * Math.min(1, Math.abs(slot.get(0)[0]));
        }
      }
      List<FrameObservations.Cell> out = new ArrayList<>();
      int label = 1;
      for (int s = 0; s < slots.length; s++) {
        for (double[] c : cells.get(s)) {
          double x = slots[s][0] + c[0] + 0.3 * rnd.nextGaussian();
          double y = slots[s][1] + 0.3 * rnd.nextGaussian();
          int r = (int) Math.round(Math.sqrt(c[1] / Math.PI));
          double yNorm = c[4];
          out.add(
              new FrameObservations.Cell(
                  label++,
                  x,
                  y,
                  (int) c[1],
                  (int) x - r,
                  (int) y - r,
                  (int) x + r,
                  (int) y + r,
                  500 * yNorm,
                  yNorm,
                  false));
        }
      }
      // the consensus model, dy/dt = k φ + γ_i (k = 0.02 /s, Δt = 1 s), plus a weak pull to 0.5
      // that keeps y bounded over any run, and noise
      List<double[]> all = new ArrayList<>();
      cells.forEach(all::addAll);
      double[] next = new double[all.size()];
      for (int i = 0; i < all.size(); i++) {
        double phi = 0;
        int n = 0;
        for (int j = 0; j < all.size(); j++) {
          double d =
              Math.hypot(
                  out.get(i).centroidX() - out.get(j).centroidX(),
                  out.get(i).centroidY() - out.get(j).centroidY());
          if (j != i && d < 70) {
            phi += d * 8 / 1000.0 * (all.get(j)[4] - all.get(i)[4]);
            n++;
          }
        }
        double y = all.get(i)[4];
        next[i] =
            y
                + 0.02 * (n > 0 ? phi / n : 0)
                + all.get(i)[5]
                - 0.01 * (y - 0.5)
                + 0.002 * rnd.nextGaussian();
      }
      for (int i = 0; i < all.size(); i++) {
        all.get(i)[4] = next[i];
      }
      List<FrameObservations.Neighbours> nb = new ArrayList<>();
      for (int i = 0; i < out.size(); i++) {
        for (int j = i + 1; j < out.size(); j++) {
          double d =
              Math.hypot(
                  out.get(i).centroidX() - out.get(j).centroidX(),
                  out.get(i).centroidY() - out.get(j).centroidY());
          if (d < 70) {
            nb.add(new FrameObservations.Neighbours(i + 1, j + 1, 8, d));
          }
        }
      }
      return new FrameObservations(
          1,
          fov,
          t,
          Instant.parse("2026-11-29T00:00:00Z").plusSeconds(t),
          t,
          200,
          200,
          null,
          out,
          nb,
          null);
    }
  }

  /** One checkpoint of a run. */
  record Checkpoint(
      long frame,
      int cellRecords,
      long cellStoreBytes,
      long fovRecordBytes,
      long trackStateBytes,
      int bufferedFrames,
      long estimateBytes,
      int estimateGammas,
      double k,
      double msPerFrame,
      double changelogBytesPerFrame) {}

  /** Runs the culture for {@code frames} frames and returns a checkpoint every {@code every}. */
  static List<Checkpoint> run(int frames, int every, int retireAfterFrames, long[] divisions) {
    PipelineConfig base = PipelineConfig.defaults();
    PipelineConfig config =
        base.toBuilder()
            .consensus(base.consensus().withRetireAfterFrames(retireAfterFrames))
            .build();
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-state");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    try {
      // its own state directory: the default one is shared with any other run of this test
      props.put(
          StreamsConfig.STATE_DIR_CONFIG,
          java.nio.file.Files.createTempDirectory("bounded-state").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JsonSerde<CellRecord> cellSerde = new JsonSerde<>(CellRecord.class);
    JsonSerde<FovRecord> fovSerde = new JsonSerde<>(FovRecord.class);
    JsonSerde<TrackStageState> trackSerde = new JsonSerde<>(TrackStageState.class);
    List<Checkpoint> out = new ArrayList<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, FrameObservations> in =
          driver.createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Serdes.String().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer());
      TestOutputTopic<String, byte[]> consensus =
          driver.createOutputTopic(
              Topics.CONSENSUS.name(),
              Serdes.String().deserializer(),
              Serdes.ByteArray().deserializer());
      TestOutputTopic<String, LifecycleEvent> lifecycle =
          driver.createOutputTopic(
              Topics.CELLS_LIFECYCLE.name(),
              Serdes.String().deserializer(),
              Topics.CELLS_LIFECYCLE.valueSerde().deserializer());
      // the stores' changelog records (TopologyTestDriver keeps what the stores log): bytes written
      List<TestOutputTopic<byte[], byte[]>> changelogs = new ArrayList<>();
      for (String store :
          List.of(
              TrackProcessor.STATE_STORE,
              TrackProcessor.FRAMES_STORE,
              TrackProcessor.SOURCES_STORE,
              TrackProcessor.TRACKS_STORE,
              TrackProcessor.HELD_STORE,
              ConsensusProcessor.FOV_STORE,
              ConsensusProcessor.CELL_STORE,
              ConsensusProcessor.TRACE_STORE)) {
        changelogs.add(
            driver.createOutputTopic(
                "bounded-state-" + store + "-changelog",
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()));
      }
      long changelogBytes = 0;
      List<TestOutputTopic<byte[], byte[]>> drained = new ArrayList<>();
      for (String t :
          List.of(
              Topics.CELLS_STATE.name(),
              Topics.EVENTS_ANOMALY.name(),
              Topics.TRACKS.name(),
              Topics.FRAMES_DLQ.name())) {
        drained.add(
            driver.createOutputTopic(
                t, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
      }
      KeyValueStore<String, CellRecord> cells =
          driver.getKeyValueStore(ConsensusProcessor.CELL_STORE);
      KeyValueStore<String, FovRecord> fovs = driver.getKeyValueStore(ConsensusProcessor.FOV_STORE);
      KeyValueStore<String, TrackStageState> tracks =
          driver.getKeyValueStore(TrackProcessor.STATE_STORE);
      KeyValueStore<String, FrameObservations> buffered =
          driver.getKeyValueStore(TrackProcessor.FRAMES_STORE);
      DividingCulture culture = new DividingCulture(42);
      byte[] lastEstimate = null;
      long t0 = System.nanoTime();
      for (long t = 0; t < frames; t++) {
        in.pipeInput(FOV, culture.next(t));
        if (!consensus.isEmpty()) {
          List<byte[]> values = consensus.readValuesToList();
          lastEstimate = values.get(values.size() - 1);
        }
        for (LifecycleEvent e : lifecycle.readValuesToList()) {
          if ("division".equals(e.data().kind())) {
            divisions[0]++;
          }
        }
        for (TestOutputTopic<byte[], byte[]> o : drained) {
          if (!o.isEmpty()) {
            o.readRecordsToList();
          }
        }
        for (TestOutputTopic<byte[], byte[]> o : changelogs) {
          for (var r : o.readRecordsToList()) {
            changelogBytes += r.key().length + (r.value() == null ? 0 : r.value().length);
          }
        }
        if ((t + 1) % every == 0) {
          long t1 = System.nanoTime();
          int n = 0;
          long bytes = 0;
          try (KeyValueIterator<String, CellRecord> it = cells.all()) {
            while (it.hasNext()) {
              KeyValue<String, CellRecord> kv = it.next();
              n++;
              bytes += cellSerde.serializer().serialize("", kv.value).length;
            }
          }
          int waiting = 0;
          try (KeyValueIterator<String, FrameObservations> it = buffered.all()) {
            while (it.hasNext()) {
              it.next();
              waiting++;
            }
          }
          ConsensusEstimate est =
              Topics.CONSENSUS.valueSerde().deserializer().deserialize("", lastEstimate);
          out.add(
              new Checkpoint(
                  t,
                  n,
                  bytes,
                  fovSerde.serializer().serialize("", fovs.get(FOV)).length,
                  trackSerde.serializer().serialize("", tracks.get(FOV)).length
                      + entryBytes(driver, TrackProcessor.TRACKS_STORE, new TrackStateSerde())
                      + entryBytes(
                          driver,
                          TrackProcessor.HELD_STORE,
                          new JsonSerde<>(TrackerSnapshot.HeldFrame.class)),
                  waiting,
                  lastEstimate.length,
                  est.gamma().size(),
                  est.k(),
                  (t1 - t0) / 1e6 / every,
                  changelogBytes / (double) every));
          changelogBytes = 0;
          System.out.println(format(out.get(out.size() - 1)));
          t0 = System.nanoTime();
        }
      }
    }
    return out;
  }

  @Test
  void stateMessagesAndWorkStayFlatThroughContinualDivisions() {
    int frames = Integer.getInteger("cytostream.boundedFrames", CI_FRAMES);
    assertThat(frames).isGreaterThanOrEqualTo(1000);
    int every = frames / 10;
    long[] divisions = {0};
    List<Checkpoint> bounded = run(frames, every, 50, divisions);
    // thousands of divisions, each a new pair of track ids
    assertThat(divisions[0]).isGreaterThan(frames / 50);
    Checkpoint first = max(bounded.subList(0, 3));
    for (Checkpoint c : bounded) {
      // the cells of the last 50 frames (4 slots × (mother + 2 daughters) + recent ones) and the
      // retired cells the CRLSM keeps whole
      assertThat(c.cellRecords())
          .as("cell records at %d", c.frame())
          .isLessThan(40 + StreamingCrlsm.KEPT_RETIRED);
      assertThat(c.estimateGammas()).as("γ in consensus.fov at %d", c.frame()).isLessThan(60);
      assertThat(c.bufferedFrames()).isLessThan(5);
      // flat: no checkpoint needs more than 1.5 × the largest of the first three
      assertThat(c.cellStoreBytes()).isLessThan(first.cellStoreBytes() * 3 / 2);
      assertThat(c.fovRecordBytes()).isLessThan(first.fovRecordBytes() * 3 / 2);
      assertThat(c.trackStateBytes()).isLessThan(first.trackStateBytes() * 3 / 2);
      assertThat(c.estimateBytes()).isLessThan(first.estimateBytes() * 3 / 2);
      assertThat(c.changelogBytesPerFrame()).isLessThan(first.changelogBytesPerFrame() * 1.5);
    }
  }

  /**
   * The same culture without retirement: the cell store and the estimate grow with every division
   * (what the bounded run prevents), and k is the same as with retirement.
   */
  @Test
  void withoutRetirementStateGrowsAndKIsTheSame() {
    long[] divisions = {0};
    List<Checkpoint> kept = run(1500, 500, 0, divisions);
    List<Checkpoint> bounded = run(1500, 500, 50, divisions);
    assertThat(kept.get(2).cellRecords()).isGreaterThan(2 * kept.get(0).cellRecords());
    assertThat(kept.get(2).estimateBytes()).isGreaterThan(2 * kept.get(0).estimateBytes());
    for (int i = 0; i < kept.size(); i++) {
      double k = kept.get(i).k();
      assertThat(bounded.get(i).k()).isCloseTo(k, within(1e-6 * Math.abs(k)));
      assertThat(bounded.get(i).cellRecords()).isLessThan(kept.get(i).cellRecords());
    }
  }

  /** Bytes of the values of a store (the one FOV's entries). */
  private static <V> long entryBytes(TopologyTestDriver driver, String store, Serde<V> serde) {
    KeyValueStore<String, V> s = driver.getKeyValueStore(store);
    long bytes = 0;
    try (KeyValueIterator<String, V> it = s.all()) {
      while (it.hasNext()) {
        bytes += serde.serializer().serialize("", it.next().value).length;
      }
    }
    return bytes;
  }

  /** The largest figures of some checkpoints. */
  private static Checkpoint max(List<Checkpoint> cs) {
    return new Checkpoint(
        0,
        cs.stream().mapToInt(Checkpoint::cellRecords).max().orElseThrow(),
        cs.stream().mapToLong(Checkpoint::cellStoreBytes).max().orElseThrow(),
        cs.stream().mapToLong(Checkpoint::fovRecordBytes).max().orElseThrow(),
        cs.stream().mapToLong(Checkpoint::trackStateBytes).max().orElseThrow(),
        0,
        cs.stream().mapToLong(Checkpoint::estimateBytes).max().orElseThrow(),
        0,
        0,
        0,
        cs.stream().mapToDouble(Checkpoint::changelogBytesPerFrame).max().orElseThrow());
  }

  private static String format(Checkpoint c) {
    return String.format(
        Locale.ROOT,
        "frame %d: %d cell records (%d B), fov record %d B, track state %d B, %d buffered,"
            + " consensus.fov %d B with %d γ, k %.6g, changelogs %.0f B/frame, %.3f ms/frame",
        c.frame() + 1,
        c.cellRecords(),
        c.cellStoreBytes(),
        c.fovRecordBytes(),
        c.trackStateBytes(),
        c.bufferedFrames(),
        c.estimateBytes(),
        c.estimateGammas(),
        c.k(),
        c.changelogBytesPerFrame(),
        c.msPerFrame());
  }
}
