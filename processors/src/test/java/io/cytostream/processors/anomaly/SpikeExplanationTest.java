package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
}
