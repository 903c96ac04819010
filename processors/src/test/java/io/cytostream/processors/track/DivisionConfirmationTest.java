package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Taking back a division that the next frame contradicts, in the cases the scenes do not reach. */
class DivisionConfirmationTest {

  private static Detection det(int label, double x, double area) {
    return new Detection(label, x, 100, area, 1);
  }

  private static long id(FinalizedFrame f, int label) {
    return f.assignments().stream()
        .filter(a -> a.label() == label)
        .findFirst()
        .orElseThrow()
        .trackId();
  }

  private static long parent(FinalizedFrame f, int label) {
    return f.assignments().stream()
        .filter(a -> a.label() == label)
        .findFirst()
        .orElseThrow()
        .parentTrackId();
  }

  private static List<TrackLifecycleEvent.Type> types(FinalizedFrame f) {
    return f.events().stream().map(TrackLifecycleEvent::type).toList();
  }

  @Test
  void aSurvivingDaughterThatDividesAgainMakesTheMotherItsMother() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    List<FinalizedFrame> out = new ArrayList<>();
    out.addAll(tr.push(0, List.of(det(1, 100, 2000)))); // mother, track 1
    // frame 1: "daughters" 2 (at 80) and 3 (at 140)
    out.addAll(tr.push(1, List.of(det(1, 80, 1000), det(2, 140, 1000))));
    // frame 2: 3 is gone, 2 divides into 4 and 5: the first division is taken back, 2 becomes 1
    out.addAll(tr.push(2, List.of(det(1, 70, 500), det(2, 90, 500))));
    TrackerSnapshot snap = tr.snapshot();
    assertThat(snap.pendingDivisions())
        .containsExactly(new TrackerSnapshot.PendingDivision(2, 1, 0, 2, 4, 5));
    out.addAll(tr.push(3, List.of(det(1, 68, 500), det(2, 92, 500))));
    out.addAll(tr.flush());

    FinalizedFrame f1 = out.get(1);
    assertThat(id(f1, 1)).isEqualTo(1);
    assertThat(id(f1, 2)).isEqualTo(3);
    assertThat(parent(f1, 1)).isZero();
    assertThat(f1.events())
        .containsExactly(
            new TrackLifecycleEvent(TrackLifecycleEvent.Type.TRACK_STARTED, 1, 3, List.of(), 0));
    FinalizedFrame f2 = out.get(2);
    assertThat(List.of(id(f2, 1), id(f2, 2))).containsExactly(4L, 5L);
    assertThat(List.of(parent(f2, 1), parent(f2, 2))).containsExactly(1L, 1L);
    assertThat(f2.events())
        .containsExactly(
            new TrackLifecycleEvent(TrackLifecycleEvent.Type.DIVISION, 2, 1, List.of(4L, 5L), 0));
  }

  @Test
  void theSurvivingDaughterTakesTheMothersHistory() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    for (long t = 0; t <= 3; t++) {
      tr.push(t, List.of(det(1, 100, 2000)));
    }
    tr.push(4, List.of(det(1, 90, 1000), det(2, 112, 1000))); // over-segmented once
    tr.push(5, List.of(det(1, 91, 2000)));
    TrackerSnapshot.TrackState mother =
        tr.snapshot().tracks().stream().filter(s -> s.id() == 1).findFirst().orElseThrow();
    // seen in frames 0-3 as the mother, 4-5 as the surviving "daughter"
    assertThat(mother.firstFrame()).isZero();
    assertThat(mother.observations()).isEqualTo(6);
    assertThat(mother.lastFrame()).isEqualTo(5);
  }

  @Test
  void oneFrameOfDelayIsEnoughToConfirm() {
    TrackerConfig oneFrame = TrackerConfig.builder().delayFrames(1).build();
    List<FinalizedFrame> out = new ArrayList<>();
    OnlineTracker tr = new OnlineTracker(oneFrame);
    for (long t = 0; t <= 6; t++) {
      out.addAll(
          tr.push(
              t,
              t == 4 ? List.of(det(1, 90, 1000), det(2, 112, 1000)) : List.of(det(1, 100, 2000))));
    }
    out.addAll(tr.flush());
    assertThat(out).hasSize(7);
    assertThat(out)
        .allSatisfy(f -> assertThat(types(f)).doesNotContain(TrackLifecycleEvent.Type.DIVISION));
    assertThat(out).allSatisfy(f -> assertThat(id(f, 1)).isEqualTo(1));
  }
}
