package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output regression guard: SHA-256 hashes of the frames (raw pixels, label images, per-cell truth,
 * injected anomalies), the tracks and the CTC directory (raw TIFFs, man_track.txt, truth.json) of
 * three small seeded runs, recorded before the simulator was split into classes. A change of the
 * simulator that moves any random draw, any arithmetic feeding the output or the truth.json layout
 * fails here; an intended change of the output must update the hashes and say so in its commit.
 *
 * <p>The runs cover every anomaly type, divisions, drift, a border margin, no junction gap and no
 * read-out noise. The hashes hold on any JVM: the simulator draws from SplitMix64 streams and uses
 * {@link StrictMath} for everything that feeds the output.
 */
class SimulatorOutputRegressionTest {

  /** Every anomaly type, frequent divisions, fast drift. */
  static SimulationConfig everyAnomaly() {
    return SimulationConfig.builder()
        .size(192, 160)
        .cells(30)
        .frames(48)
        .seed(5)
        .divisionProbability(0.03)
        .driftSpeed(0.6)
        .anomaly(AnomalySpec.of(AnomalyType.SPIKE, 6))
        .anomaly(AnomalySpec.of(AnomalyType.ABERRANT_CELL, 9))
        .anomaly(AnomalySpec.of(AnomalyType.MODEL_DRIFT, 12))
        .anomaly(AnomalySpec.of(AnomalyType.AREA_CHANGE, 15))
        .anomaly(AnomalySpec.of(AnomalyType.TRACK_LOST, 18))
        .anomaly(AnomalySpec.of(AnomalyType.DROPPED_FRAME, 21))
        .anomaly(AnomalySpec.of(AnomalyType.HOT_PIXEL_BURST, 24))
        .anomaly(AnomalySpec.of(AnomalyType.INTENSITY_COLLAPSE, 27))
        .anomaly(AnomalySpec.of(AnomalyType.SATURATION, 30))
        .anomaly(AnomalySpec.of(AnomalyType.AREA_CHANGE, 33, -0.5))
        .anomaly(AnomalySpec.of(AnomalyType.SATURATION, 36, 4.0))
        .build();
  }

  /** The defaults on a smaller image and run. */
  static SimulationConfig plain() {
    return SimulationConfig.builder().size(256, 256).cells(40).frames(25).seed(2).build();
  }

  /** Border margin, no junction gap, no read-out noise, many hot pixels, other interval. */
  static SimulationConfig variants() {
    return SimulationConfig.builder()
        .size(160, 200)
        .cells(24)
        .frames(30)
        .seed(9)
        .borderMargin(3)
        .gapWidth(0)
        .noise(3.0, 0)
        .hotPixelRate(1e-3)
        .frameIntervalSeconds(0.5)
        .divisionProbability(0.02)
        .build();
  }

  static final String EVERY_ANOMALY_FRAMES =
      "3e643cd583d1acc1ade189b218006fc3c58f6d96cfe85db7e060d3f9c3d7a542";
  static final String EVERY_ANOMALY_FILES =
      "0ac60814b1b9f8e00fd4521f493727302abe14c9c7dd6449fa7e1b17b5375dd7";
  static final String PLAIN_FRAMES =
      "039045f946980efd33ed523bf92afbdfe83d6ed4148ffc5637426f69f5a54282";
  static final String PLAIN_FILES =
      "8f4444ff921a45956b535b12d3d1704585254029c60e2366998f8db8424b351a";
  static final String VARIANTS_FRAMES =
      "47772fcf5b5ba7a7c90f79a6d6f32dc1a3efc941369628f5fbb60354b93410df";
  static final String VARIANTS_FILES =
      "65387e719a9aba9d128d46f676c00ee92b53ca782f77162d5fd8c15ea3b4fd28";

  @Test
  void everyAnomalyRunInjectsEveryTypeAndDivides() {
    CultureSimulator sim = new CultureSimulator(everyAnomaly());
    List<InjectedAnomaly> injected = sim.stream().flatMap(f -> f.anomalies().stream()).toList();
    assertThat(injected).hasSize(everyAnomaly().anomalies().size()).allMatch(a -> a.applied());
    assertThat(injected.stream().map(InjectedAnomaly::type).distinct())
        .hasSize(AnomalyType.values().length);
    assertThat(sim.tracks().stream().filter(t -> t.parent() != 0).count())
        .as("daughter tracks")
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void everyAnomalyRunIsUnchanged(@TempDir Path dir) throws IOException {
    check(everyAnomaly(), dir, EVERY_ANOMALY_FRAMES, EVERY_ANOMALY_FILES);
  }

  @Test
  void plainRunIsUnchanged(@TempDir Path dir) throws IOException {
    check(plain(), dir, PLAIN_FRAMES, PLAIN_FILES);
  }

  @Test
  void variantsRunIsUnchanged(@TempDir Path dir) throws IOException {
    check(variants(), dir, VARIANTS_FRAMES, VARIANTS_FILES);
  }

  private static void check(SimulationConfig cfg, Path dir, String frames, String files)
      throws IOException {
    String f = framesHash(cfg);
    String d = filesHash(cfg, dir);
    System.out.printf("seed %d: frames %s files %s%n", cfg.seed(), f, d);
    assertThat(f).as("frames hash").isEqualTo(frames);
    assertThat(d).as("CTC directory hash").isEqualTo(files);
  }

  /** Hash of every frame's content and of the tracks, in memory. */
  static String framesHash(SimulationConfig cfg) {
    MessageDigest md = sha256();
    CultureSimulator sim = new CultureSimulator(cfg);
    while (sim.hasNext()) {
      SimulatedFrame f = sim.next();
      ByteBuffer head = ByteBuffer.allocate(32);
      head.putInt(f.index()).putDouble(f.timeSeconds()).put((byte) (f.dropped() ? 1 : 0));
      head.putDouble(f.k());
      md.update(head.array(), 0, head.position());
      md.update(f.raw().pixels());
      ByteBuffer labels = ByteBuffer.allocate(2 * f.labels().length);
      labels.asShortBuffer().put(f.labels());
      md.update(labels.array());
      for (CellTruth c : f.cells()) {
        md.update(c.toString().getBytes(StandardCharsets.UTF_8));
      }
      for (InjectedAnomaly a : f.anomalies()) {
        md.update(a.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    md.update(sim.tracks().toString().getBytes(StandardCharsets.UTF_8));
    md.update(Double.toString(sim.maxEulerGain()).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Hash of the CTC directory: raw TIFFs, man_track.txt and truth.json (the deflated label TIFFs
   * are left out: their bytes depend on the zlib build; the labels are in {@link #framesHash}).
   */
  static String filesHash(SimulationConfig cfg, Path dir) throws IOException {
    CtcWriter.write(cfg, dir);
    MessageDigest md = sha256();
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("man_seg"))
              .filter(
                  p ->
                      !p.getFileName().toString().startsWith("man_track")
                          || p.getFileName().toString().endsWith(".txt"))
              .sorted()
              .toList();
    }
    for (Path p : files) {
      md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(p));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
