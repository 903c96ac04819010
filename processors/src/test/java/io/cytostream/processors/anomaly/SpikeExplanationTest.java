package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spikes that an image event or a culture-wide change explains are not published. */
class SpikeExplanationTest {
  private static Anomaly spike(long track) {
    return new Anomaly(AnomalyType.UNEXPLAINED_SPIKE, track, "normalized_innovation", 7, 5, "x");
  }

  private static Anomaly frameEvent(AnomalyType type) {
    return new Anomaly(type, 0, "statistic", 1, 0.5, "x");
  }

  @Test
  void aLoneSpikeIsKept() {
    List<Anomaly> found = List.of(spike(4));
    assertThat(AnomalyPipeline.explained(found, 40)).containsExactlyElementsOf(found);
  }

  @Test
  void spikesInAFrameWithAnImageEventAreDropped() {
    for (AnomalyType image :
        List.of(
            AnomalyType.INTENSITY_COLLAPSE, AnomalyType.SATURATION, AnomalyType.HOT_PIXEL_BURST)) {
      Anomaly event = frameEvent(image);
      Anomaly drift = new Anomaly(AnomalyType.MODEL_DRIFT, 9, "cusum", 7, 6, "x");
      assertThat(AnomalyPipeline.explained(List.of(spike(4), event, drift), 40))
          .containsExactly(event, drift);
    }
    // a dropped frame says nothing about the image: the spike stays
    Anomaly dropped = frameEvent(AnomalyType.DROPPED_FRAME);
    assertThat(AnomalyPipeline.explained(List.of(spike(4), dropped), 40)).hasSize(2);
  }

  @Test
  void aCrowdOfSpikesIsOneCultureWideChange() {
    List<Anomaly> crowd = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      crowd.add(spike(i));
    }
    // 5 of 40 rows (12.5 %) spike together: dropped; 5 of 60 (8 %): kept
    assertThat(AnomalyPipeline.explained(crowd, 40)).isEmpty();
    assertThat(AnomalyPipeline.explained(crowd, 60)).hasSize(5);
    // two cells spiking in a small frame are not a crowd
    assertThat(AnomalyPipeline.explained(List.of(spike(1), spike(2)), 4)).hasSize(2);
  }

  @Test
  void aSpikeOrDriftAlarmOfACellWhoseSegmentJumpedIsTheSegmentations() {
    AnomalyPipeline p = AnomalyPipeline.create(AnomalyConfig.documented());
    // four cells whose areas jitter by about 1 % per frame; at frame 8 cell 1 gains 25 %
    for (int f = 0; f < 9; f++) {
      double jitter = f % 2 == 0 ? 1.0 : 1.01;
      double a1 = f == 8 ? 500 * 1.25 : 500 * jitter;
      List<TrackObservation> cells = new ArrayList<>();
      cells.add(new TrackObservation(1, a1, 0, 50, 50));
      for (long id = 2; id <= 4; id++) {
        cells.add(new TrackObservation(id, 500 * jitter, 0, 50 * id, 150));
      }
      p.testFrame(new AnomalyPipeline.FrameFacts(f, cells, Set.of(), List.of(), List.of(), null));
    }
    Anomaly drift1 = new Anomaly(AnomalyType.MODEL_DRIFT, 1, "cusum", 9, 6, "x");
    Anomaly drift3 = new Anomaly(AnomalyType.MODEL_DRIFT, 3, "cusum", 9, 6, "x");
    List<Anomaly> kept = p.explain(List.of(spike(1), drift1, spike(2), drift3), 40);
    // cell 2 and 3 kept their segments: their spike and alarm stay
    assertThat(kept).extracting(Anomaly::trackId).containsExactly(2L, 3L);
    assertThat(p.takeSuppressed())
        .extracting(s -> s.anomaly().trackId(), Suppressed::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, Suppressed.Reason.SEGMENT_CHANGE),
            org.assertj.core.groups.Tuple.tuple(1L, Suppressed.Reason.SEGMENT_CHANGE));
  }
}
