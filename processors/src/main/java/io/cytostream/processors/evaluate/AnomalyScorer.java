package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.InjectedAnomaly;
import io.cytostream.ingest.sim.SimulationTruth;
import io.cytostream.ingest.sim.TrackRecord;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Scores the anomaly events of a {@code process} run of a simulated culture against the anomalies
 * the simulator injected ({@code truth.json}).
 *
 * <p><b>Right track.</b> The simulator names a cell by its ground-truth label; the pipeline names a
 * track id. They are related through the masks: in each frame, the result object that covers more
 * than half of the true cell's pixels (the CTC matching rule) is that cell's object there, and its
 * track id is read from {@code cells.csv} (the row of that frame whose centroid is the object's
 * centroid). The right tracks of an injected anomaly at frame f are the track ids of its cell in
 * frames f − 2 … f + 3 (a lost cell is gone from frame f on, so its last sightings count).
 *
 * <p><b>Matching.</b> An event detects an injected anomaly when it has the anomaly's kind, its
 * frame is in [f, f + {@value #WINDOW}], and it names a right track; an event with track id 0 (the
 * pipeline raised a frame-level event) or an anomaly the simulator injected at frame level needs no
 * track. Recall of a kind = detected injections / injections. An event is true when it detects an
 * injection of its kind; for the persistent kinds ({@code aberrant_cell}, {@code model_drift}: the
 * changed γ or k stays) an event at any later frame naming the cell (or a daughter) also counts as
 * true, and their recall is also given without the frame limit ("any delay"). Precision of a kind =
 * true events / events of that kind. Kinds the simulator cannot inject ({@code division}, {@code
 * out_of_order_frame}) are only counted.
 *
 * <p><b>Rates.</b> Cell-frames are the true cells summed over frames (truth.json); the event rate
 * is events per 10⁴ cell-frames.
 */
public final class AnomalyScorer {
  /** Frames after the onset within which an event must come. */
  public static final int WINDOW = 3;

  private static final Pattern TRA = Pattern.compile("man_track(\\d+)\\.tif");
  private static final Pattern MASK = Pattern.compile("mask(\\d+)\\.tif");

  private AnomalyScorer() {}

  /**
   * One kind's counts.
   *
   * @param kind the event kind (wire name)
   * @param injected injections (applied ones)
   * @param detected injections detected within the window on the right track
   * @param detectedAnyDelay injections detected at any frame from the onset on, right track
   * @param events events of this kind
   * @param trueEvents events that detect an injection
   * @param delays frames from onset to the first detecting event, per detected injection (any
   *     delay)
   */
  public record KindCounts(
      String kind,
      int injected,
      int detected,
      int detectedAnyDelay,
      int events,
      int trueEvents,
      List<Integer> delays) {

    /** detected / injected, or null without injections. */
    public Double recall() {
      return injected == 0 ? null : detected / (double) injected;
    }

    /** true events / events, or null without events. */
    public Double precision() {
      return events == 0 ? null : trueEvents / (double) events;
    }

    /** Sums two counts of the same kind. */
    public KindCounts plus(KindCounts o) {
      List<Integer> d = new ArrayList<>(delays);
      d.addAll(o.delays);
      return new KindCounts(
          kind,
          injected + o.injected,
          detected + o.detected,
          detectedAnyDelay + o.detectedAnyDelay,
          events + o.events,
          trueEvents + o.trueEvents,
          List.copyOf(d));
    }
  }

  /**
   * The outcome of one culture.
   *
   * @param cellFrames true cells summed over frames
   * @param kinds per kind (every kind with an injection or an event), by kind
   */
  public record Outcome(long cellFrames, Map<String, KindCounts> kinds) {
    /** Events of kinds other than those given, per 10⁴ cell-frames. */
    public double ratePer10k(Set<String> excludedKinds) {
      long n = 0;
      for (KindCounts k : kinds.values()) {
        if (!excludedKinds.contains(k.kind())) {
          n += k.events();
        }
      }
      return cellFrames == 0 ? 0 : n * 1e4 / cellFrames;
    }
  }

  /** Reads {@code events.jsonl}. */
  public static List<AnomalyEvent> readEvents(Path file) throws IOException {
    List<AnomalyEvent> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(Json.mapper().readValue(line, AnomalyEvent.class));
      }
    }
    return out;
  }

  /**
   * Scores one culture.
   *
   * @param simDir the simulated sequence ({@code truth.json}, {@code 01_GT/TRA})
   * @param resDir the {@code process} result ({@code events.jsonl}, {@code cells.csv}, masks)
   */
  public static Outcome score(Path simDir, Path resDir) throws IOException {
    SimulationTruth truth = SimulationTruth.read(simDir.resolve("truth.json"));
    List<AnomalyEvent> events = readEvents(resDir.resolve("events.jsonl"));
    long cellFrames = 0;
    for (SimulationTruth.Frame f : truth.frames()) {
      cellFrames += f.cells().size();
    }
    List<InjectedAnomaly> injected =
        truth.anomalies().stream().filter(InjectedAnomaly::applied).toList();
    TrackIds ids = null;
    if (injected.stream().anyMatch(a -> a.trackLabel() != 0)) {
      ids = TrackIds.of(simDir.resolve("01_GT/TRA"), resDir);
    }
    Map<Integer, TrackRecord> tracks = new HashMap<>();
    for (TrackRecord r : truth.tracks()) {
      tracks.put(r.label(), r);
    }
    Map<String, int[]> counts = new TreeMap<>(); // injected, detected, anyDelay, events, true
    Map<String, List<Integer>> delays = new TreeMap<>();
    Set<AnomalyEvent> trueEvents = new HashSet<>();
    for (InjectedAnomaly a : injected) {
      String kind = a.type().wireName();
      int[] c = counts.computeIfAbsent(kind, k -> new int[5]);
      c[0]++;
      boolean persistent = persistent(a.type());
      Set<Long> near = Set.of();
      Set<Long> later = Set.of();
      if (a.trackLabel() != 0) {
        near = ids.tracksOf(Set.of(a.trackLabel()), a.frame() - 2, a.frame() + WINDOW);
        later =
            persistent
                ? ids.tracksOf(lineage(a.trackLabel(), tracks), a.frame() - 2, Integer.MAX_VALUE)
                : near;
      }
      boolean inWindow = false;
      Integer firstDelay = null;
      for (AnomalyEvent e : events) {
        if (!e.data().kind().equals(kind) || e.data().frame() < a.frame()) {
          continue;
        }
        long delay = e.data().frame() - a.frame();
        boolean frameLevel = a.trackLabel() == 0 || e.data().trackId() == 0;
        boolean window = delay <= WINDOW && (frameLevel || near.contains(e.data().trackId()));
        boolean any = frameLevel || later.contains(e.data().trackId());
        if (window) {
          inWindow = true;
          trueEvents.add(e);
        } else if (persistent && any) {
          trueEvents.add(e);
        }
        if ((window || any) && (firstDelay == null || delay < firstDelay)) {
          firstDelay = (int) delay;
        }
      }
      if (inWindow) {
        c[1]++;
      }
      if (firstDelay != null && (persistent || inWindow)) {
        c[2]++;
        delays.computeIfAbsent(kind, k -> new ArrayList<>()).add(firstDelay);
      }
    }
    for (AnomalyEvent e : events) {
      int[] c = counts.computeIfAbsent(e.data().kind(), k -> new int[5]);
      c[3]++;
      if (trueEvents.contains(e)) {
        c[4]++;
      }
    }
    Map<String, KindCounts> kinds = new TreeMap<>();
    counts.forEach(
        (k, c) ->
            kinds.put(
                k,
                new KindCounts(
                    k,
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    c[4],
                    List.copyOf(delays.getOrDefault(k, List.of())))));
    return new Outcome(cellFrames, kinds);
  }

  /** Whether an injected kind persists after its onset (the changed parameter stays). */
  static boolean persistent(AnomalyType t) {
    return t == AnomalyType.ABERRANT_CELL || t == AnomalyType.MODEL_DRIFT;
  }

  /** A track and its descendants (daughters inherit an aberrant γ). */
  private static Set<Integer> lineage(int label, Map<Integer, TrackRecord> tracks) {
    Set<Integer> out = new HashSet<>();
    out.add(label);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (TrackRecord r : tracks.values()) {
        if (r.parent() != 0 && out.contains(r.parent()) && out.add(r.label())) {
          grew = true;
        }
      }
    }
    return out;
  }

  /** Per frame, the pipeline's track id of each true cell (through the masks and cells.csv). */
  static final class TrackIds {
    /** frame -> true label -> track id. */
    private final Map<Integer, Map<Integer, Long>> byFrame = new TreeMap<>();

    static TrackIds of(Path gtTraDir, Path resDir) throws IOException {
      Map<Integer, List<double[]>> rows = new HashMap<>(); // frame -> {trackId, cx, cy}
      List<String> lines = Files.readAllLines(resDir.resolve("cells.csv"), StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        String[] p = line.split(",");
        rows.computeIfAbsent(Integer.parseInt(p[0]), k -> new ArrayList<>())
            .add(
                new double[] {
                  Long.parseLong(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3])
                });
      }
      Map<Integer, Path> masks = new HashMap<>();
      for (Path f : CtcFiles.numbered(resDir, MASK)) {
        masks.put(CtcFiles.number(f, MASK), f);
      }
      TrackIds ids = new TrackIds();
      int[] size = new int[2];
      for (Path g : CtcFiles.numbered(gtTraDir, TRA)) {
        int t = CtcFiles.number(g, TRA);
        Path m = masks.get(t);
        List<double[]> cells = rows.get(t);
        if (m == null || cells == null) {
          continue;
        }
        int[] gt = CtcFiles.readLabels(g, size);
        int w = size[0];
        int[] res = CtcFiles.readLabels(m, size);
        ids.byFrame.put(t, frame(gt, res, w, cells));
      }
      return ids;
    }

    private static Map<Integer, Long> frame(int[] gt, int[] res, int w, List<double[]> cells) {
      Map<Integer, double[]> resAcc = new HashMap<>(); // label -> {n, sx, sy}
      Map<Integer, Integer> gtArea = new HashMap<>();
      Map<Long, Integer> overlap = new HashMap<>();
      for (int i = 0; i < gt.length; i++) {
        int r = res[i];
        if (r != 0) {
          double[] a = resAcc.computeIfAbsent(r, k -> new double[3]);
          a[0]++;
          a[1] += i % w;
          a[2] += i / w;
        }
        if (gt[i] != 0) {
          gtArea.merge(gt[i], 1, Integer::sum);
          if (r != 0) {
            overlap.merge(((long) gt[i] << 32) | r, 1, Integer::sum);
          }
        }
      }
      Map<Integer, Long> trackOfLabel = new HashMap<>();
      resAcc.forEach(
          (label, a) -> {
            double cx = a[1] / a[0];
            double cy = a[2] / a[0];
            double best = Double.MAX_VALUE;
            long id = 0;
            for (double[] c : cells) {
              double d = (c[1] - cx) * (c[1] - cx) + (c[2] - cy) * (c[2] - cy);
              if (d < best) {
                best = d;
                id = (long) c[0];
              }
            }
            // the same pixels give the same centroid (cells.csv keeps 3 decimals)
            if (best < 1.0) {
              trackOfLabel.put(label, id);
            }
          });
      Map<Integer, Long> out = new HashMap<>();
      overlap.forEach(
          (key, n) -> {
            int g = (int) (key >>> 32);
            int r = (int) (long) key;
            Long id = trackOfLabel.get(r);
            if (id != null && 2L * n > gtArea.get(g)) {
              out.put(g, id);
            }
          });
      return out;
    }

    /** The track ids of the given true labels in frames {@code [from, to]}. */
    Set<Long> tracksOf(Set<Integer> labels, int from, int to) {
      Set<Long> out = new HashSet<>();
      for (Map.Entry<Integer, Map<Integer, Long>> e : byFrame.entrySet()) {
        if (e.getKey() < from || e.getKey() > to) {
          continue;
        }
        for (int l : labels) {
          Long id = e.getValue().get(l);
          if (id != null) {
            out.add(id);
          }
        }
      }
      return out;
    }
  }
}
