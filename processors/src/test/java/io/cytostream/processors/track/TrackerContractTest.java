package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OnlineTracker} refuses, and that a refusal leaves it as it was. */
class TrackerContractTest {

  private static OnlineTracker started() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    tr.push(3, List.of(new Detection(1, 10, 10, 100, 1)));
    return tr;
  }

  private static void refused(Detection bad, String message) {
    OnlineTracker tr = started();
    TrackerSnapshot before = tr.snapshot();
    assertThatThrownBy(() -> tr.push(4, List.of(new Detection(2, 50, 50, 100, 1), bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
    assertThat(tr.snapshot()).isEqualTo(before);
    assertThat(tr.push(4, List.of())).isEmpty(); // index 4 is still free
  }

  @Test
  void refusesDetectionsOutsideTheirContract() {
    refused(new Detection(2, 1, 1, 100, 1), "unique");
    refused(new Detection(0, 1, 1, 100, 1), "labels must be > 0");
    refused(new Detection(-3, 1, 1, 100, 1), "labels must be > 0");
    refused(new Detection(3, Double.NaN, 1, 100, 1), "non-finite centroid");
    refused(new Detection(3, 1, Double.POSITIVE_INFINITY, 100, 1), "non-finite centroid");
    refused(new Detection(3, 1, 1, 0, 1), "area must be > 0");
    refused(new Detection(3, 1, 1, Double.NaN, 1), "area must be > 0");
    refused(new Detection(3, 1, 1, Double.POSITIVE_INFINITY, 1), "area must be > 0");
    refused(new Detection(3, 1, 1, 100, Double.NaN), "non-finite intensity");
    refused(new Detection(3, 1, 1, 100, Double.NEGATIVE_INFINITY), "non-finite intensity");
    OnlineTracker tr = started();
    assertThatThrownBy(() -> tr.push(4, Arrays.asList((Detection) null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tr.push(4, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void refusesFrameIndicesThatDoNotIncrease() {
    OnlineTracker tr = started();
    assertThatThrownBy(() -> tr.push(3, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 3 after 3");
    assertThatThrownBy(() -> tr.push(2, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OnlineTracker(TrackerConfig.defaults()).push(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
    // frame 0 is a valid first frame, and any larger index may follow
    OnlineTracker fresh = new OnlineTracker(TrackerConfig.defaults());
    fresh.push(0, List.of());
    fresh.push(7, List.of());
    assertThat(fresh.snapshot().lastFrameIndex()).isEqualTo(7);
  }

  @Test
  void restoreRefusesSnapshotsItCannotContinue() {
    TrackerSnapshot good = started().snapshot();
    assertThat(good.nextTrackId()).isEqualTo(2);
    assertThat(OnlineTracker.restore(TrackerConfig.defaults(), good).snapshot()).isEqualTo(good);
    assertThatThrownBy(
            () ->
                OnlineTracker.restore(
                    TrackerConfig.defaults(),
                    new TrackerSnapshot(
                        2, true, 3, 2, good.tracks(), good.heldFrames(), List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
    TrackerSnapshot.TrackState t1 = good.tracks().get(0);
    TrackerSnapshot.TrackState t5 = new TrackerSnapshot.TrackState(5, 0, 3, 0, 0, 0, 0, 100, 1, 1);
    // an id at or above the next id to hand out
    assertThatThrownBy(() -> restoreWith(List.of(t1, t5), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OnlineTracker.restore(TrackerConfig.defaults(), snapshotWith(List.of(t1, t5), 6)))
        .isNotNull();
    // out of order, or twice
    assertThatThrownBy(() -> restoreWith(List.of(t5, t1), 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> restoreWith(List.of(t1, t1), 6))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static TrackerSnapshot snapshotWith(List<TrackerSnapshot.TrackState> tracks, long next) {
    return new TrackerSnapshot(1, true, 3, next, tracks, List.of(), List.of());
  }

  private static OnlineTracker restoreWith(List<TrackerSnapshot.TrackState> tracks, long next) {
    return OnlineTracker.restore(TrackerConfig.defaults(), snapshotWith(tracks, next));
  }

  @Test
  void aTrackIsEndedOnceItMissedMoreThanMaxGapFrames() {
    // a gap of 2 frames costs 2 · 0.5 < 2 · nonLinkCost: bridged whenever allowed
    TrackerConfig cfg = TrackerConfig.builder().maxGap(2).delayFrames(0).gapPenalty(0.5).build();
    OnlineTracker tr = new OnlineTracker(cfg);
    List<FinalizedFrame> out =
        new ArrayList<>(tr.push(0, List.of(new Detection(1, 10, 10, 100, 1))));
    for (long t = 1; t <= 3; t++) {
      out.addAll(tr.push(t, List.of()));
      assertThat(tr.activeTracks()).as("after frame %d", t).isEqualTo(t < 3 ? 1 : 0);
    }
    // missed frames 1, 2 and 3: certain at frame 3, reported with its last frame 0
    assertThat(out.get(3).events())
        .containsExactly(
            new TrackLifecycleEvent(TrackLifecycleEvent.Type.TRACK_ENDED, 0, 1, List.of(), 0));
    // skipping indices: the track is retired before linking the frame after the skip
    OnlineTracker skip = new OnlineTracker(cfg);
    skip.push(0, List.of(new Detection(1, 10, 10, 100, 1)));
    FinalizedFrame f = skip.push(4, List.of(new Detection(1, 10, 10, 100, 1))).get(0);
    assertThat(f.assignments().get(0).trackId()).isEqualTo(2);
    assertThat(f.events())
        .extracting(TrackLifecycleEvent::type)
        .containsExactly(
            TrackLifecycleEvent.Type.TRACK_ENDED, TrackLifecycleEvent.Type.TRACK_STARTED);
    // exactly maxGap missed frames are bridged
    OnlineTracker bridge = new OnlineTracker(cfg);
    bridge.push(0, List.of(new Detection(1, 10, 10, 100, 1)));
    FinalizedFrame g = bridge.push(3, List.of(new Detection(1, 10, 10, 100, 1))).get(0);
    assertThat(g.assignments().get(0).trackId()).isEqualTo(1);
    assertThat(g.events())
        .containsExactly(
            new TrackLifecycleEvent(TrackLifecycleEvent.Type.GAP_CLOSED, 3, 1, List.of(), 2));
  }
}
