package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracks {@link OnlineTracker} can still continue, in increasing id order, and the id counter:
 * an id is handed out once, in increasing order, and never reused.
 *
 * <p>During a push, tracks started with {@link #start} are staged and join the active ones, after
 * them, at {@link #commit}.
 */
final class ActiveTracks {
  private List<Track> tracks = new ArrayList<>();
  private final List<Track> born = new ArrayList<>();
  private long nextId = 1;

  /** The active tracks, in increasing id order (the rows of a frame's linking problem). */
  List<Track> list() {
    return tracks;
  }

  int size() {
    return tracks.size();
  }

  Track get(int row) {
    return tracks.get(row);
  }

  long nextId() {
    return nextId;
  }

  /** A new track with the next id, first detected as {@code d} in frame {@code t}; staged. */
  Track start(Detection d, long t) {
    Track tr = Track.start(nextId++, d, t);
    born.add(tr);
    return tr;
  }

  /** Ends the rows in {@code ended} (mothers that divided) and adds the staged new tracks. */
  void commit(boolean[] ended) {
    List<Track> next = new ArrayList<>(tracks.size() + born.size());
    for (int i = 0; i < tracks.size(); i++) {
      if (!ended[i]) {
        next.add(tracks.get(i));
      }
    }
    next.addAll(born);
    born.clear();
    tracks = next;
  }

  /**
   * Retires the tracks that can no longer be continued, reporting each as {@code TRACK_ENDED}:
   * before linking frame {@code t}, those missed in more than {@code maxGap} frames before {@code
   * t} (after a skipped range of indices); after linking, those missed in more than {@code maxGap}
   * frames up to and including {@code t}.
   */
  void retireLost(long t, int maxGap, boolean afterLinking, FrameDraft frame) {
    List<Track> keep = new ArrayList<>(tracks.size());
    long missedNow = afterLinking ? 0 : 1;
    for (Track tr : tracks) {
      if (t - tr.lastFrame - missedNow > maxGap) {
        frame.add(TrackLifecycleEvent.ended(tr.lastFrame, tr.id));
      } else {
        keep.add(tr);
      }
    }
    tracks = keep;
  }

  /** The active tracks by id. */
  Map<Long, Track> byId() {
    Map<Long, Track> byId = new HashMap<>();
    for (Track tr : tracks) {
      byId.put(tr.id, tr);
    }
    return byId;
  }

  /** Restores the id order after tracks were renamed. */
  void sortById() {
    tracks.sort(Comparator.comparingLong(tr -> tr.id));
  }

  /** The tracks' snapshot form, in id order. */
  List<TrackerSnapshot.TrackState> states() {
    List<TrackerSnapshot.TrackState> states = new ArrayList<>(tracks.size());
    for (Track tr : tracks) {
      states.add(tr.state());
    }
    return states;
  }

  /**
   * The tracks of a snapshot.
   *
   * @throws IllegalArgumentException if they are not in strictly increasing id order below {@code
   *     nextId}
   */
  static ActiveTracks restore(List<TrackerSnapshot.TrackState> states, long nextId) {
    ActiveTracks out = new ActiveTracks();
    out.nextId = nextId;
    long prev = 0;
    for (TrackerSnapshot.TrackState s : states) {
      if (s.id() <= prev || s.id() >= nextId) {
        throw new IllegalArgumentException("snapshot tracks not in increasing id order");
      }
      prev = s.id();
      out.tracks.add(Track.of(s));
    }
    return out;
  }
}
