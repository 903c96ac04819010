package io.cytostream.ingest.sim;

import io.cytostream.ingest.tiff.TiffWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes a simulated sequence in Cell Tracking Challenge layout:
 *
 * <pre>
 *   DIR/01/tTTT.tif                  raw frames, uint16, uncompressed (a dropped frame has none)
 *   DIR/01_GT/TRA/man_track.txt      one line "L B E P" per track, by label
 *   DIR/01_GT/TRA/man_trackTTT.tif   label images, uint16, deflate; label = track label
 *   DIR/01_GT/SEG/man_segTTT.tif     the same label images
 *   DIR/truth.json                   {@link SimulationTruth}
 * </pre>
 *
 * TTT has 3 digits, or as many as the last frame index needs when there are 1000 frames or more.
 * The target must not hold an earlier sequence. The ground truth is valid for the CTC evaluator
 * (every label of man_track.txt is present in exactly the frames B..E; a parent ends the frame
 * before its daughters begin), so the ground truth scored against itself gives 1.0.
 */
public final class CtcWriter {

  /**
   * What was written.
   *
   * @param directory the target directory
   * @param frames frames simulated (and label images written)
   * @param rawFrames raw frames written (frames minus dropped ones)
   * @param tracks tracks in man_track.txt
   * @param divisions parent tracks (tracks that have a daughter)
   * @param maxEulerGain the largest Euler gain met (stable below 1)
   */
  public record Summary(
      Path directory, int frames, int rawFrames, int tracks, int divisions, double maxEulerGain) {}

  private CtcWriter() {}

  /** Simulates {@code config} and writes it into {@code dir} (created if needed). */
  public static Summary write(SimulationConfig config, Path dir) throws IOException {
    return write(new CultureSimulator(config), dir);
  }

  /**
   * Runs {@code simulator} to its end and writes every frame into {@code dir}.
   *
   * @throws IllegalArgumentException when the simulator has already produced frames, or {@code
   *     dir/01} or {@code dir/01_GT} exists and is not empty (stale frames of an earlier run would
   *     mix with the new ones)
   */
  public static Summary write(CultureSimulator simulator, Path dir) throws IOException {
    if (simulator.nextIndex() != 0) {
      throw new IllegalArgumentException("the simulator has already produced frames");
    }
    for (String sub : new String[] {"01", "01_GT"}) {
      Path p = dir.resolve(sub);
      if (Files.isDirectory(p)) {
        try (Stream<Path> entries = Files.list(p)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(p + " is not empty");
          }
        }
      }
    }
    SimulationConfig cfg = simulator.config();
    int digits = Math.max(3, String.valueOf(cfg.frames() - 1).length());
    String pattern = "%0" + digits + "d";
    Path raw = Files.createDirectories(dir.resolve("01"));
    Path tra = Files.createDirectories(dir.resolve("01_GT").resolve("TRA"));
    Path seg = Files.createDirectories(dir.resolve("01_GT").resolve("SEG"));
    List<SimulationTruth.Frame> frames = new ArrayList<>(cfg.frames());
    List<InjectedAnomaly> anomalies = new ArrayList<>();
    int rawFrames = 0;
    while (simulator.hasNext()) {
      SimulatedFrame f = simulator.next();
      String t = String.format(Locale.ROOT, pattern, f.index());
      if (!f.dropped()) {
        TiffWriter.write(raw.resolve("t" + t + ".tif"), f.raw(), TiffWriter.Compression.NONE);
        rawFrames++;
      }
      Path labels = tra.resolve("man_track" + t + ".tif");
      TiffWriter.writeUint16(
          labels, f.width(), f.height(), f.labels(), TiffWriter.Compression.DEFLATE);
      Files.copy(labels, seg.resolve("man_seg" + t + ".tif"), StandardCopyOption.REPLACE_EXISTING);
      frames.add(SimulationTruth.frame(f));
      anomalies.addAll(f.anomalies());
    }
    List<TrackRecord> tracks = simulator.tracks();
    Set<Integer> parents = new TreeSet<>();
    try (BufferedWriter w =
        Files.newBufferedWriter(tra.resolve("man_track.txt"), StandardCharsets.US_ASCII)) {
      for (TrackRecord r : tracks) {
        w.write(r.label() + " " + r.begin() + " " + r.end() + " " + r.parent() + "\n");
        if (r.parent() != 0) {
          parents.add(r.parent());
        }
      }
    }
    new SimulationTruth(
            SimulationTruth.FORMAT,
            cfg,
            SimulationTruth.model(cfg, simulator.maxEulerGain()),
            SimulationTruth.render(cfg),
            tracks,
            anomalies,
            frames)
        .write(dir.resolve("truth.json"));
    return new Summary(
        dir, cfg.frames(), rawFrames, tracks.size(), parents.size(), simulator.maxEulerGain());
  }
}
