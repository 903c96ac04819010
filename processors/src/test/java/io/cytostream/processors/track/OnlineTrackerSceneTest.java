package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small hand-made scenes with a known correct answer. */
class OnlineTrackerSceneTest {

  private static Detection det(int label, double x, double y) {
    return new Detection(label, x, y, 1000, 100);
  }

  private static Detection det(int label, double x, double y, double area) {
    return new Detection(label, x, y, area, 100);
  }

  /** Runs all frames (index = position in the list unless null = skipped) and flushes. */
  private static List<FinalizedFrame> run(TrackerConfig cfg, List<List<Detection>> frames) {
    OnlineTracker tr = new OnlineTracker(cfg);
    List<FinalizedFrame> out = new ArrayList<>();
    for (int t = 0; t < frames.size(); t++) {
      if (frames.get(t) != null) {
        out.addAll(tr.push(t, frames.get(t)));
      }
    }
    out.addAll(tr.flush());
    return out;
  }

  private static long id(FinalizedFrame f, int label) {
    return f.assignments().stream()
        .filter(a -> a.label() == label)
        .findFirst()
        .orElseThrow()
        .trackId();
  }

  private static List<TrackLifecycleEvent> events(
      List<FinalizedFrame> out, TrackLifecycleEvent.Type type) {
    List<TrackLifecycleEvent> e = new ArrayList<>();
    out.forEach(f -> f.events().stream().filter(x -> x.type() == type).forEach(e::add));
    return e;
  }

  @Test
  void crossingPathsKeepTheirIdsWithAVelocityPrediction() {
    // A moves right along y = 100, B left along y = 106, 10 px per frame: between frames 4 and 5
    // they pass each other, and each one's next position is nearer to the other's last one.
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 10; t++) {
      frames.add(List.of(det(1, 100 + 10 * t, 100), det(2, 197 - 10 * t, 106)));
    }
    TrackerConfig cfg = TrackerConfig.builder().velocityWeight(1.0).divisionsEnabled(false).build();
    List<FinalizedFrame> out = run(cfg, frames);
    assertThat(out).hasSize(11);
    long a = id(out.get(0), 1);
    long b = id(out.get(0), 2);
    assertThat(a).isNotEqualTo(b);
    for (FinalizedFrame f : out) {
      assertThat(id(f, 1)).as("frame %d", f.frameIndex()).isEqualTo(a);
      assertThat(id(f, 2)).as("frame %d", f.frameIndex()).isEqualTo(b);
    }
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_STARTED)).hasSize(2);
  }

  @Test
  void crossingPathsSwapWithoutVelocityAtTheCrossing() {
    // The same scene with a position-only prediction: near the crossing, nearest-neighbour
    // linking prefers the swap. This documents why the velocity term exists.
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 10; t++) {
      frames.add(List.of(det(1, 100 + 10 * t, 100), det(2, 197 - 10 * t, 106)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.builder().divisionsEnabled(false).build(), frames);
    long a = id(out.get(0), 1);
    assertThat(id(out.get(10), 1)).isNotEqualTo(a);
  }

  @Test
  void missedFrameIsGapClosedWithTheSameId() {
    // frame 3 is skipped entirely (missing index); frame 6 exists but the cell is not detected
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 9; t++) {
      frames.add(t == 3 ? null : t == 6 ? List.of() : List.of(det(7, 50 + 2 * t, 60)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.defaults(), frames);
    assertThat(out)
        .extracting(FinalizedFrame::frameIndex)
        .containsExactly(0L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L);
    long id = id(out.get(0), 7);
    for (FinalizedFrame f : out) {
      f.assignments().forEach(a -> assertThat(a.trackId()).isEqualTo(id));
    }
    List<TrackLifecycleEvent> gaps = events(out, TrackLifecycleEvent.Type.GAP_CLOSED);
    assertThat(gaps).extracting(TrackLifecycleEvent::frameIndex).containsExactly(4L, 7L);
    assertThat(gaps).extracting(TrackLifecycleEvent::framesMissed).containsExactly(1, 1);
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_ENDED)).isEmpty();

    // In CTC form the gap splits the track: 0-2, then 4-5 (parent 1), then 7-9 (parent 2)
    CtcTrackTable table = new CtcTrackTable();
    table.acceptAll(out);
    assertThat(table.render()).isEqualTo("1 0 2 0\n2 4 5 1\n3 7 9 2\n");
    assertThat(table.ctcLabel(5, 7)).isEqualTo(2);
  }

  @Test
  void gapLongerThanMaxGapStartsANewTrack() {
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 8; t++) {
      frames.add(t >= 2 && t <= 4 ? List.of() : List.of(det(1, 50, 60)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.builder().maxGap(2).build(), frames);
    long first = id(out.get(0), 1);
    long later = id(out.get(5), 1);
    assertThat(later).isGreaterThan(first);
    List<TrackLifecycleEvent> ended = events(out, TrackLifecycleEvent.Type.TRACK_ENDED);
    assertThat(ended)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.trackId()).isEqualTo(first);
              assertThat(e.frameIndex()).isEqualTo(1L); // last frame the track was seen
            });
    // reported with the frame that made it certain: 1 + maxGap + 1 = 4
    assertThat(out.get(4).events())
        .extracting(TrackLifecycleEvent::type)
        .contains(TrackLifecycleEvent.Type.TRACK_ENDED);
  }

  @Test
  void divisionGivesOneMotherAndTwoDaughters() {
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 3; t++) {
      frames.add(List.of(det(1, 100 + t, 100, 2000), det(2, 300, 300, 1500)));
    }
    for (int t = 4; t <= 7; t++) {
      int s = 15 + 3 * (t - 4);
      frames.add(
          List.of(det(5, 103 - s, 100, 1000), det(2, 300, 300, 1500), det(9, 103 + s, 100, 950)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.defaults(), frames);
    long mother = id(out.get(0), 1);
    long other = id(out.get(0), 2);
    List<TrackLifecycleEvent> div = events(out, TrackLifecycleEvent.Type.DIVISION);
    assertThat(div).hasSize(1);
    TrackLifecycleEvent d = div.get(0);
    assertThat(d.trackId()).isEqualTo(mother);
    assertThat(d.frameIndex()).isEqualTo(4L);
    long d1 = id(out.get(4), 5);
    long d2 = id(out.get(4), 9);
    assertThat(d.daughterTrackIds()).containsExactly(d1, d2);
    assertThat(d1).isNotEqualTo(mother).isNotEqualTo(other);
    assertThat(d2).isNotEqualTo(mother).isNotEqualTo(d1);
    // parent only on the daughters' first frame
    for (FinalizedFrame f : out) {
      for (TrackAssignment a : f.assignments()) {
        boolean firstDaughterFrame = f.frameIndex() == 4 && (a.label() == 5 || a.label() == 9);
        assertThat(a.parentTrackId()).isEqualTo(firstDaughterFrame ? mother : 0L);
        if (f.frameIndex() >= 4) {
          assertThat(a.trackId()).isNotEqualTo(mother);
        }
      }
    }
    assertThat(id(out.get(7), 5)).isEqualTo(d1);
    assertThat(id(out.get(7), 9)).isEqualTo(d2);
    assertThat(id(out.get(7), 2)).isEqualTo(other);
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_ENDED)).isEmpty();
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_STARTED)).hasSize(2);

    CtcTrackTable table = new CtcTrackTable();
    table.acceptAll(out);
    assertThat(table.render()).isEqualTo("1 0 3 0\n2 0 7 0\n3 4 7 1\n4 4 7 1\n");
  }

  @Test
  void divisionIsFoundWhenBothDaughtersAreBeyondTheLinkGate() {
    // daughters 35 px either side: farther than maxLinkDistance (30), so the LAP links neither
    // and both are unlinked; the division step pairs them within divisionMaxDistance (50)
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 2; t++) {
      frames.add(List.of(det(1, 200, 200, 2000)));
    }
    for (int t = 3; t <= 5; t++) {
      frames.add(List.of(det(3, 200, 165 - t, 1000), det(4, 200, 235 + t, 1000)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.defaults(), frames);
    long mother = id(out.get(0), 1);
    assertThat(events(out, TrackLifecycleEvent.Type.DIVISION))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.trackId()).isEqualTo(mother);
              assertThat(e.frameIndex()).isEqualTo(3L);
              assertThat(e.daughterTrackIds())
                  .containsExactly(id(out.get(3), 3), id(out.get(3), 4));
            });
    assertThat(out.get(3).assignments())
        .allSatisfy(a -> assertThat(a.parentTrackId()).isEqualTo(mother));
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_ENDED)).isEmpty();
    assertThat(id(out.get(5), 3)).isEqualTo(id(out.get(3), 3));
  }

  @Test
  void oneFrameOverSegmentationIsNotADivisionWhenConfirmationIsOn() {
    // a cell of 2000 px is split into two halves in frame 4 only, then whole again
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 8; t++) {
      frames.add(
          t == 4
              ? List.of(det(1, 90, 100, 1000), det(2, 112, 100, 1000))
              : List.of(det(1, 100, 100, 2000)));
    }
    List<FinalizedFrame> confirmed = run(TrackerConfig.defaults(), frames);
    long cell = id(confirmed.get(0), 1);
    assertThat(events(confirmed, TrackLifecycleEvent.Type.DIVISION)).isEmpty();
    for (FinalizedFrame f : confirmed) {
      assertThat(f.assignments()).allSatisfy(a -> assertThat(a.parentTrackId()).isZero());
      if (f.frameIndex() != 4) {
        assertThat(id(f, 1)).as("frame %d", f.frameIndex()).isEqualTo(cell);
      }
    }
    // in frame 4 the piece that continues keeps the id; the other piece is a short track
    long f4a = id(confirmed.get(4), 1);
    long f4b = id(confirmed.get(4), 2);
    assertThat(List.of(f4a, f4b)).contains(cell);
    long fragment = f4a == cell ? f4b : f4a;
    assertThat(confirmed.get(4).events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(TrackLifecycleEvent.Type.TRACK_STARTED);
              assertThat(e.trackId()).isEqualTo(fragment);
            });
    assertThat(events(confirmed, TrackLifecycleEvent.Type.TRACK_ENDED))
        .singleElement()
        .satisfies(e -> assertThat(e.trackId()).isEqualTo(fragment));
    CtcTrackTable table = new CtcTrackTable();
    table.acceptAll(confirmed);
    assertThat(table.tracks()).extracting(CtcTrackTable.CtcTrack::parent).containsOnly(0);

    // without confirmation (or without a delay to look back in) it is taken as a division
    TrackerConfig unconfirmed = TrackerConfig.builder().confirmDivisions(false).build();
    assertThat(events(run(unconfirmed, frames), TrackLifecycleEvent.Type.DIVISION)).hasSize(1);
    assertThat(
            events(
                run(TrackerConfig.builder().delayFrames(0).build(), frames),
                TrackLifecycleEvent.Type.DIVISION))
        .hasSize(1);
  }

  @Test
  void cellAppearingNextToAnotherIsABirthNotADivision() {
    // the neighbour keeps its full area: the areas do not add up to the old one
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 3; t++) {
      frames.add(List.of(det(1, 100, 100, 1000)));
    }
    for (int t = 4; t <= 6; t++) {
      frames.add(List.of(det(1, 100, 100, 1000), det(2, 130, 100, 1000)));
    }
    List<FinalizedFrame> out = run(TrackerConfig.defaults(), frames);
    assertThat(events(out, TrackLifecycleEvent.Type.DIVISION)).isEmpty();
    assertThat(id(out.get(6), 1)).isEqualTo(id(out.get(0), 1));
    assertThat(out.get(4).events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(TrackLifecycleEvent.Type.TRACK_STARTED);
              assertThat(e.trackId()).isEqualTo(id(out.get(4), 2));
            });
  }

  @Test
  void cellLeavingTheFieldEndsItsTrackAndCellEnteringStartsANewOne() {
    List<List<Detection>> frames = new ArrayList<>();
    for (int t = 0; t <= 9; t++) {
      List<Detection> f = new ArrayList<>();
      if (t <= 4) {
        f.add(det(1, 20 - 4 * t, 200)); // leaves over the left border after frame 4
      }
      f.add(det(2, 300, 300));
      if (t >= 6) {
        f.add(det(3, 600, 10 + 3 * t)); // enters at frame 6
      }
      frames.add(f);
    }
    List<FinalizedFrame> out = run(TrackerConfig.defaults(), frames);
    long leaving = id(out.get(0), 1);
    long staying = id(out.get(0), 2);
    long entering = id(out.get(6), 3);
    assertThat(entering).isGreaterThan(Math.max(leaving, staying));
    assertThat(id(out.get(9), 3)).isEqualTo(entering);
    assertThat(id(out.get(9), 2)).isEqualTo(staying);
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_ENDED))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.trackId()).isEqualTo(leaving);
              assertThat(e.frameIndex()).isEqualTo(4L);
            });
    assertThat(events(out, TrackLifecycleEvent.Type.TRACK_STARTED))
        .extracting(TrackLifecycleEvent::trackId)
        .containsExactly(leaving, staying, entering);
  }

  @Test
  void framesAreHeldBackDelayFramesAndIdsNeverChangeOrRepeat() {
    TrackerConfig cfg = TrackerConfig.builder().delayFrames(2).build();
    OnlineTracker tr = new OnlineTracker(cfg);
    assertThat(tr.push(0, List.of(det(1, 10, 10)))).isEmpty();
    assertThat(tr.push(1, List.of(det(1, 11, 10)))).isEmpty();
    List<FinalizedFrame> f2 = tr.push(2, List.of(det(1, 12, 10)));
    assertThat(f2)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.frameIndex()).isZero();
              assertThat(f.finalAtFrame()).isEqualTo(2L);
            });
    // a skipped range releases everything that is old enough, oldest first
    List<FinalizedFrame> f9 = tr.push(9, List.of(det(4, 500, 500)));
    assertThat(f9).extracting(FinalizedFrame::frameIndex).containsExactly(1L, 2L);
    assertThat(f9).extracting(FinalizedFrame::finalAtFrame).containsExactly(9L, 9L);
    List<FinalizedFrame> rest = tr.flush();
    assertThat(rest).extracting(FinalizedFrame::frameIndex).containsExactly(9L);
    assertThat(rest.get(0).finalAtFrame()).isEqualTo(9L);
    // the old track (lost since frame 2) ended, the new cell has a fresh id
    assertThat(rest.get(0).events())
        .extracting(TrackLifecycleEvent::type)
        .containsExactly(
            TrackLifecycleEvent.Type.TRACK_ENDED, TrackLifecycleEvent.Type.TRACK_STARTED);
    assertThat(rest.get(0).assignments().get(0).trackId()).isEqualTo(2L);

    OnlineTracker zero = new OnlineTracker(cfg.toBuilder().delayFrames(0).build());
    assertThat(zero.push(0, List.of(det(1, 10, 10))))
        .singleElement()
        .satisfies(f -> assertThat(f.finalAtFrame()).isZero());
  }

  @Test
  void idsAreStableAndNeverReusedInARandomScene() {
    SyntheticScene scene = new SyntheticScene(11, 40, 800, 800);
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    List<FinalizedFrame> out = new ArrayList<>();
    long t = 0;
    for (int k = 0; k < 80; k++) {
      t += scene.skipFrame() ? 2 : 1;
      out.addAll(tr.push(t, scene.next()));
    }
    out.addAll(tr.flush());
    Map<Long, Long> lastSeen = new HashMap<>();
    java.util.Set<Long> finished = new java.util.HashSet<>();
    long maxId = 0;
    long prevFrame = -1;
    for (FinalizedFrame f : out) {
      assertThat(f.frameIndex()).isGreaterThan(prevFrame);
      prevFrame = f.frameIndex();
      for (TrackLifecycleEvent e : f.events()) {
        if (e.type() == TrackLifecycleEvent.Type.TRACK_ENDED
            || e.type() == TrackLifecycleEvent.Type.DIVISION) {
          finished.add(e.trackId());
        }
      }
      java.util.Set<Long> inFrame = new java.util.HashSet<>();
      long maxInFrame = maxId;
      for (TrackAssignment a : f.assignments()) {
        assertThat(a.trackId()).isPositive();
        assertThat(inFrame.add(a.trackId())).isTrue();
        if (!lastSeen.containsKey(a.trackId())) {
          assertThat(a.trackId()).as("new ids exceed all earlier ones").isGreaterThan(maxId);
          maxInFrame = Math.max(maxInFrame, a.trackId());
        }
        assertThat(finished).doesNotContain(a.trackId());
        lastSeen.put(a.trackId(), f.frameIndex());
      }
      maxId = maxInFrame;
    }
    assertThat(events(out, TrackLifecycleEvent.Type.DIVISION)).isNotEmpty();
    assertThat(events(out, TrackLifecycleEvent.Type.GAP_CLOSED)).isNotEmpty();
  }

  @Test
  void pushingAfterFlushContinuesTheTracks() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    tr.push(0, List.of(det(1, 100, 100, 2000)));
    // a division in the last frame before the flush, pending confirmation
    tr.push(1, List.of(det(1, 85, 100, 1000), det(2, 115, 100, 1000)));
    List<FinalizedFrame> flushed = tr.flush();
    assertThat(flushed).hasSize(2);
    assertThat(events(flushed, TrackLifecycleEvent.Type.DIVISION)).hasSize(1);
    tr.push(2, List.of(det(1, 84, 100, 1000)));
    List<FinalizedFrame> later = tr.flush();
    assertThat(id(later.get(0), 1)).isEqualTo(id(flushed.get(1), 1));
  }

  @Test
  void rejectsBadInput() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    tr.push(3, List.of(det(1, 0, 0)));
    assertThatThrownBy(() -> tr.push(3, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tr.push(4, List.of(det(1, 0, 0), det(1, 5, 5))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tr.push(5, List.of(det(0, 0, 0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tr.push(6, List.of(new Detection(1, Double.NaN, 0, 10, 0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tr.push(7, List.of(new Detection(1, 0, 0, 0, 0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OnlineTracker(TrackerConfig.defaults()).push(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrackerConfig.builder().maxLinkDistance(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
