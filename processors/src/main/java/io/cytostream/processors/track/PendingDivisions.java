package io.cytostream.processors.track;

import io.cytostream.processors.track.TrackerSnapshot.PendingDivision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Divisions found in the last frame pushed that the next frame confirms or takes back ({@link
 * TrackerConfig#confirmDivisions()}; needs {@code delayFrames >= 1}, so that the division's frame
 * is still held).
 *
 * <p>A division of frame {@code t − 1} is taken back when exactly one daughter is detected again in
 * frame {@code t} (a daughter that divided again in {@code t} counts as detected): that daughter
 * then continues the mother's id (its first frame and observation count too) in frames {@code t −
 * 1} and {@code t}, and the other "daughter" (a spurious fragment) keeps a track of its own,
 * reported as started. Both detected: confirmed; neither: nothing tells otherwise, kept.
 */
final class PendingDivisions {
  private final boolean confirm;
  private List<PendingDivision> pending;

  PendingDivisions(TrackerConfig cfg, List<PendingDivision> initial) {
    this.confirm = cfg.confirmDivisions() && cfg.delayFrames() >= 1;
    this.pending = List.copyOf(initial);
  }

  List<PendingDivision> list() {
    return pending;
  }

  /** Forgets the pending divisions (they stay as they are). */
  void clear() {
    pending = List.of();
  }

  /**
   * Confirms or takes back the pending divisions with frame {@code frame} (whose new tracks are
   * committed to {@code tracks}), then makes {@code found}, the divisions of {@code frame}, the
   * pending ones (if confirmation is on).
   */
  void update(FrameDraft frame, ActiveTracks tracks, HeldFrames held, List<PendingDivision> found) {
    List<PendingDivision> next = new ArrayList<>(found);
    if (!pending.isEmpty()) {
      for (PendingDivision back : confirmOrTakeBack(frame, tracks, held, found)) {
        // rare: the surviving daughter divided again in this frame; its division now has the
        // restored mother id as mother
        next.replaceAll(q -> reattributed(q, back));
      }
    }
    pending = confirm ? List.copyOf(next) : List.of();
  }

  /** Takes back the pending divisions that frame {@code frame} contradicts; returns those. */
  private List<PendingDivision> confirmOrTakeBack(
      FrameDraft frame, ActiveTracks tracks, HeldFrames held, List<PendingDivision> found) {
    long t = frame.frameIndex;
    Set<Long> dividedNow = new HashSet<>();
    for (PendingDivision d : found) {
      dividedNow.add(d.motherId());
    }
    Map<Long, Track> byId = tracks.byId();
    List<PendingDivision> takenBack = new ArrayList<>();
    for (PendingDivision p : pending) {
      boolean seen1 = seen(byId.get(p.daughter1()), t) || dividedNow.contains(p.daughter1());
      boolean seen2 = seen(byId.get(p.daughter2()), t) || dividedNow.contains(p.daughter2());
      if (seen1 != seen2) {
        takeBack(p, seen1 ? p.daughter1() : p.daughter2(), byId, frame, held);
        takenBack.add(p);
      }
    }
    if (!takenBack.isEmpty()) {
      tracks.sortById();
    }
    return takenBack;
  }

  private static void takeBack(
      PendingDivision p, long keep, Map<Long, Track> byId, FrameDraft frame, HeldFrames held) {
    long frag = keep == p.daughter1() ? p.daughter2() : p.daughter1();
    long mother = p.motherId();
    Track tk = byId.get(keep);
    if (tk != null) {
      tk.id = mother;
      tk.firstFrame = p.motherFirstFrame();
      tk.observations += p.motherObservations();
    }
    frame.renameTrack(keep, mother);
    held.add(undivided(held.takeNewest(p.frameIndex()), keep, frag, mother));
  }

  /** Frame {@code h} without the division of {@code mother}: {@code keep} continues the mother. */
  private static TrackerSnapshot.HeldFrame undivided(
      TrackerSnapshot.HeldFrame h, long keep, long frag, long mother) {
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
    List<TrackLifecycleEvent> ev = new ArrayList<>();
    for (TrackLifecycleEvent e : h.events()) {
      if (!(e.type() == TrackLifecycleEvent.Type.DIVISION && e.trackId() == mother)) {
        ev.add(e);
      }
    }
    ev.add(TrackLifecycleEvent.started(h.frameIndex(), frag));
    return new TrackerSnapshot.HeldFrame(h.frameIndex(), as, ev, h.splits());
  }

  /**
   * {@code q} with the mother of taken-back {@code back} if its mother was one of the daughters.
   */
  private static PendingDivision reattributed(PendingDivision q, PendingDivision back) {
    if (q.motherId() != back.daughter1() && q.motherId() != back.daughter2()) {
      return q;
    }
    return new PendingDivision(
        q.frameIndex(),
        back.motherId(),
        back.motherFirstFrame(),
        back.motherObservations() + q.motherObservations(),
        q.daughter1(),
        q.daughter2());
  }

  private static boolean seen(Track tr, long t) {
    return tr != null && tr.seenAt(t);
  }
}
