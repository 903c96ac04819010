package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.FrameQuality;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.TrackedFrame;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tracker events become life events: kinds, frames, positions where known, stable ids. */
class LifecycleEventsTest {
  private static final Instant T = Instant.parse("2026-11-29T10:00:07Z");

  private static TrackedFrame frame(List<TrackedFrame.TrackEvent> events) {
    List<TrackedFrame.Cell> cells =
        List.of(
            new TrackedFrame.Cell(5, 0, 1, 10.5, 20.5, 300, 100, 0.4, false),
            new TrackedFrame.Cell(7, 3, 2, 40.0, 41.0, 200, 100, 0.4, false),
            new TrackedFrame.Cell(8, 3, 3, 48.0, 44.0, 210, 100, 0.4, true));
    return new TrackedFrame(
        1,
        "exp/fov-1",
        7,
        9,
        T,
        7.0,
        64,
        64,
        new FrameQuality(0, 0, 0, 100, 1, true, 0, 1),
        cells,
        List.of(),
        events,
        null);
  }

  @Test
  void eachTrackerEventBecomesOneLifeEvent() throws Exception {
    TrackedFrame tf =
        frame(
            List.of(
                new TrackedFrame.TrackEvent("started", 5, List.of(), "track 5 starts", 7L),
                new TrackedFrame.TrackEvent("division", 3, List.of(7L, 8L), "3 -> 7, 8", 7L),
                new TrackedFrame.TrackEvent("ended", 2, List.of(), "track 2 last seen", 4L),
                new TrackedFrame.TrackEvent("gap_closed", 5, List.of(), "seen again", 7L),
                new TrackedFrame.TrackEvent("merged", 9, List.of(), "a future kind", 7L)));
    List<LifecycleEvent> out = LifecycleEvents.of(tf);
    assertThat(out)
        .extracting(e -> e.data().kind())
        .containsExactly("birth", "division", "track_end", "gap_closed");
    LifecycleEvent birth = out.get(0);
    assertThat(birth.type()).isEqualTo("io.cytostream.lifecycle.birth");
    assertThat(birth.subject()).isEqualTo("track/5");
    assertThat(birth.source()).isEqualTo("/cytostream/fov/exp/fov-1");
    assertThat(birth.time()).isEqualTo(T);
    assertThat(birth.data().centroidX()).isEqualTo(10.5);
    assertThat(birth.data().onBorder()).isFalse();
    LifecycleEvent division = out.get(1);
    assertThat(division.data().trackId()).isEqualTo(3);
    assertThat(division.data().related()).containsExactly(7L, 8L);
    assertThat(division.data().centroidX()).as("first daughter's position").isEqualTo(40.0);
    LifecycleEvent end = out.get(2);
    assertThat(end.type()).isEqualTo("io.cytostream.lifecycle.track-end");
    assertThat(end.data().frame()).isEqualTo(4);
    assertThat(end.data().centroidX()).as("not in this frame: unknown").isNull();
    assertThat(end.data().onBorder()).isNull();
    // unknown position fields are left out of the JSON rather than written as NaN
    String json = Json.mapper().writeValueAsString(end);
    assertThat(json).doesNotContain("centroidX").doesNotContain("NaN");
    assertThat(Json.mapper().readValue(json, LifecycleEvent.class)).isEqualTo(end);
    // the same frame again (a replay) gives the same ids; different events differ
    assertThat(LifecycleEvents.of(tf))
        .extracting(LifecycleEvent::id)
        .containsExactlyElementsOf(out.stream().map(LifecycleEvent::id).toList());
    assertThat(out.stream().map(LifecycleEvent::id).distinct()).hasSize(4);
  }

  @Test
  void anEventWithoutAFrameFromAnOlderProducerTakesTheFramesIndex() {
    TrackedFrame tf =
        frame(List.of(new TrackedFrame.TrackEvent("started", 5, List.of(), "track 5 starts")));
    assertThat(LifecycleEvents.of(tf))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.data().frame()).isEqualTo(7);
              assertThat(e.data().centroidY()).isEqualTo(20.5);
            });
    assertThat(LifecycleEvents.of(frame(List.of()))).isEmpty();
  }
}
