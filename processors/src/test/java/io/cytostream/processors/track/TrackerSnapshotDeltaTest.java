package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Applying each frame's {@link TrackerSnapshotDelta} to per-track and per-held-frame entries keeps
 * entries from which {@link TrackerSnapshotDelta#assemble} gives back the tracker's snapshot, and
 * the delta holds only the tracks detected in (or renamed by) the frame.
 */
class TrackerSnapshotDeltaTest {

  @Test
  void entriesUpdatedByDeltasAssembleToTheSnapshotAndDeltasHoldOnlyDetectedTracks() {
    for (long seed = 1; seed <= 3; seed++) {
      SyntheticScene scene = new SyntheticScene(seed, 40, 600, 600);
      OnlineTracker tracker = new OnlineTracker(TrackerConfig.defaults());
      TreeMap<Long, TrackerSnapshot.TrackState> tracks = new TreeMap<>();
      TreeMap<Long, TrackerSnapshot.HeldFrame> held = new TreeMap<>();
      TrackerSnapshot before = null;
      long t = 0;
      int undetected = 0;
      for (int k = 0; k < 200; k++) {
        t += scene.skipFrame() ? 2 : 1;
        tracker.push(t, scene.next());
        TrackerSnapshot now = tracker.snapshot();
        TrackerSnapshotDelta d = TrackerSnapshotDelta.between(before, now);
        d.tracks().forEach(s -> tracks.put(s.id(), s));
        d.endedTracks().forEach(tracks::remove);
        d.heldFrames().forEach(h -> held.put(h.frameIndex(), h));
        d.releasedFrames().forEach(held::remove);
        assertThat(d.header().tracks()).isEmpty();
        assertThat(d.header().heldFrames()).isEmpty();
        assertThat(
                TrackerSnapshotDelta.assemble(
                    d.header(), new ArrayList<>(tracks.values()), new ArrayList<>(held.values())))
            .as("seed %d frame %d", seed, t)
            .isEqualTo(now);
        // a track not detected in this frame is not rewritten (unless a division taken back
        // renamed it, which changes its first frame too)
        Set<Long> rewritten = new HashSet<>();
        d.tracks().forEach(s -> rewritten.add(s.id()));
        for (TrackerSnapshot.TrackState s : now.tracks()) {
          if (s.lastFrame() != t) {
            undetected++;
            assertThat(rewritten).doesNotContain(s.id());
          }
        }
        // at most the new frame and the one a division was taken back in
        assertThat(d.heldFrames()).hasSizeLessThanOrEqualTo(2);
        assertThat(d.heldFrames().get(d.heldFrames().size() - 1).frameIndex()).isEqualTo(t);
        before = now;
      }
      assertThat(undetected).as("tracks in a gap were exercised").isGreaterThan(50);
    }
  }

  @Test
  void fromNothingTheDeltaIsTheWholeSnapshot() {
    SyntheticScene scene = new SyntheticScene(9, 20, 400, 400);
    OnlineTracker tracker = new OnlineTracker(TrackerConfig.defaults());
    for (long t = 0; t < 10; t++) {
      tracker.push(t, scene.next());
    }
    TrackerSnapshot s = tracker.snapshot();
    TrackerSnapshotDelta d = TrackerSnapshotDelta.between(null, s);
    assertThat(d.tracks()).isEqualTo(s.tracks());
    assertThat(d.heldFrames()).isEqualTo(s.heldFrames());
    assertThat(d.endedTracks()).isEmpty();
    assertThat(TrackerSnapshotDelta.assemble(d.header(), d.tracks(), d.heldFrames())).isEqualTo(s);
    assertThat(TrackerSnapshotDelta.between(s, s).onlyHeader()).isTrue();
    List<Long> ids = new ArrayList<>();
    s.tracks().forEach(x -> ids.add(x.id()));
    assertThat(TrackerSnapshotDelta.between(s, TrackerSnapshotDelta.empty()).endedTracks())
        .isEqualTo(ids);
  }
}
