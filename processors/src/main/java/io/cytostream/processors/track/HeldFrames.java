package io.cytostream.processors.track;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames {@link OnlineTracker} has linked but not yet returned, oldest first: their links may
 * still change (a division taken back) until they are released as {@link FinalizedFrame}s.
 */
final class HeldFrames {
  private final ArrayDeque<TrackerSnapshot.HeldFrame> frames = new ArrayDeque<>();

  HeldFrames(List<TrackerSnapshot.HeldFrame> initial) {
    frames.addAll(initial);
  }

  void add(TrackerSnapshot.HeldFrame frame) {
    frames.addLast(frame);
  }

  /** The newest held frame, removed; it must be frame {@code frameIndex}. */
  TrackerSnapshot.HeldFrame takeNewest(long frameIndex) {
    TrackerSnapshot.HeldFrame h = frames.pollLast();
    if (h == null || h.frameIndex() != frameIndex) {
      throw new IllegalStateException("division frame " + frameIndex + " is not held");
    }
    return h;
  }

  /** The held frame {@code frameIndex}, or null. */
  TrackerSnapshot.HeldFrame get(long frameIndex) {
    for (TrackerSnapshot.HeldFrame h : frames) {
      if (h.frameIndex() == frameIndex) {
        return h;
      }
    }
    return null;
  }

  /** Replaces the held frame with {@code frame}'s index by {@code frame}, in place. */
  void replace(TrackerSnapshot.HeldFrame frame) {
    List<TrackerSnapshot.HeldFrame> all = new ArrayList<>(frames);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).frameIndex() == frame.frameIndex()) {
        all.set(i, frame);
        frames.clear();
        frames.addAll(all);
        return;
      }
    }
    throw new IllegalStateException("frame " + frame.frameIndex() + " is not held");
  }

  /** Releases, oldest first, the frames with index {@code <= lastIndex}, final at {@code at}. */
  List<FinalizedFrame> releaseThrough(long lastIndex, long at) {
    List<FinalizedFrame> out = new ArrayList<>();
    while (!frames.isEmpty() && frames.peekFirst().frameIndex() <= lastIndex) {
      out.add(finalized(frames.pollFirst(), at));
    }
    return out;
  }

  /** Releases every held frame, oldest first, final at {@code at}. */
  List<FinalizedFrame> releaseAll(long at) {
    List<FinalizedFrame> out = new ArrayList<>();
    while (!frames.isEmpty()) {
      out.add(finalized(frames.pollFirst(), at));
    }
    return out;
  }

  /** A copy, oldest first. */
  List<TrackerSnapshot.HeldFrame> list() {
    return new ArrayList<>(frames);
  }

  private static FinalizedFrame finalized(TrackerSnapshot.HeldFrame h, long at) {
    return new FinalizedFrame(h.frameIndex(), at, h.assignments(), h.events());
  }
}
