package io.cytostream.processors.track;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Online multi-cell tracker with stable track ids, gap closing and divisions, for one field of
 * view. Not thread-safe: feed one stream per instance.
 *
 * <p>Per pushed frame {@code t}:
 *
 * <ol>
 *   <li>Tracks missed in more than {@code maxGap} frames before {@code t} (after skipped frame
 *       indices) are retired ({@code TRACK_ENDED}); after linking, so are those missed in more than
 *       {@code maxGap} frames up to {@code t}, so that a loss is reported as soon as it is certain.
 *   <li>Candidate links from every remaining track (last seen at {@code t − 1 − g}, {@code 0 <= g
 *       <= maxGap}) to the detections of {@code t} within the gate around the track's motion
 *       prediction are found with a {@link SpatialGrid} (O(n) to build, O(1) per query at a bounded
 *       density), costed as documented in {@link TrackerConfig}, and solved as one sparse LAP with
 *       birth and death alternatives ({@link LapSolver}). Gap-closing candidates compete with
 *       frame-to-frame ones in the same problem. The work per frame is therefore about O(n log n)
 *       in the number of detections and active tracks.
 *   <li>Divisions: for every track seen in {@code t − 1}, a division into two detections of {@code
 *       t} is a candidate when both lie within {@code divisionMaxDistance} of the mother's last
 *       centroid, one of them being the detection the LAP linked to the mother (or none: then both
 *       must be unlinked) and the other one unlinked. Candidates are accepted greedily by
 *       increasing division cost while at most {@code divisionMaxCost}, each mother and detection
 *       at most once. An accepted division ends the mother and starts two daughter tracks.
 *   <li>Remaining unlinked detections start new tracks.
 * </ol>
 *
 * <p>Ids: a track id is handed out once, in increasing order, and never reused; an id visible in a
 * {@link FinalizedFrame} never changes meaning. Frames are held back {@code delayFrames} frames
 * (frame-index units) before they are returned, so that the integrator's contract already allows
 * look-ahead; a frame's links do not change after it was returned.
 *
 * <p>Memory and time per frame depend on the active tracks and held frames only, never on the
 * length of the movie. {@link #snapshot()} / {@link #restore} capture and rebuild the exact state:
 * a restored tracker produces the same output as one that was never interrupted.
 */
public final class OnlineTracker {
  /** Gate radius per unit of a track's equivalent diameter (see {@link #gate}). */
  static final double SIZE_GATE = 1.0;

  private final TrackerConfig cfg;

  /** Active tracks in increasing id order. */
  private List<Track> active = new ArrayList<>();

  private final ArrayDeque<TrackerSnapshot.HeldFrame> held = new ArrayDeque<>();
  private List<TrackerSnapshot.PendingDivision> pending = List.of();
  private boolean started;
  private long lastFrame;
  private long nextId = 1;

  private static final class Track {
    long id;
    long firstFrame;
    long lastFrame;
    long observations;
    double x;
    double y;
    double vx;
    double vy;
    double area;
    double intensity;
  }

  /** A tracker with the given parameters and no history. */
  public OnlineTracker(TrackerConfig config) {
    this.cfg = Objects.requireNonNull(config, "config");
  }

  /**
   * Feeds the next frame.
   *
   * @param frameIndex the frame index, {@code >= 0} and strictly greater than the previous one; a
   *     skipped index is a frame without any detection (a gap for every track)
   * @param detections the detections of that frame (labels unique and {@code > 0}, finite
   *     coordinates, area {@code > 0}, finite intensity)
   * @return the frames that became final with this call, oldest first
   */
  public List<FinalizedFrame> push(long frameIndex, List<Detection> detections) {
    Objects.requireNonNull(detections, "detections");
    if (frameIndex < 0) {
      throw new IllegalArgumentException("frameIndex must be >= 0: " + frameIndex);
    }
    if (started && frameIndex <= lastFrame) {
      throw new IllegalArgumentException(
          "frame indices must increase: got " + frameIndex + " after " + lastFrame);
    }
    validate(detections);
    started = true;
    lastFrame = frameIndex;
    final long t = frameIndex;
    List<TrackEvent> events = new ArrayList<>();

    retireLost(t, events, false);

    final int n = active.size();
    final int m = detections.size();
    double[] xs = new double[m];
    double[] ys = new double[m];
    for (int j = 0; j < m; j++) {
      xs[j] = detections.get(j).x();
      ys[j] = detections.get(j).y();
    }
    SpatialGrid grid = new SpatialGrid(xs, ys, cfg.maxLinkDistance());

    SparseCostMatrix.Builder builder = SparseCostMatrix.builder(n, m);
    for (int i = 0; i < n; i++) {
      final int row = i;
      final Track tr = active.get(i);
      final int g = (int) (t - tr.lastFrame - 1);
      final double px = tr.x + cfg.velocityWeight() * tr.vx * (g + 1);
      final double py = tr.y + cfg.velocityWeight() * tr.vy * (g + 1);
      double radius = gate(tr) * Math.sqrt(1.0 + g);
      grid.forEachWithin(
          px, py, radius, j -> builder.add(row, j, linkCost(tr, detections.get(j), px, py, g)));
    }
    double[] rowAlone = new double[n];
    double[] colAlone = new double[m];
    Arrays.fill(rowAlone, cfg.nonLinkCost());
    Arrays.fill(colAlone, cfg.nonLinkCost());
    LapSolver.Assignment lap = LapSolver.solve(builder.build(), rowAlone, colAlone);

    int[] detTrack = lap.colToRow().clone();
    int[] detMother = new int[m];
    Arrays.fill(detMother, -1);
    boolean[] divided = new boolean[n];
    List<int[]> divisions = new ArrayList<>();
    if (cfg.divisionsEnabled()) {
      findDivisions(t, detections, grid, lap.rowToCol(), detTrack, detMother, divided, divisions);
    }

    long[] ids = new long[m];
    long[] parents = new long[m];
    for (int j = 0; j < m; j++) {
      int i = detTrack[j];
      if (i >= 0 && detMother[j] < 0) {
        Track tr = active.get(i);
        int g = (int) (t - tr.lastFrame - 1);
        if (g > 0) {
          events.add(TrackEvent.gapClosed(t, tr.id, g));
        }
        observe(tr, detections.get(j), t);
        ids[j] = tr.id;
      }
    }
    List<Track> born = new ArrayList<>();
    Set<Long> dividedNow = new HashSet<>();
    List<TrackerSnapshot.PendingDivision> newPending = new ArrayList<>();
    for (int[] d : divisions) { // {mother index, daughter a, daughter b}, in mother order
      Track mother = active.get(d[0]);
      int a = Math.min(d[1], d[2]);
      int b = Math.max(d[1], d[2]);
      Track ta = newTrack(detections.get(a), t);
      Track tb = newTrack(detections.get(b), t);
      born.add(ta);
      born.add(tb);
      ids[a] = ta.id;
      ids[b] = tb.id;
      parents[a] = mother.id;
      parents[b] = mother.id;
      events.add(TrackEvent.division(t, mother.id, ta.id, tb.id));
      dividedNow.add(mother.id);
      newPending.add(
          new TrackerSnapshot.PendingDivision(
              t, mother.id, mother.firstFrame, mother.observations, ta.id, tb.id));
    }
    for (int j = 0; j < m; j++) {
      if (ids[j] == 0) {
        Track tr = newTrack(detections.get(j), t);
        born.add(tr);
        ids[j] = tr.id;
        events.add(TrackEvent.started(t, tr.id));
      }
    }
    List<Track> next = new ArrayList<>(n + born.size());
    for (int i = 0; i < n; i++) {
      if (!divided[i]) {
        next.add(active.get(i));
      }
    }
    next.addAll(born);
    active = next;

    if (!pending.isEmpty()) {
      for (TrackerSnapshot.PendingDivision back :
          confirmDivisions(t, ids, parents, events, dividedNow)) {
        // rare: the surviving daughter divided again in this frame; its division now has the
        // restored mother id as mother
        newPending.replaceAll(
            q ->
                q.motherId() == back.daughter1() || q.motherId() == back.daughter2()
                    ? new TrackerSnapshot.PendingDivision(
                        q.frameIndex(),
                        back.motherId(),
                        back.motherFirstFrame(),
                        back.motherObservations() + q.motherObservations(),
                        q.daughter1(),
                        q.daughter2())
                    : q);
      }
    }
    pending =
        cfg.confirmDivisions() && cfg.delayFrames() >= 1 ? List.copyOf(newPending) : List.of();
    retireLost(t, events, true);

    List<TrackAssignment> assignments = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      assignments.add(new TrackAssignment(detections.get(j).label(), ids[j], parents[j]));
    }
    held.addLast(new TrackerSnapshot.HeldFrame(t, assignments, events));

    List<FinalizedFrame> out = new ArrayList<>();
    while (!held.isEmpty() && held.peekFirst().frameIndex() <= t - cfg.delayFrames()) {
      out.add(finalizeFrame(held.pollFirst(), t));
    }
    return out;
  }

  /**
   * End of stream: finalizes every held frame (with {@code finalAtFrame} = last frame pushed).
   * Divisions of the last frame that await confirmation are kept as they are. The tracker may be
   * pushed further frames afterwards (its tracks are kept); only the held frames are gone.
   */
  public List<FinalizedFrame> flush() {
    pending = List.of();
    List<FinalizedFrame> out = new ArrayList<>();
    while (!held.isEmpty()) {
      out.add(finalizeFrame(held.pollFirst(), lastFrame));
    }
    return out;
  }

  /** The number of active (not yet retired) tracks. */
  public int activeTracks() {
    return active.size();
  }

  /** An immutable copy of the complete state. */
  public TrackerSnapshot snapshot() {
    List<TrackerSnapshot.TrackState> ts = new ArrayList<>(active.size());
    for (Track tr : active) {
      ts.add(
          new TrackerSnapshot.TrackState(
              tr.id,
              tr.firstFrame,
              tr.lastFrame,
              tr.x,
              tr.y,
              tr.vx,
              tr.vy,
              tr.area,
              tr.intensity,
              tr.observations));
    }
    return new TrackerSnapshot(1, started, lastFrame, nextId, ts, new ArrayList<>(held), pending);
  }

  /** A tracker that continues exactly from {@code snapshot}. */
  public static OnlineTracker restore(TrackerConfig config, TrackerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (snapshot.version() != 1) {
      throw new IllegalArgumentException("unsupported snapshot version " + snapshot.version());
    }
    OnlineTracker tracker = new OnlineTracker(config);
    tracker.started = snapshot.started();
    tracker.lastFrame = snapshot.lastFrameIndex();
    tracker.nextId = snapshot.nextTrackId();
    long prev = 0;
    for (TrackerSnapshot.TrackState s : snapshot.tracks()) {
      if (s.id() <= prev || s.id() >= snapshot.nextTrackId()) {
        throw new IllegalArgumentException("snapshot tracks not in increasing id order");
      }
      prev = s.id();
      Track tr = new Track();
      tr.id = s.id();
      tr.firstFrame = s.firstFrame();
      tr.lastFrame = s.lastFrame();
      tr.x = s.x();
      tr.y = s.y();
      tr.vx = s.vx();
      tr.vy = s.vy();
      tr.area = s.areaPx();
      tr.intensity = s.meanIntensity();
      tr.observations = s.observations();
      tracker.active.add(tr);
    }
    tracker.held.addAll(snapshot.heldFrames());
    tracker.pending = List.copyOf(snapshot.pendingDivisions());
    return tracker;
  }

  /**
   * Confirms or takes back the divisions of the previous frame: a division is taken back when
   * exactly one daughter was detected again in frame {@code t} (that daughter then continues the
   * mother's id; the other detection keeps a track of its own, reported as started).
   */
  private List<TrackerSnapshot.PendingDivision> confirmDivisions(
      long t, long[] ids, long[] parents, List<TrackEvent> events, Set<Long> dividedNow) {
    List<TrackerSnapshot.PendingDivision> takenBack = new ArrayList<>();
    Map<Long, Track> byId = new HashMap<>();
    for (Track tr : active) {
      byId.put(tr.id, tr);
    }
    boolean changed = false;
    for (TrackerSnapshot.PendingDivision p : pending) {
      boolean seen1 = seen(byId.get(p.daughter1()), t) || dividedNow.contains(p.daughter1());
      boolean seen2 = seen(byId.get(p.daughter2()), t) || dividedNow.contains(p.daughter2());
      if (seen1 == seen2) {
        continue; // both seen: confirmed; neither seen: nothing tells otherwise, keep it
      }
      final long keep = seen1 ? p.daughter1() : p.daughter2();
      final long frag = seen1 ? p.daughter2() : p.daughter1();
      final long mother = p.motherId();
      changed = true;
      takenBack.add(p);
      Track tk = byId.get(keep);
      if (tk != null) {
        tk.id = mother;
        tk.firstFrame = p.motherFirstFrame();
        tk.observations += p.motherObservations();
      }
      for (int j = 0; j < ids.length; j++) {
        if (ids[j] == keep) {
          ids[j] = mother;
        }
        if (parents[j] == keep) {
          parents[j] = mother;
        }
      }
      events.replaceAll(e -> renamed(e, keep, mother));
      TrackerSnapshot.HeldFrame h = held.pollLast();
      if (h == null || h.frameIndex() != p.frameIndex()) {
        throw new IllegalStateException("division frame " + p.frameIndex() + " is not held");
      }
      List<TrackAssignment> as = new ArrayList<>();
      for (TrackAssignment a : h.assignments()) {
        if (a.trackId() == keep) {
          as.add(new TrackAssignment(a.label(), mother, 0));
        } else if (a.trackId() == frag) {
          as.add(new TrackAssignment(a.label(), frag, 0));
        } else {
          as.add(a);
        }
      }
      List<TrackEvent> ev = new ArrayList<>();
      for (TrackEvent e : h.events()) {
        if (!(e.type() == TrackEvent.Type.DIVISION && e.trackId() == mother)) {
          ev.add(e);
        }
      }
      ev.add(TrackEvent.started(p.frameIndex(), frag));
      held.addLast(new TrackerSnapshot.HeldFrame(h.frameIndex(), as, ev));
    }
    if (changed) {
      active.sort(Comparator.comparingLong(tr -> tr.id));
    }
    return takenBack;
  }

  private static boolean seen(Track tr, long t) {
    return tr != null && tr.lastFrame == t;
  }

  private static TrackEvent renamed(TrackEvent e, long from, long to) {
    if (e.trackId() != from) {
      return e;
    }
    return new TrackEvent(e.type(), e.frameIndex(), to, e.daughterTrackIds(), e.framesMissed());
  }

  private static FinalizedFrame finalizeFrame(TrackerSnapshot.HeldFrame h, long at) {
    return new FinalizedFrame(h.frameIndex(), at, h.assignments(), h.events());
  }

  /**
   * Retires the tracks that can no longer be continued: before linking frame {@code t}, those
   * missed in more than {@code maxGap} frames before {@code t} (after a skipped range of indices);
   * after linking, those missed in more than {@code maxGap} frames up to and including {@code t}.
   */
  private void retireLost(long t, List<TrackEvent> events, boolean afterLinking) {
    List<Track> keep = new ArrayList<>(active.size());
    long missedNow = afterLinking ? 0 : 1;
    for (Track tr : active) {
      if (t - tr.lastFrame - missedNow > cfg.maxGap()) {
        events.add(TrackEvent.ended(tr.lastFrame, tr.id));
      } else {
        keep.add(tr);
      }
    }
    active = keep;
  }

  /**
   * A track's gate radius in px: {@code max(maxLinkDistance, SIZE_GATE × equivalent diameter)}, so
   * that big cells, which move farther per frame in px, are gated in proportion to their size while
   * small nuclei keep the configured radius.
   */
  private double gate(Track tr) {
    double diameter = 2 * Math.sqrt(Math.max(tr.area, 0) / Math.PI);
    return Math.max(cfg.maxLinkDistance(), SIZE_GATE * diameter);
  }

  private double linkCost(Track tr, Detection d, double px, double py, int gap) {
    double dx = d.x() - px;
    double dy = d.y() - py;
    double r = gate(tr);
    double c = (dx * dx + dy * dy) / (r * r);
    if (cfg.areaWeight() > 0) {
      double la = Math.log(d.areaPx() / tr.area);
      c += cfg.areaWeight() * la * la;
    }
    if (cfg.intensityWeight() > 0) {
      double den = Math.max(Math.abs(d.meanIntensity()), Math.abs(tr.intensity));
      if (den > 0) {
        double rel = (d.meanIntensity() - tr.intensity) / den;
        c += cfg.intensityWeight() * rel * rel;
      }
    }
    return c + cfg.gapPenalty() * gap;
  }

  /** Division cost as documented in {@link TrackerConfig}; +inf if outside the gate. */
  double divisionCost(Track mother, Detection a, Detection b) {
    double rd = cfg.divisionMaxDistance();
    double da = sq(a.x() - mother.x) + sq(a.y() - mother.y);
    double db = sq(b.x() - mother.x) + sq(b.y() - mother.y);
    if (da > rd * rd || db > rd * rd) {
      return Double.POSITIVE_INFINITY;
    }
    double lr = Math.log((a.areaPx() + b.areaPx()) / mother.area);
    double lt = Math.log(cfg.divisionAreaTolerance());
    return (lr * lr) / (lt * lt) + (da + db) / (2 * rd * rd);
  }

  private void findDivisions(
      long t,
      List<Detection> dets,
      SpatialGrid grid,
      int[] trackDet,
      int[] detTrack,
      int[] detMother,
      boolean[] divided,
      List<int[]> accepted) {
    record Cand(double cost, int mother, int a, int b) {}
    List<Cand> cands = new ArrayList<>();
    List<Integer> near = new ArrayList<>();
    for (int i = 0; i < active.size(); i++) {
      Track mo = active.get(i);
      if (mo.lastFrame != t - 1) {
        continue;
      }
      near.clear();
      grid.forEachWithin(
          mo.x,
          mo.y,
          cfg.divisionMaxDistance(),
          j -> {
            if (detTrack[j] < 0) {
              near.add(j);
            }
          });
      int s = trackDet[i];
      if (s >= 0) {
        for (int b : near) {
          double c = divisionCost(mo, dets.get(s), dets.get(b));
          if (c <= cfg.divisionMaxCost()) {
            cands.add(new Cand(c, i, s, b));
          }
        }
      } else {
        for (int p = 0; p < near.size(); p++) {
          for (int q = p + 1; q < near.size(); q++) {
            double c = divisionCost(mo, dets.get(near.get(p)), dets.get(near.get(q)));
            if (c <= cfg.divisionMaxCost()) {
              cands.add(new Cand(c, i, near.get(p), near.get(q)));
            }
          }
        }
      }
    }
    cands.sort(
        Comparator.comparingDouble(Cand::cost)
            .thenComparingInt(Cand::mother)
            .thenComparingInt(Cand::a)
            .thenComparingInt(Cand::b));
    Set<Integer> used = new HashSet<>();
    List<int[]> chosen = new ArrayList<>();
    for (Cand c : cands) {
      if (divided[c.mother()] || used.contains(c.a()) || used.contains(c.b())) {
        continue;
      }
      divided[c.mother()] = true;
      used.add(c.a());
      used.add(c.b());
      detMother[c.a()] = c.mother();
      detMother[c.b()] = c.mother();
      detTrack[c.a()] = -1;
      detTrack[c.b()] = -1;
      chosen.add(new int[] {c.mother(), c.a(), c.b()});
    }
    chosen.sort(Comparator.comparingInt(x -> x[0]));
    accepted.addAll(chosen);
  }

  private Track newTrack(Detection d, long t) {
    Track tr = new Track();
    tr.id = nextId++;
    tr.firstFrame = t;
    tr.lastFrame = t;
    tr.observations = 1;
    tr.x = d.x();
    tr.y = d.y();
    tr.area = d.areaPx();
    tr.intensity = d.meanIntensity();
    return tr;
  }

  private void observe(Track tr, Detection d, long t) {
    double dt = t - tr.lastFrame;
    double nvx = (d.x() - tr.x) / dt;
    double nvy = (d.y() - tr.y) / dt;
    if (tr.observations <= 1) {
      tr.vx = nvx;
      tr.vy = nvy;
    } else {
      double a = cfg.velocitySmoothing();
      tr.vx = a * nvx + (1 - a) * tr.vx;
      tr.vy = a * nvy + (1 - a) * tr.vy;
    }
    tr.x = d.x();
    tr.y = d.y();
    tr.area = d.areaPx();
    tr.intensity = d.meanIntensity();
    tr.lastFrame = t;
    tr.observations++;
  }

  private static void validate(List<Detection> dets) {
    Set<Integer> labels = new HashSet<>();
    for (Detection d : dets) {
      Objects.requireNonNull(d, "detection");
      if (d.label() <= 0 || !labels.add(d.label())) {
        throw new IllegalArgumentException("labels must be > 0 and unique: " + d.label());
      }
      if (!Double.isFinite(d.x()) || !Double.isFinite(d.y())) {
        throw new IllegalArgumentException("non-finite centroid of label " + d.label());
      }
      if (!(d.areaPx() > 0) || Double.isInfinite(d.areaPx())) {
        throw new IllegalArgumentException("area must be > 0: label " + d.label());
      }
      if (!Double.isFinite(d.meanIntensity())) {
        throw new IllegalArgumentException("non-finite intensity of label " + d.label());
      }
    }
  }

  private static double sq(double v) {
    return v * v;
  }
}
