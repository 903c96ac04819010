package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Area changes and track losses that segmentation or tracking explains (merge, split, division, the
 * image edge) are suppressed with their reason; the same changes without an explanation are
 * reported, with score and evidence.
 */
class ExplainedTrackingEventsTest {

  static final AnomalyConfig C = AnomalyConfig.documented();
  static final int W = 200;

  static TrackObservation cell(long id, double area, double x, double y) {
    return new TrackObservation(id, area, 0, x, y);
  }

  static TrackingDetector.Result frame(
      TrackingDetector d, long f, List<Long> lost, TrackObservation... cells) {
    return d.test(f, List.of(cells), lost, W, W);
  }

  @Test
  void mergeExplainsTheGrowthAndTheLossButARealGrowthIsReported() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 3; f++) {
      frame(d, f, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    }
    // frame 3: 2 vanishes and 1 holds both cells; 9 grows by itself (no neighbour gone)
    frame(d, 3, List.of(), cell(1, 600, 60, 50), cell(9, 600, 150, 150));
    TrackingDetector.Result r =
        frame(d, 4, List.of(2L), cell(1, 600, 60, 50), cell(9, 600, 150, 150));

    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(a.trackId()).isEqualTo(9);
              assertThat(a.score()).isEqualTo(1.0 / 0.5);
              assertThat(a.evidence().values())
                  .containsEntry("referenceAreaPx", 300.0)
                  .containsEntry("areaPx", 600.0);
              assertThat(a.evidence().frames()).containsExactly(3L, 4L);
              assertThat(a.evidence().windowFrames()).isEqualTo(2);
            });
    assertThat(r.suppressed())
        .extracting(s -> s.anomaly().type(), s -> s.anomaly().trackId(), Suppressed::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                AnomalyType.AREA_CHANGE, 1L, Suppressed.Reason.MERGE),
            org.assertj.core.groups.Tuple.tuple(
                AnomalyType.TRACK_LOST, 2L, Suppressed.Reason.MERGE));
    Suppressed lost =
        r.suppressed().stream()
            .filter(s -> s.anomaly().type() == AnomalyType.TRACK_LOST)
            .findFirst()
            .orElseThrow();
    assertThat(lost.anomaly().evidence().relatedTracks()).containsExactly(1L);
    assertThat(lost.anomaly().evidence().frames()).containsExactly(0L, 2L);
  }

  @Test
  void splitExplainsTheShrinkingAndTheFragmentsLoss() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 3; f++) {
      frame(d, f, List.of(), cell(1, 600, 60, 50), cell(9, 600, 150, 150));
    }
    // frame 3: a new track 3 appears inside 1's old outline, 1 halves; 9 halves alone
    frame(d, 3, List.of(), cell(1, 250, 70, 50), cell(3, 300, 50, 50), cell(9, 250, 150, 150));
    TrackingDetector.Result r =
        frame(d, 4, List.of(), cell(1, 250, 70, 50), cell(3, 300, 50, 50), cell(9, 250, 150, 150));
    assertThat(r.reported()).extracting(Anomaly::trackId).containsExactly(9L);
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(1);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.SPLIT);
            });
    // the fragment ends later: explained too
    frame(d, 5, List.of(), cell(1, 600, 60, 50), cell(9, 250, 150, 150));
    TrackingDetector.Result end = frame(d, 6, List.of(3L), cell(1, 600, 60, 50));
    assertThat(end.suppressed())
        .anySatisfy(
            s -> {
              assertThat(s.anomaly().type()).isEqualTo(AnomalyType.TRACK_LOST);
              assertThat(s.anomaly().trackId()).isEqualTo(3);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.SPLIT);
            });
    assertThat(end.reported()).noneMatch(a -> a.trackId() == 3);
  }

  @Test
  void edgeAndDivisionExplainButAnInteriorLossIsReported() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 5; f++) {
      frame(d, f, List.of(), cell(4, 300, 6, 100), cell(5, 300, 100, 100), cell(8, 600, 150, 40));
    }
    // 8 divides at frame 5; daughter 6 doubles at once (its area settles)
    d.test(
        5,
        List.of(
            cell(5, 300, 100, 100),
            new TrackObservation(6, 150, 8, 145, 40),
            new TrackObservation(7, 150, 8, 155, 40)),
        List.of(),
        W,
        W);
    frame(d, 6, List.of(), cell(5, 300, 100, 100), cell(6, 300, 145, 40), cell(7, 150, 155, 40));
    TrackingDetector.Result r =
        frame(d, 7, List.of(4L, 5L), cell(6, 300, 145, 40), cell(7, 150, 155, 40));
    assertThat(r.suppressed())
        .extracting(s -> s.anomaly().trackId(), Suppressed::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(4L, Suppressed.Reason.BORDER),
            org.assertj.core.groups.Tuple.tuple(6L, Suppressed.Reason.DIVISION));
    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AnomalyType.TRACK_LOST);
              assertThat(a.trackId()).isEqualTo(5);
              assertThat(a.evidence().values()).containsEntry("trackLengthFrames", 7.0); // 0..6
              assertThat(a.evidence().values()).containsEntry("distanceToEdgePx", 99.0);
            });
  }

  @Test
  void aSegmentThatShrankAwayFadedButACellThatVanishesWholeIsLost() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 6; f++) {
      frame(d, f, List.of(), cell(1, 600, 50, 50), cell(2, 600, 150, 150));
    }
    // 1's segment shrinks to a quarter before it vanishes; 2 vanishes whole
    frame(d, 6, List.of(), cell(1, 150, 50, 50), cell(2, 600, 150, 150));
    frame(d, 7, List.of());
    TrackingDetector.Result r = frame(d, 8, List.of(1L, 2L));
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(1);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.FADED);
              assertThat(s.anomaly().evidence().context()).contains("faded");
            });
    assertThat(r.reported()).extracting(Anomaly::trackId).containsExactly(2L);
  }

  @Test
  void shortTracksEndingAreBelowTheLossThreshold() {
    AnomalyConfig c = C.toBuilder().trackLostMinFrames(5).trackLostMinRelativeArea(0.5).build();
    TrackingDetector d = new TrackingDetector(c);
    for (int f = 0; f < 10; f++) {
      List<TrackObservation> cells =
          f < 3
              ? List.of(cell(1, 300, 50, 50), cell(2, 300, 150, 150))
              : List.of(cell(2, 300, 150, 150));
      d.test(f, cells, List.of(), W, W);
    }
    TrackingDetector.Result r = d.test(10, List.of(), List.of(1L, 2L), W, W);
    assertThat(r.suppressed()).isEmpty();
    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.trackId()).isEqualTo(2);
              // two tracks do not give the field's size: the lost cell is taken as typical
              assertThat(a.statistic()).isEqualTo("relative_area");
              assertThat(a.score()).isEqualTo(1.0 / 0.5);
              assertThat(a.evidence().values()).containsEntry("trackLengthFrames", 10.0);
            });
  }

  @Test
  void aLostFragmentIsBelowTheRelativeAreaThresholdAWholeCellIsReported() {
    AnomalyConfig c = C.toBuilder().trackLostMinRelativeArea(0.5).build();
    TrackingDetector d = new TrackingDetector(c);
    for (int f = 0; f < 6; f++) {
      d.test(
          f,
          List.of(
              cell(1, 300, 20, 20),
              cell(2, 300, 20, 180),
              cell(3, 300, 180, 20),
              cell(4, 300, 180, 180),
              cell(5, 60, 100, 100)),
          List.of(),
          W,
          W);
    }
    // 4 (a whole cell) and 5 (a fifth of one, far from any other cell) vanish for good
    List<TrackObservation> left =
        List.of(cell(1, 300, 20, 20), cell(2, 300, 20, 180), cell(3, 300, 180, 20));
    d.test(6, left, List.of(), W, W);
    d.test(7, left, List.of(), W, W);
    TrackingDetector.Result r = d.test(8, left, List.of(4L, 5L), W, W);
    assertThat(r.suppressed()).isEmpty();
    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.trackId()).isEqualTo(4);
              assertThat(a.statistic()).isEqualTo("relative_area");
              assertThat(a.value()).isEqualTo(1.0);
              assertThat(a.evidence().values()).containsEntry("fieldMedianAreaPx", 300.0);
            });
    // without the threshold (the documented default) the fragment's loss is an event too
    TrackingDetector all = new TrackingDetector(C);
    for (int f = 0; f < 6; f++) {
      all.test(
          f,
          List.of(
              cell(1, 300, 20, 20),
              cell(2, 300, 20, 180),
              cell(3, 300, 180, 20),
              cell(5, 60, 100, 100)),
          List.of(),
          W,
          W);
    }
    assertThat(all.test(8, left, List.of(5L), W, W).reported())
        .singleElement()
        .satisfies(a -> assertThat(a.value()).isEqualTo(0.2));
  }

  /** Five whole cells of 800 px far apart, plus the given cells, for frames [from, to). */
  static void field(TrackingDetector d, int from, int to, TrackObservation... extra) {
    for (int f = from; f < to; f++) {
      List<TrackObservation> cells = new java.util.ArrayList<>(wholeCells());
      cells.addAll(List.of(extra));
      d.test(f, cells, List.of(), W, W);
    }
  }

  static List<TrackObservation> wholeCells() {
    return List.of(
        cell(1, 800, 40, 40),
        cell(2, 800, 160, 40),
        cell(3, 800, 40, 160),
        cell(4, 800, 160, 160),
        cell(5, 800, 100, 100));
  }

  @Test
  void aPieceOfACellLostAgainstItIsAFragmentAWholeCellLostIsReported() {
    // documented thresholds: no relative-area threshold, so only the explanation can withhold it
    TrackingDetector d = new TrackingDetector(C);
    // 9: a piece of 5 (160 px = 0.2 of a cell) cut off its right side, 20 px from 5's centroid
    field(d, 0, 8, cell(9, 160, 120, 100));
    // 9 vanishes into 5 (which does not grow: the piece's pixels fell to the background)
    field(d, 8, 10);
    // 4, a whole cell, vanishes too
    List<TrackObservation> now =
        List.of(wholeCells().get(0), wholeCells().get(1), wholeCells().get(2), wholeCells().get(4));
    TrackingDetector.Result r = d.test(10, now, List.of(9L, 4L), W, W);
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(9);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.FRAGMENT);
              assertThat(s.anomaly().value()).isEqualTo(0.2);
              assertThat(s.anomaly().evidence().context()).contains("fragment");
              assertThat(s.anomaly().evidence().relatedTracks()).containsExactly(5L);
              assertThat(s.anomaly().evidence().values())
                  .containsEntry("nearestTrackDistancePx", 20.0);
            });
    // 4, a whole cell vanishing in the interior with nothing where it was, is reported
    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AnomalyType.TRACK_LOST);
              assertThat(a.trackId()).isEqualTo(4);
              assertThat(a.evidence().context()).isNull();
            });
  }

  @Test
  void aSmallCellLostFarFromOthersIsStillReported() {
    TrackingDetector d = new TrackingDetector(C);
    // 9: a small cell (0.2 of the field's cells) 50 px from its nearest neighbour's centroid
    field(d, 0, 8, cell(9, 160, 100, 150));
    field(d, 8, 10);
    TrackingDetector.Result r = d.test(10, wholeCells(), List.of(9L), W, W);
    assertThat(r.suppressed()).isEmpty();
    assertThat(r.reported()).extracting(Anomaly::trackId).containsExactly(9L);
  }

  @Test
  void aCellStillThereUnderAnotherTrackIsAnIdentitySwitch() {
    TrackingDetector d = new TrackingDetector(C);
    // 7: a whole cell at (100, 160); the tracker loses it and a new track 8 holds the cell
    field(d, 0, 8, cell(7, 800, 100, 160));
    field(d, 8, 10, cell(8, 700, 104, 158));
    TrackingDetector.Result r =
        d.test(10, concat(wholeCells(), cell(8, 700, 104, 158)), List.of(7L), W, W);
    assertThat(r.reported()).isEmpty();
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(7);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.IDENTITY_SWITCH);
              assertThat(s.anomaly().evidence().relatedTracks()).containsExactly(8L);
              assertThat(s.anomaly().evidence().context()).contains("identity_switch");
            });
    // the same loss with nothing at the cell's place (the neighbours stay where they were)
    TrackingDetector e = new TrackingDetector(C);
    field(e, 0, 8, cell(7, 800, 100, 160));
    field(e, 8, 10);
    assertThat(e.test(10, wholeCells(), List.of(7L), W, W).reported())
        .extracting(Anomaly::trackId)
        .containsExactly(7L);
  }

  @Test
  void theAreaOfAPieceOfACellChangingIsAFragmentAWholeCellGrowingIsReported() {
    TrackingDetector d = new TrackingDetector(C);
    // 9: a segment of 150 px (0.19 of the field's cells) on a cell the segmenter covers in part
    field(d, 0, 8, cell(9, 150, 100, 160));
    // from frame 8 it covers 400 px of its cell; 5, a whole cell, grows by 60 %
    List<TrackObservation> grown =
        List.of(
            cell(1, 800, 40, 40),
            cell(2, 800, 160, 40),
            cell(3, 800, 40, 160),
            cell(4, 800, 160, 160),
            cell(5, 1280, 100, 100),
            cell(9, 400, 100, 160));
    d.test(8, grown, List.of(), W, W);
    TrackingDetector.Result r = d.test(9, grown, List.of(), W, W);
    assertThat(r.reported())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(a.trackId()).isEqualTo(5);
            });
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(9);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.FRAGMENT);
              assertThat(s.anomaly().evidence().context()).contains("fragment");
              assertThat(s.anomaly().evidence().values())
                  .containsEntry("fieldMedianAreaPx", 800.0)
                  .containsKey("typicalAreaPx");
            });
  }

  @Test
  void twoCellsMissedInOneFrameAndBackAsOneSegmentAreAMerge() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 3; f++) {
      frame(d, f, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    }
    // frame 3 (e.g. blurred): 1 and 2 both missed; frame 4: 1 is back holding 2 as well
    frame(d, 3, List.of(), cell(9, 300, 150, 150));
    frame(d, 4, List.of(), cell(1, 600, 60, 50), cell(9, 300, 150, 150));
    TrackingDetector.Result r =
        frame(d, 5, List.of(), cell(1, 600, 60, 50), cell(9, 300, 150, 150));
    assertThat(r.reported()).isEmpty();
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(s.anomaly().trackId()).isEqualTo(1);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.MERGE);
            });
    // 2's end is the merge's too
    TrackingDetector.Result end =
        frame(d, 6, List.of(2L), cell(1, 600, 60, 50), cell(9, 300, 150, 150));
    assertThat(end.reported()).isEmpty();
    assertThat(end.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(2);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.MERGE);
              assertThat(s.anomaly().evidence().relatedTracks()).containsExactly(1L);
            });
  }

  static List<TrackObservation> concat(List<TrackObservation> a, TrackObservation... b) {
    List<TrackObservation> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  @Test
  void aCellThatLetsAGapClosedNeighbourGoAgainIsASplitAndTheNeighbourLivesOn() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 3; f++) {
      frame(d, f, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    }
    // frames 3-4: 1 holds 2 as well (a merge); frame 5 on: 2 is back (the tracker closed the gap)
    frame(d, 3, List.of(), cell(1, 700, 60, 50), cell(9, 300, 150, 150));
    TrackingDetector.Result merged =
        frame(d, 4, List.of(), cell(1, 700, 60, 50), cell(9, 300, 150, 150));
    assertThat(merged.reported()).isEmpty();
    assertThat(merged.suppressed())
        .extracting(Suppressed::reason)
        .contains(Suppressed.Reason.MERGE);
    frame(d, 5, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    TrackingDetector.Result released =
        frame(d, 6, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    assertThat(released.reported()).isEmpty();
    assertThat(released.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(1);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.SPLIT);
            });
    // 2 vanishing for good later, with nothing to explain it, is a loss again
    frame(d, 7, List.of(), cell(1, 300, 50, 50), cell(9, 300, 150, 150));
    TrackingDetector.Result gone =
        frame(d, 10, List.of(2L), cell(1, 300, 50, 50), cell(9, 300, 150, 150));
    assertThat(gone.reported()).extracting(Anomaly::trackId).containsExactly(2L);
  }

  @Test
  void aCellBackFromAGapMergedWithAVanishedNeighbourIsAMerge() {
    TrackingDetector d = new TrackingDetector(C);
    for (int f = 0; f < 3; f++) {
      frame(d, f, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    }
    // frame 3: 1 is missed; frame 4: it is back, holding 2 as well
    frame(d, 3, List.of(), cell(2, 300, 70, 50), cell(9, 300, 150, 150));
    frame(d, 4, List.of(), cell(1, 600, 60, 50), cell(9, 300, 150, 150));
    TrackingDetector.Result r =
        frame(d, 5, List.of(), cell(1, 600, 60, 50), cell(9, 300, 150, 150));
    assertThat(r.reported()).isEmpty();
    assertThat(r.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(s.anomaly().trackId()).isEqualTo(1);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.MERGE);
            });
  }

  @Test
  void thePipelineHandsTheSuppressedOverOnceWithTheirReasons() {
    AnomalyPipeline p = AnomalyPipeline.create(C);
    for (int f = 0; f < 3; f++) {
      p.testFrame(facts(f, List.of(), cell(1, 300, 50, 50), cell(2, 300, 70, 50)));
    }
    p.testFrame(facts(3, List.of(), cell(1, 600, 60, 50)));
    List<Anomaly> found = p.testFrame(facts(4, List.of(2L), cell(1, 600, 60, 50)));
    assertThat(found).isEmpty();
    assertThat(p.takeSuppressed())
        .extracting(s -> s.anomaly().kind(), s -> s.reason().label())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("area_change", "merge"),
            org.assertj.core.groups.Tuple.tuple("track_lost", "merge"));
    assertThat(p.takeSuppressed()).isEmpty();
  }

  @Test
  void aLargeCellThatTouchesTheEdgeStillReportsItsGrowthACellCutByTheEdgeDoesNot() {
    AnomalyPipeline p = AnomalyPipeline.create(C);
    // 1: centroid 60 px from the edge, radius 17 (it touches the edge with a corner: on_border);
    // 2: centroid 5 px from the edge (cut by it)
    for (int f = 0; f < 3; f++) {
      p.testFrame(borderFacts(f, cell(1, 900, 100, 60), cell(2, 300, 150, 5)));
    }
    p.testFrame(borderFacts(3, cell(1, 1500, 100, 60), cell(2, 600, 150, 5)));
    List<Anomaly> found = p.testFrame(borderFacts(4, cell(1, 1500, 100, 60), cell(2, 600, 150, 5)));
    assertThat(found)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(a.trackId()).isEqualTo(1);
            });
    assertThat(p.takeSuppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.anomaly().trackId()).isEqualTo(2);
              assertThat(s.reason()).isEqualTo(Suppressed.Reason.BORDER);
            });
  }

  static AnomalyPipeline.FrameFacts borderFacts(long f, TrackObservation... cells) {
    return new AnomalyPipeline.FrameFacts(
        f, List.of(cells), Set.of(1L, 2L), List.of(), List.of(), null, W, W);
  }

  static AnomalyPipeline.FrameFacts facts(long f, List<Long> lost, TrackObservation... cells) {
    return new AnomalyPipeline.FrameFacts(f, List.of(cells), Set.of(), lost, List.of(), null, W, W);
  }
}
