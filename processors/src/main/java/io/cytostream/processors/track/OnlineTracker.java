package io.cytostream.processors.track;

import io.cytostream.processors.track.TrackerSnapshot.PendingDivision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 *       birth and death alternatives ({@link FrameLinker}). Gap-closing candidates compete with
 *       frame-to-frame ones in the same problem. The work per frame is therefore about O(n log n)
 *       in the number of detections and active tracks.
 *   <li>Divisions: for every track seen in {@code t − 1}, a division into two detections of {@code
 *       t} is a candidate when both lie within {@code divisionMaxDistance} of the mother's last
 *       centroid, one of them being the detection the LAP linked to the mother (or none: then both
 *       must be unlinked) and the other one unlinked. Candidates are accepted greedily by
 *       increasing division cost while at most {@code divisionMaxCost}, each mother and detection
 *       at most once. An accepted division ends the mother and starts two daughter tracks ({@link
 *       DivisionFinder}); with {@code confirmDivisions} the next frame may take it back ({@link
 *       PendingDivisions}). With a candidate hierarchy, a division whose daughters were still
 *       reported as the mother's one segment in held frames, while the hierarchy held them apart,
 *       is moved back to where they first appear ({@link EarlierDivisions}; confirmed by then).
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
  private final TrackerConfig cfg;
  private final FrameLinker linker;
  private final DivisionFinder divisionFinder;
  private final ActiveTracks tracks;
  private final HeldFrames held;
  private final PendingDivisions pending;
  private final CandidateSelector selector;
  private final EarlierDivisions earlier;
  private boolean started;
  private long lastFrame;

  /** A tracker with the given parameters and no history. */
  public OnlineTracker(TrackerConfig config) {
    this(config, new ActiveTracks(), List.of(), List.of());
  }

  private OnlineTracker(
      TrackerConfig config,
      ActiveTracks tracks,
      List<TrackerSnapshot.HeldFrame> held,
      List<PendingDivision> pending) {
    this.cfg = Objects.requireNonNull(config, "config");
    this.linker = new FrameLinker(config);
    this.divisionFinder = new DivisionFinder(config);
    this.tracks = tracks;
    this.held = new HeldFrames(held);
    this.pending = new PendingDivisions(config, pending);
    this.selector = new CandidateSelector(config, CandidateSelector.Costs.defaults());
    this.earlier = new EarlierDivisions(config);
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
    return push(frameIndex, detections, List.of());
  }

  /**
   * Feeds the next frame as a hierarchy of candidate segments: {@code leaves} are the finest
   * detections, {@code candidates} laminar unions of them (see {@link Candidate}). Before linking,
   * a {@link CandidateSelector} chooses per connected piece the non-overlapping nodes that best
   * continue the active tracks (the segmenter's preferred cut where no track is near); the chosen
   * nodes are then linked like the detections of {@link #push(long, List)}, and the returned
   * assignments name the chosen nodes' labels (a leaf's label or a candidate's). With no candidates
   * this is {@link #push(long, List)}.
   *
   * @param frameIndex as for {@link #push(long, List)}
   * @param leaves the finest detections (as the detections of {@link #push(long, List)})
   * @param candidates unions of leaves, labels distinct from the leaves' labels
   * @return the frames that became final with this call, oldest first
   */
  public List<FinalizedFrame> push(
      long frameIndex, List<Detection> leaves, List<Candidate> candidates) {
    checkNext(frameIndex, leaves);
    started = true;
    lastFrame = frameIndex;
    FrameDraft retired = new FrameDraft(frameIndex, List.of());
    tracks.retireLost(frameIndex, cfg.maxGap(), false, retired);
    CandidateSelector.Selection chosen =
        selector.select(tracks.list(), leaves, candidates, frameIndex);
    List<Detection> detections = chosen.detections();
    FrameDraft frame = new FrameDraft(frameIndex, detections, chosen.splits());
    retired.events().forEach(frame::add);
    SpatialGrid grid = grid(detections);
    LapSolver.Assignment links = linker.link(tracks.list(), detections, grid, frameIndex);
    List<DivisionFinder.Division> divisions =
        cfg.divisionsEnabled()
            ? divisionFinder.find(frameIndex, tracks.list(), detections, grid, links)
            : List.of();
    continueLinkedTracks(frame, links, divisions);
    List<PendingDivision> found = startDaughters(frame, divisions);
    startUnlinked(frame);
    tracks.commit(mothers(divisions));
    found = earlier.moveBack(frame, found, held, pending.list(), tracks.byId());
    pending.update(frame, tracks, held, found);
    tracks.retireLost(frameIndex, cfg.maxGap(), true, frame);
    held.add(frame.toHeldFrame());
    return held.releaseThrough(frameIndex - cfg.delayFrames(), frameIndex);
  }

  /**
   * End of stream: finalizes every held frame (with {@code finalAtFrame} = last frame pushed).
   * Divisions of the last frame that await confirmation are kept as they are. The tracker may be
   * pushed further frames afterwards (its tracks are kept); only the held frames are gone.
   */
  public List<FinalizedFrame> flush() {
    pending.clear();
    return held.releaseAll(lastFrame);
  }

  /** The number of active (not yet retired) tracks. */
  public int activeTracks() {
    return tracks.size();
  }

  /** An immutable copy of the complete state. */
  public TrackerSnapshot snapshot() {
    return new TrackerSnapshot(
        1, started, lastFrame, tracks.nextId(), tracks.states(), held.list(), pending.list());
  }

  /** A tracker that continues exactly from {@code snapshot}. */
  public static OnlineTracker restore(TrackerConfig config, TrackerSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (snapshot.version() != 1) {
      throw new IllegalArgumentException("unsupported snapshot version " + snapshot.version());
    }
    OnlineTracker tracker =
        new OnlineTracker(
            config,
            ActiveTracks.restore(snapshot.tracks(), snapshot.nextTrackId()),
            snapshot.heldFrames(),
            snapshot.pendingDivisions());
    tracker.started = snapshot.started();
    tracker.lastFrame = snapshot.lastFrameIndex();
    return tracker;
  }

  /** Continues every track the LAP linked to a detection that is not a daughter. */
  private void continueLinkedTracks(
      FrameDraft frame, LapSolver.Assignment links, List<DivisionFinder.Division> divisions) {
    int[] detTrack = links.colToRow().clone();
    for (DivisionFinder.Division d : divisions) {
      detTrack[d.daughterA()] = -1;
      detTrack[d.daughterB()] = -1;
    }
    long t = frame.frameIndex;
    for (int j = 0; j < detTrack.length; j++) {
      if (detTrack[j] >= 0) {
        Track tr = tracks.get(detTrack[j]);
        int g = tr.gapBefore(t);
        if (g > 0) {
          frame.add(TrackLifecycleEvent.gapClosed(t, tr.id, g));
        }
        tr.observe(frame.detections.get(j), t, cfg.velocitySmoothing());
        frame.assign(j, tr.id);
      }
    }
  }

  /** Starts two daughter tracks per division; returns the divisions for confirmation. */
  private List<PendingDivision> startDaughters(
      FrameDraft frame, List<DivisionFinder.Division> divisions) {
    long t = frame.frameIndex;
    List<PendingDivision> found = new ArrayList<>();
    for (DivisionFinder.Division d : divisions) {
      Track mother = tracks.get(d.mother());
      Track a = tracks.start(frame.detections.get(d.daughterA()), t);
      Track b = tracks.start(frame.detections.get(d.daughterB()), t);
      frame.assignDaughter(d.daughterA(), a.id, mother.id);
      frame.assignDaughter(d.daughterB(), b.id, mother.id);
      frame.add(TrackLifecycleEvent.division(t, mother.id, a.id, b.id));
      found.add(
          new PendingDivision(t, mother.id, mother.firstFrame, mother.observations, a.id, b.id));
    }
    return found;
  }

  /** Starts a track for every detection still without one. */
  private void startUnlinked(FrameDraft frame) {
    for (int j = 0; j < frame.size(); j++) {
      if (!frame.assigned(j)) {
        Track tr = tracks.start(frame.detections.get(j), frame.frameIndex);
        frame.assign(j, tr.id);
        frame.add(TrackLifecycleEvent.started(frame.frameIndex, tr.id));
      }
    }
  }

  private boolean[] mothers(List<DivisionFinder.Division> divisions) {
    boolean[] divided = new boolean[tracks.size()];
    for (DivisionFinder.Division d : divisions) {
      divided[d.mother()] = true;
    }
    return divided;
  }

  private SpatialGrid grid(List<Detection> detections) {
    double[] xs = new double[detections.size()];
    double[] ys = new double[detections.size()];
    for (int j = 0; j < xs.length; j++) {
      xs[j] = detections.get(j).x();
      ys[j] = detections.get(j).y();
    }
    return new SpatialGrid(xs, ys, cfg.maxLinkDistance());
  }

  private void checkNext(long frameIndex, List<Detection> detections) {
    Objects.requireNonNull(detections, "detections");
    if (frameIndex < 0) {
      throw new IllegalArgumentException("frameIndex must be >= 0: " + frameIndex);
    }
    if (started && frameIndex <= lastFrame) {
      throw new IllegalArgumentException(
          "frame indices must increase: got " + frameIndex + " after " + lastFrame);
    }
    Set<Integer> labels = new HashSet<>();
    for (Detection d : detections) {
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
}
