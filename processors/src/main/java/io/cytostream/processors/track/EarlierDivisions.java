package io.cytostream.processors.track;

import io.cytostream.processors.track.TrackerSnapshot.HeldFrame;
import io.cytostream.processors.track.TrackerSnapshot.PendingDivision;
import io.cytostream.processors.track.TrackerSnapshot.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves a division found in frame {@code t} back into the held frames where the segmenter still
 * reported the two daughters as one segment but its candidate hierarchy held them apart.
 *
 * <p>Right after a division the daughters touch, and the segmenter often reports them as one
 * segment for a frame or two; the tracker then continues the mother on that segment and finds the
 * division only once they separate, one or more frames late. Within the bounded delay the frames in
 * between are still held, so the division can be placed where it began: for a division of mother
 * {@code M} into daughters {@code A}, {@code B} in frame {@code t}, look at the newest held frame
 * {@code f < t} (first {@code t − 1}); if {@code M}'s chosen segment there has a cut into two parts
 * in the frame's hierarchy ({@link Split}) and one part continues {@code A} and the other {@code B}
 * (each pair's link cost, {@link FrameLinker#linkCost}, from the part as a one-frame track to the
 * daughter's segment of frame {@code f + 1}, below {@link TrackerConfig#nonLinkCost()}; the cheaper
 * pairing; the larger part at most {@link #MAX_PART_RATIO} times the smaller), the two parts become
 * the daughters' first segments in {@code f}, the mother ends in {@code f − 1} and the division
 * event moves to {@code f}; then the same with {@code f − 1}, as long as frames are held, the
 * mother keeps at least one frame and was seen in each frame.
 *
 * <p>A division moved back is confirmed: both daughters were seen as parts of the hierarchy for at
 * least two frames, which is what {@link PendingDivisions} asks of the next frame. Without a
 * candidate hierarchy (no {@link Split}s, e.g. ground-truth masks) nothing moves. Stateless.
 */
final class EarlierDivisions {
  /**
   * The most the larger part of a split may exceed the smaller one in area for a division to move
   * into it: sister nuclei are of similar size, while a cell that the hierarchy cuts into a body
   * and a protrusion is not. Chosen on the development sequences: the daughters merged after the
   * divisions of Fluo-N2DH-SIM+ 01 split 1.0–1.2 : 1, the body and protrusion of a Fluo-C2DL-MSC 01
   * cell whose false division would otherwise have moved back 1.6 : 1.
   */
  static final double MAX_PART_RATIO = 1.5;

  private final TrackerConfig cfg;
  private final FrameLinker linker;

  EarlierDivisions(TrackerConfig cfg) {
    this.cfg = cfg;
    this.linker = new FrameLinker(cfg);
  }

  /**
   * Moves back what it can of {@code found}, the divisions of {@code frame}; returns those that
   * stay in {@code frame} (still to be confirmed).
   *
   * @param frame the frame being pushed, with the divisions' daughters assigned
   * @param found the divisions of {@code frame}
   * @param held the frames held before {@code frame}
   * @param tracks the tracks, with the daughters staged or committed
   * @param pendingBefore divisions of the previous frame still awaiting confirmation (their
   *     daughters are not moved into, since their ids may still change)
   * @param daughters the daughters' tracks by id
   */
  List<PendingDivision> moveBack(
      FrameDraft frame,
      List<PendingDivision> found,
      HeldFrames held,
      List<PendingDivision> pendingBefore,
      Map<Long, Track> daughters) {
    List<PendingDivision> stay = new ArrayList<>();
    for (PendingDivision p : found) {
      if (mayMove(p, pendingBefore) && moved(frame, p, held, daughters)) {
        continue;
      }
      stay.add(p);
    }
    return stay;
  }

  private static boolean mayMove(PendingDivision p, List<PendingDivision> pendingBefore) {
    for (PendingDivision q : pendingBefore) {
      if (q.daughter1() == p.motherId() || q.daughter2() == p.motherId()) {
        return false;
      }
    }
    return true;
  }

  /** Whether division {@code p} of {@code frame} was moved into at least one held frame. */
  private boolean moved(
      FrameDraft frame, PendingDivision p, HeldFrames held, Map<Long, Track> daughters) {
    int ja = frame.detectionOf(p.daughter1());
    int jb = frame.detectionOf(p.daughter2());
    if (ja < 0 || jb < 0) {
      return false;
    }
    Detection a = frame.detections.get(ja);
    Detection b = frame.detections.get(jb);
    long t = frame.frameIndex;
    long f = t - 1;
    List<HeldFrame> changed = new ArrayList<>();
    while (f > p.motherFirstFrame()) {
      HeldFrame h = held.get(f);
      if (h == null || h.events().stream().anyMatch(e -> e.trackId() == p.motherId())) {
        break;
      }
      Split s = continuingSplit(h, p.motherId(), a, b);
      if (s == null) {
        break;
      }
      boolean firstIsA =
          pairs(s.first(), a) + pairs(s.second(), b) <= pairs(s.first(), b) + pairs(s.second(), a);
      Detection partA = firstIsA ? s.first() : s.second();
      Detection partB = firstIsA ? s.second() : s.first();
      changed.add(divided(h, s.label(), p, partA.label(), partB.label()));
      a = partA;
      b = partB;
      f--;
    }
    if (changed.isEmpty()) {
      return false;
    }
    long first = f + 1;
    frame.clearParent(ja);
    frame.clearParent(jb);
    frame
        .events()
        .removeIf(
            e -> e.type() == TrackLifecycleEvent.Type.DIVISION && e.trackId() == p.motherId());
    for (int k = 0; k < changed.size(); k++) {
      HeldFrame h = changed.get(k);
      boolean earliest = k == changed.size() - 1;
      held.replace(earliest ? h : withoutParents(h, p));
    }
    held.replace(withDivision(held.get(first), p));
    for (long id : List.of(p.daughter1(), p.daughter2())) {
      Track d = daughters.get(id);
      if (d != null) {
        d.observations += t - first;
        d.firstFrame = first;
      }
    }
    return true;
  }

  /**
   * The split of the mother's segment in held frame {@code h} whose parts continue into {@code a}
   * and {@code b}, or null.
   */
  private Split continuingSplit(HeldFrame h, long mother, Detection a, Detection b) {
    Integer label = null;
    for (TrackAssignment as : h.assignments()) {
      if (as.trackId() == mother) {
        label = as.label();
      }
    }
    if (label == null) {
      return null;
    }
    Split best = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (Split s : h.splits()) {
      if (s.label() != label || !sisters(s)) {
        continue;
      }
      double straight = pairs(s.first(), a) + pairs(s.second(), b);
      double crossed = pairs(s.first(), b) + pairs(s.second(), a);
      double c = Math.min(straight, crossed);
      if (c < bestCost) {
        bestCost = c;
        best = s;
      }
    }
    return best;
  }

  /** Whether the two parts of {@code s} are of similar size ({@link #MAX_PART_RATIO}). */
  private static boolean sisters(Split s) {
    double a = s.first().areaPx();
    double b = s.second().areaPx();
    return Math.max(a, b) <= MAX_PART_RATIO * Math.min(a, b);
  }

  /**
   * The link cost of part {@code part} (as a track seen once) to {@code next}, or +inf when not
   * below {@code nonLinkCost}.
   */
  private double pairs(Detection part, Detection next) {
    Track tr = Track.start(0, part, 0);
    double c = linker.linkCost(tr, next, part.x(), part.y(), 0);
    return c < cfg.nonLinkCost() ? c : Double.POSITIVE_INFINITY;
  }

  /**
   * {@code h} with the mother's segment {@code label} replaced by parts {@code la} (first daughter)
   * and {@code lb} (second), both with the mother as parent.
   */
  private static HeldFrame divided(HeldFrame h, int label, PendingDivision p, int la, int lb) {
    List<TrackAssignment> as = new ArrayList<>();
    for (TrackAssignment x : h.assignments()) {
      if (x.label() == label) {
        as.add(new TrackAssignment(la, p.daughter1(), p.motherId()));
        as.add(new TrackAssignment(lb, p.daughter2(), p.motherId()));
      } else {
        as.add(x);
      }
    }
    return new HeldFrame(h.frameIndex(), as, h.events(), h.splits());
  }

  /** {@code h} with the daughters of {@code p} as ordinary continuations. */
  private static HeldFrame withoutParents(HeldFrame h, PendingDivision p) {
    List<TrackAssignment> as = new ArrayList<>();
    for (TrackAssignment x : h.assignments()) {
      boolean daughter = x.trackId() == p.daughter1() || x.trackId() == p.daughter2();
      as.add(daughter ? new TrackAssignment(x.label(), x.trackId(), 0) : x);
    }
    return new HeldFrame(h.frameIndex(), as, h.events(), h.splits());
  }

  /** {@code h} with the division event of {@code p}. */
  private static HeldFrame withDivision(HeldFrame h, PendingDivision p) {
    List<TrackLifecycleEvent> ev = new ArrayList<>(h.events());
    ev.add(
        TrackLifecycleEvent.division(h.frameIndex(), p.motherId(), p.daughter1(), p.daughter2()));
    return new HeldFrame(h.frameIndex(), h.assignments(), ev, h.splits());
  }
}
