package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshot and restore mid-stream give exactly the output of an uninterrupted run. */
class OnlineTrackerSnapshotTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Frame indices (with skips) and detections of a reproducible random scene. */
  private static List<Object[]> scene(long seed, int frames) {
    SyntheticScene s = new SyntheticScene(seed, 30, 600, 600);
    List<Object[]> out = new ArrayList<>();
    long t = 0;
    for (int k = 0; k < frames; k++) {
      t += s.skipFrame() ? 2 : 1;
      out.add(new Object[] {t, s.next()});
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<FinalizedFrame> run(
      TrackerConfig cfg, List<Object[]> frames, int cutAfter, boolean viaJson) throws Exception {
    OnlineTracker tr = new OnlineTracker(cfg);
    List<FinalizedFrame> out = new ArrayList<>();
    for (int k = 0; k < frames.size(); k++) {
      out.addAll(tr.push((Long) frames.get(k)[0], (List<Detection>) frames.get(k)[1]));
      if (k == cutAfter) {
        TrackerSnapshot snap = tr.snapshot();
        if (viaJson) {
          String json = JSON.writeValueAsString(snap);
          TrackerSnapshot back = JSON.readValue(json, TrackerSnapshot.class);
          assertThat(back).isEqualTo(snap);
          snap = back;
        }
        tr = OnlineTracker.restore(cfg, snap);
      }
    }
    out.addAll(tr.flush());
    return out;
  }

  @Test
  void restoredTrackerContinuesIdentically() throws Exception {
    TrackerConfig cfg = TrackerConfig.builder().velocityWeight(0.5).build();
    for (long seed = 1; seed <= 3; seed++) {
      List<Object[]> frames = scene(seed, 60);
      List<FinalizedFrame> uninterrupted = run(cfg, frames, -1, false);
      assertThat(uninterrupted).hasSize(60);
      for (int cut : new int[] {0, 1, 7, 30, 58, 59}) {
        assertThat(run(cfg, frames, cut, cut % 2 == 0))
            .as("seed %d cut after %d", seed, cut)
            .isEqualTo(uninterrupted);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void pendingDivisionSurvivesSnapshotAndIsTakenBackAfterRestore() throws Exception {
    // over-segmentation in frame 4 only: a division that the next frame takes back
    List<Object[]> frames = new ArrayList<>();
    for (long t = 0; t <= 7; t++) {
      frames.add(
          new Object[] {
            t,
            t == 4
                ? List.of(new Detection(1, 90, 100, 1000, 1), new Detection(2, 112, 100, 1000, 1))
                : List.of(new Detection(1, 100, 100, 2000, 1))
          });
    }
    TrackerConfig cfg = TrackerConfig.defaults();
    OnlineTracker probe = new OnlineTracker(cfg);
    for (int k = 0; k <= 4; k++) {
      probe.push((Long) frames.get(k)[0], (List<Detection>) frames.get(k)[1]);
    }
    assertThat(probe.snapshot().pendingDivisions()).hasSize(1);
    List<FinalizedFrame> uninterrupted = run(cfg, frames, -1, false);
    assertThat(run(cfg, frames, 4, true)).isEqualTo(uninterrupted);
    assertThat(uninterrupted)
        .allSatisfy(
            f ->
                assertThat(f.events())
                    .noneMatch(e -> e.type() == TrackLifecycleEvent.Type.DIVISION));
  }

  @Test
  void snapshotHoldsOnlyActiveTracksAndHeldFrames() {
    TrackerConfig cfg = TrackerConfig.builder().delayFrames(3).build();
    OnlineTracker tr = new OnlineTracker(cfg);
    SyntheticScene s = new SyntheticScene(5, 30, 600, 600);
    for (int t = 0; t < 200; t++) {
      tr.push(t, s.next());
    }
    TrackerSnapshot snap = tr.snapshot();
    assertThat(snap.heldFrames())
        .extracting(TrackerSnapshot.HeldFrame::frameIndex)
        .containsExactly(197L, 198L, 199L);
    assertThat(snap.tracks()).hasSize(tr.activeTracks());
    // every active track can still be continued by the next frame
    assertThat(snap.tracks())
        .allSatisfy(x -> assertThat(x.lastFrame()).isGreaterThanOrEqualTo(199L - cfg.maxGap()));
    assertThat(snap.nextTrackId()).isGreaterThan(snap.tracks().size());
  }

  @Test
  void emptySnapshotRestores() throws Exception {
    TrackerConfig cfg = TrackerConfig.defaults();
    TrackerSnapshot snap = new OnlineTracker(cfg).snapshot();
    TrackerSnapshot back = JSON.readValue(JSON.writeValueAsString(snap), TrackerSnapshot.class);
    OnlineTracker tr = OnlineTracker.restore(cfg, back);
    tr.push(0, List.of(new Detection(1, 1, 1, 10, 0)));
    assertThat(tr.flush())
        .singleElement()
        .satisfies(f -> assertThat(f.assignments().get(0).trackId()).isEqualTo(1L));
  }
}
