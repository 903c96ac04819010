package io.cytostream.processors.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tracker choosing among a hierarchy of candidate segments ({@link OnlineTracker#push(long,
 * List, List)}, {@link CandidateSelector}): a one-frame merge or split of the single-level
 * segmentation no longer becomes a gap, a division or a birth.
 */
class CandidateHierarchyTrackingTest {
  private static final TrackerConfig CFG = TrackerConfig.defaults();

  /** Everything the tracker returned for a run, frame by frame. */
  private record Run(List<FinalizedFrame> frames) {
    Map<Integer, Long> labelsToTracks(long t) {
      Map<Integer, Long> m = new HashMap<>();
      for (FinalizedFrame f : frames) {
        if (f.frameIndex() == t) {
          f.assignments().forEach(a -> m.put(a.label(), a.trackId()));
        }
      }
      return m;
    }

    Set<Long> tracks() {
      Set<Long> s = new HashSet<>();
      frames.forEach(f -> f.assignments().forEach(a -> s.add(a.trackId())));
      return s;
    }

    long count(TrackLifecycleEvent.Type type) {
      return frames.stream()
          .flatMap(f -> f.events().stream())
          .filter(e -> e.type() == type)
          .count();
    }
  }

  private static Detection cell(int label, double x, double y, double area) {
    return new Detection(label, x, y, area, 100.0);
  }

  /**
   * Two touching cells (area 300 px, 22 px apart) over 10 frames; in frame 5 the segmenter reports
   * them as one segment (its preferred cut) while its hierarchy still holds both halves.
   */
  private static Run touchingPair(boolean hierarchy) {
    OnlineTracker tracker = new OnlineTracker(CFG);
    List<FinalizedFrame> out = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      double jitter = 0.3 * (t % 3);
      Detection a = cell(1, 60 + jitter, 50, 300);
      Detection b = cell(2, 82 - jitter, 50, 300);
      if (t != 5) {
        out.addAll(tracker.push(t, List.of(a, b)));
      } else if (hierarchy) {
        out.addAll(
            tracker.push(t, List.of(a, b), List.of(new Candidate(3, new int[] {1, 2}, true))));
      } else {
        out.addAll(tracker.push(t, List.of(cell(3, 71, 50, 600))));
      }
    }
    out.addAll(tracker.flush());
    return new Run(out);
  }

  @Test
  void oneFrameMergeKeepsBothTracksWithTheHierarchy() {
    Run r = touchingPair(true);
    assertEquals(2, r.tracks().size(), "two tracks, no births");
    Map<Integer, Long> before = r.labelsToTracks(4);
    Map<Integer, Long> merged = r.labelsToTracks(5);
    Map<Integer, Long> after = r.labelsToTracks(6);
    assertEquals(before, merged, "frame 5 chooses both halves, each on its own track");
    assertEquals(before, after);
    assertEquals(0, r.count(TrackLifecycleEvent.Type.GAP_CLOSED));
    assertEquals(0, r.count(TrackLifecycleEvent.Type.DIVISION));
    assertEquals(2, r.count(TrackLifecycleEvent.Type.TRACK_STARTED));
  }

  @Test
  void withoutTheHierarchyTheSameMergeLosesATrackForAFrame() {
    Run r = touchingPair(false);
    assertEquals(1, r.labelsToTracks(5).size(), "one segment, one track in frame 5");
    long disrupted =
        r.count(TrackLifecycleEvent.Type.GAP_CLOSED)
            + r.count(TrackLifecycleEvent.Type.DIVISION)
            + r.tracks().size()
            - 2;
    assertTrue(disrupted > 0, "a gap, a division or a new track");
  }

  /** One cell (area 500 px); in frame 5 the segmenter splits it in two, the union not preferred. */
  private static Run splitCell(boolean hierarchy) {
    OnlineTracker tracker = new OnlineTracker(CFG);
    List<FinalizedFrame> out = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      double x = 100 + 0.5 * t;
      if (t != 5) {
        out.addAll(tracker.push(t, List.of(cell(1, x, 100, 500))));
        continue;
      }
      List<Detection> halves = List.of(cell(1, x - 8, 100, 250), cell(2, x + 8, 100, 250));
      List<Candidate> union =
          hierarchy ? List.of(new Candidate(3, new int[] {1, 2}, false)) : List.of();
      out.addAll(tracker.push(t, halves, union));
    }
    out.addAll(tracker.flush());
    return new Run(out);
  }

  @Test
  void oneFrameSplitStaysOneTrackWithTheHierarchy() {
    Run r = splitCell(true);
    assertEquals(1, r.tracks().size());
    assertEquals(Map.of(3, r.tracks().iterator().next()), r.labelsToTracks(5), "the union");
    assertEquals(0, r.count(TrackLifecycleEvent.Type.DIVISION));
    assertEquals(1, r.count(TrackLifecycleEvent.Type.TRACK_STARTED));
  }

  @Test
  void withoutTheHierarchyTheSplitMakesMoreTracks() {
    Run r = splitCell(false);
    assertTrue(r.tracks().size() > 1, "a division or a birth: " + r.tracks());
  }

  @Test
  void withoutTracksThePreferredCutIsTaken() {
    OnlineTracker tracker = new OnlineTracker(TrackerConfig.builder().delayFrames(0).build());
    List<Detection> leaves =
        List.of(cell(1, 10, 10, 200), cell(2, 30, 10, 200), cell(4, 200, 200, 300));
    List<Candidate> c =
        List.of(
            new Candidate(3, new int[] {1, 2}, true), new Candidate(5, new int[] {1, 2, 4}, false));
    List<FinalizedFrame> f = tracker.push(0, leaves, c);
    Set<Integer> labels = new HashSet<>();
    f.get(0).assignments().forEach(a -> labels.add(a.label()));
    assertEquals(Set.of(3, 4), labels);
  }

  @Test
  void aPreferredCandidateOfPiecesTooFarApartToTouchIsNotOneCell() {
    // a cell of 300 px and a small one of 60 px at the image edge, 200 px apart, that the
    // segmenter reports as one segment (its preferred candidate) in every frame
    OnlineTracker tracker = new OnlineTracker(CFG);
    List<Candidate> union = List.of(new Candidate(3, new int[] {1, 2}, true));
    List<FinalizedFrame> out = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      out.addAll(tracker.push(t, List.of(cell(1, 60, 50, 300), cell(2, 260, 4, 60)), union));
    }
    out.addAll(tracker.flush());
    Run r = new Run(out);
    for (long t = 0; t < 6; t++) {
      assertEquals(Set.of(1, 2), r.labelsToTracks(t).keySet(), "frame " + t);
    }
    assertEquals(2, r.tracks().size());
    // within reach of each other (centroids the summed radii apart) the preferred candidate stays
    OnlineTracker near = new OnlineTracker(CFG.toBuilder().delayFrames(0).build());
    List<FinalizedFrame> f =
        near.push(0, List.of(cell(1, 60, 50, 300), cell(2, 74, 50, 60)), union);
    assertEquals(Set.of(3), new Run(f).labelsToTracks(0).keySet());
  }

  @Test
  void aSplitThatPersistsNextToTwoTracksIsKept() {
    // two tracked cells whose union is a (non-preferred) candidate: the tracker keeps both
    OnlineTracker tracker = new OnlineTracker(TrackerConfig.builder().delayFrames(0).build());
    List<Candidate> union = List.of(new Candidate(9, new int[] {1, 2}, false));
    for (int t = 0; t < 4; t++) {
      List<FinalizedFrame> f =
          tracker.push(t, List.of(cell(1, 60, 50, 300), cell(2, 82, 50, 300)), union);
      assertEquals(2, f.get(0).assignments().size());
    }
    assertEquals(2, tracker.activeTracks());
  }

  @Test
  void candidatesMustBeLaminarAndNameKnownLeaves() {
    OnlineTracker tracker = new OnlineTracker(CFG);
    List<Detection> leaves =
        List.of(cell(1, 10, 10, 200), cell(2, 30, 10, 200), cell(3, 50, 10, 200));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            tracker.push(
                0,
                leaves,
                List.of(
                    new Candidate(4, new int[] {1, 2}, true),
                    new Candidate(5, new int[] {2, 3}, false))));
    assertThrows(
        IllegalArgumentException.class,
        () -> tracker.push(1, leaves, List.of(new Candidate(4, new int[] {1, 7}, true))));
    assertThrows(
        IllegalArgumentException.class,
        () -> tracker.push(2, leaves, List.of(new Candidate(3, new int[] {1, 2}, true))));
  }

  /**
   * A cell (area 600 px) divides at frame 10 into two daughters (300 px each) that the segmenter
   * reports as one segment in frames 10 and 11 (its preferred cut; with {@code hierarchy} the
   * hierarchy holds both halves) and as two from frame 12 on, moving apart.
   */
  private static Run divisionWithTouchingDaughters(boolean hierarchy, int delay) {
    return divisionWithTouchingDaughters(hierarchy, delay, 300);
  }

  /** As above, the daughters of {@code areaA} and {@code 600 − areaA} px. */
  private static Run divisionWithTouchingDaughters(boolean hierarchy, int delay, double areaA) {
    OnlineTracker tracker = new OnlineTracker(CFG.toBuilder().delayFrames(delay).build());
    List<FinalizedFrame> out = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      double x = 100 + 0.3 * (t % 2);
      if (t < 10) {
        out.addAll(tracker.push(t, List.of(cell(1, x, 100, 600))));
        continue;
      }
      double half = t < 12 ? 11 : 11 + 3 * (t - 11);
      Detection a = cell(1, x - half, 100, areaA);
      Detection b = cell(2, x + half, 100, 600 - areaA);
      if (t >= 12) {
        out.addAll(tracker.push(t, List.of(a, b)));
      } else if (hierarchy) {
        out.addAll(
            tracker.push(t, List.of(a, b), List.of(new Candidate(3, new int[] {1, 2}, true))));
      } else {
        out.addAll(tracker.push(t, List.of(cell(3, x, 100, 600))));
      }
    }
    out.addAll(tracker.flush());
    return new Run(out);
  }

  private static List<TrackLifecycleEvent> divisions(Run r) {
    return r.frames().stream()
        .flatMap(f -> f.events().stream())
        .filter(e -> e.type() == TrackLifecycleEvent.Type.DIVISION)
        .toList();
  }

  @Test
  void aDivisionIsPlacedWhereTheHierarchyFirstHoldsTheDaughtersApart() {
    Run r = divisionWithTouchingDaughters(true, 2);
    List<TrackLifecycleEvent> div = divisions(r);
    assertEquals(1, div.size());
    assertEquals(10, div.get(0).frameIndex(), "the daughters' first frame");
    long mother = div.get(0).trackId();
    assertEquals(Map.of(1, mother), r.labelsToTracks(9));
    Map<Integer, Long> first = r.labelsToTracks(10);
    assertEquals(Set.of(1, 2), first.keySet(), "both halves chosen in frame 10");
    assertEquals(Set.copyOf(div.get(0).daughterTrackIds()), Set.copyOf(first.values()));
    assertEquals(first, r.labelsToTracks(11));
    assertEquals(first, r.labelsToTracks(15));
    for (FinalizedFrame f : r.frames()) {
      for (TrackAssignment a : f.assignments()) {
        assertEquals(f.frameIndex() == 10 ? mother : 0, a.parentTrackId(), "frame " + f);
      }
    }
    assertEquals(3, r.tracks().size());
    assertEquals(1, r.count(TrackLifecycleEvent.Type.TRACK_STARTED));
  }

  @Test
  void aDivisionMovesNoFurtherBackThanTheHeldFrames() {
    Run r = divisionWithTouchingDaughters(true, 1);
    List<TrackLifecycleEvent> div = divisions(r);
    assertEquals(1, div.size());
    assertEquals(11, div.get(0).frameIndex(), "frame 10 was final when the division was found");
    assertEquals(Map.of(3, div.get(0).trackId()), r.labelsToTracks(10));
  }

  @Test
  void aDivisionDoesNotMoveIntoACutOfUnequalParts() {
    // a body and a protrusion (1 : 2) that the hierarchy holds apart are no sister nuclei
    List<TrackLifecycleEvent> div = divisions(divisionWithTouchingDaughters(true, 2, 200));
    assertEquals(1, div.size());
    assertEquals(12, div.get(0).frameIndex());
    // up to EarlierDivisions.MAX_PART_RATIO they are
    div = divisions(divisionWithTouchingDaughters(true, 2, 250));
    assertEquals(10, div.get(0).frameIndex(), "350 : 250 = 1.4");
  }

  @Test
  void withoutTheHierarchyTheDivisionIsFoundWhenTheDaughtersSeparate() {
    Run r = divisionWithTouchingDaughters(false, 2);
    List<TrackLifecycleEvent> div = divisions(r);
    assertEquals(1, div.size());
    assertEquals(12, div.get(0).frameIndex());
  }

  @Test
  void aDivisionMovedBackSurvivesASnapshotInJson() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    OnlineTracker a = new OnlineTracker(CFG);
    OnlineTracker b = new OnlineTracker(CFG);
    List<FinalizedFrame> outA = new ArrayList<>();
    List<FinalizedFrame> outB = new ArrayList<>();
    for (int t = 0; t < 14; t++) {
      List<Detection> leaves;
      List<Candidate> cands = List.of();
      if (t < 10) {
        leaves = List.of(cell(1, 100, 100, 600));
      } else {
        double half = t < 12 ? 11 : 11 + 3 * (t - 11);
        leaves = List.of(cell(1, 100 - half, 100, 300), cell(2, 100 + half, 100, 300));
        cands = t < 12 ? List.of(new Candidate(3, new int[] {1, 2}, true)) : List.of();
      }
      outA.addAll(a.push(t, leaves, cands));
      outB.addAll(b.push(t, leaves, cands));
      if (t == 11) {
        String text = json.writeValueAsString(b.snapshot());
        assertTrue(text.contains("\"splits\""), "the held frames' splits are stored");
        b = OnlineTracker.restore(CFG, json.readValue(text, TrackerSnapshot.class));
      }
    }
    outA.addAll(a.flush());
    outB.addAll(b.flush());
    assertEquals(outA, outB);
    assertEquals(10, divisions(new Run(outB)).get(0).frameIndex());
  }
}
