package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.track.FinalizedFrame;
import io.cytostream.processors.track.TrackAssignment;
import io.cytostream.schemas.EncodedLabels;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.TrackedFrame;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A cells.observed message with candidate segments reduced to the tracker's choice. */
class ChosenSegmentsTest {
  /** A 6×1 label image: cells 1 | 2 | 3, each two pixels; candidate 4 = {1, 2}. */
  private static FrameObservations frame() {
    List<FrameObservations.Cell> cells =
        List.of(
            new FrameObservations.Cell(1, 0.5, 0, 2, 0, 0, 1, 0, 100, 0.5, true),
            new FrameObservations.Cell(2, 2.5, 0, 2, 2, 0, 3, 0, 200, 0.7, false),
            new FrameObservations.Cell(3, 4.5, 0, 2, 4, 0, 5, 0, 300, 0.9, true));
    List<FrameObservations.Neighbours> pairs =
        List.of(
            new FrameObservations.Neighbours(1, 2, 1, 2.0),
            new FrameObservations.Neighbours(2, 3, 1, 2.0),
            new FrameObservations.Neighbours(1, 3, 1, 4.0));
    return new FrameObservations(
        1,
        "f",
        7,
        null,
        7.0,
        6,
        1,
        new FrameQuality(0, 0, 0, 100, 1, true, 0, 1),
        cells,
        pairs,
        EncodedLabels.encode(6, 1, new int[] {1, 1, 2, 2, 3, 3}),
        null,
        List.of(new FrameObservations.Candidate(4, List.of(1, 2), true)));
  }

  @Test
  void aChosenCandidateBecomesOneCell() {
    FrameObservations r = ChosenSegments.resolve(frame(), Set.of(4, 3));
    assertThat(r.candidates()).isNull();
    assertThat(r.cells()).hasSize(2);
    FrameObservations.Cell merged =
        r.cells().stream().filter(c -> c.label() == 4).findFirst().get();
    assertThat(merged.areaPx()).isEqualTo(4);
    assertThat(merged.centroidX()).isCloseTo(1.5, within(1e-12));
    assertThat(merged.meanIntensity()).isCloseTo(150, within(1e-12));
    assertThat(merged.normalizedIntensity()).isCloseTo(0.6, within(1e-12));
    assertThat(merged.minX()).isZero();
    assertThat(merged.maxX()).isEqualTo(3);
    assertThat(merged.onBorder()).isTrue();
    // pairs (1,3) and (2,3) become one pair (3,4) with the summed border
    assertThat(r.neighbours()).hasSize(1);
    FrameObservations.Neighbours n = r.neighbours().get(0);
    assertThat(n.labelI()).isEqualTo(3);
    assertThat(n.labelJ()).isEqualTo(4);
    assertThat(n.sharedBorderPx()).isEqualTo(2);
    assertThat(n.centroidDistancePx()).isCloseTo(3.0, within(1e-12));
    assertThat(r.labels().decode()).containsExactly(4, 4, 4, 4, 3, 3);
  }

  @Test
  void chosenLeavesStayAsTheyAre() {
    FrameObservations r = ChosenSegments.resolve(frame(), Set.of(1, 2, 3));
    assertThat(r.cells()).isEqualTo(frame().cells());
    assertThat(r.neighbours()).hasSize(3);
    assertThat(r.labels().decode()).containsExactly(1, 1, 2, 2, 3, 3);
  }

  @Test
  void theTrackedFrameNamesTheChosenSegmentsOnly() {
    FinalizedFrame ff =
        new FinalizedFrame(
            7, 9, List.of(new TrackAssignment(4, 11, 0), new TrackAssignment(3, 12, 0)), List.of());
    TrackedFrame tf = TrackedFrames.join(frame(), ff, 9, true);
    assertThat(tf.cells())
        .extracting(TrackedFrame.Cell::trackId)
        .containsExactlyInAnyOrder(11L, 12L);
    assertThat(tf.neighbours()).hasSize(1);
    assertThat(tf.labels().decode()).containsExactly(4, 4, 4, 4, 3, 3);
  }

  @Test
  void candidatesTravelOnTheWireAndAreAbsentWithoutAHierarchy() throws Exception {
    FrameObservations f = frame();
    String json = Json.mapper().writeValueAsString(f);
    assertThat(json)
        .contains("\"candidates\":[{\"label\":4,\"members\":[1,2],\"preferred\":true}]");
    assertThat(Json.mapper().readValue(json, FrameObservations.class)).isEqualTo(f);
    FrameObservations single =
        new FrameObservations(
            1, "f", 7, null, 7.0, 6, 1, f.quality(), f.cells(), f.neighbours(), f.labels());
    assertThat(Json.mapper().writeValueAsString(single)).doesNotContain("candidates");
  }
}
