package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.processors.service.EventCursor.Part;
import io.cytostream.processors.service.EventCursor.Source;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SSE stream's event ids (positions) and filters, without Kafka. */
class EventCursorAndFilterTest {

  @Test
  void anIdIsThePositionAfterTheEventInEveryPartition() {
    EventCursor c =
        EventCursor.of(Map.of(new Part(Source.LIFECYCLE, 1), 42L, new Part(Source.ANOMALY, 0), 0L))
            .after(new Part(Source.ANOMALY, 3), 6);
    assertThat(c.toString()).isEqualTo("a:3:7,l:1:42");
    assertThat(EventCursor.parse(c.toString())).isEqualTo(c);
    assertThat(c.next(new Part(Source.ANOMALY, 0))).isZero();
    // a position never moves back
    assertThat(c.after(new Part(Source.LIFECYCLE, 1), 10).next(new Part(Source.LIFECYCLE, 1)))
        .isEqualTo(42);
  }

  @Test
  void malformedIdsAreRefusedWithAReason() {
    for (String bad : List.of("", "x:1:2", "a:1", "a:-1:2", "a:1:z", "a:1:2,,l:0:1")) {
      assertThatThrownBy(() -> EventCursor.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("event id");
    }
  }

  static JsonNode anomaly(String fov, String kind, double value, double threshold) {
    return Json.mapper()
        .valueToTree(
            AnomalyEvent.of(
                Instant.EPOCH, new AnomalyEvent.Data(fov, 3, 2, kind, "s", value, threshold, "r")));
  }

  static JsonNode birth(String fov) {
    return Json.mapper()
        .valueToTree(
            LifecycleEvent.of(
                Instant.EPOCH,
                new LifecycleEvent.Data(fov, 3, 2, "birth", List.of(), null, null, null, "b")));
  }

  @Test
  void filtersSelectByFovTypeAndScore() {
    JsonNode spike = anomaly("a/1", "spike", -9, 4.5); // score 2
    JsonNode gap = anomaly("a/1", "dropped_frame", 2, 0); // no score
    JsonNode collapse = anomaly("a/2", "intensity_collapse", 25, 100); // score 4
    JsonNode born = birth("a/2");
    EventFilter all = EventFilter.all();
    assertThat(all.accepts(Source.ANOMALY, gap)).isTrue();
    assertThat(all.accepts(Source.LIFECYCLE, born)).isTrue();

    EventFilter fov = new EventFilter(Set.of("a/2,b/9"), Set.of(), null);
    assertThat(fov.accepts(Source.ANOMALY, spike)).isFalse();
    assertThat(fov.accepts(Source.LIFECYCLE, born)).isTrue();

    // a stream name, a CloudEvents type or a kind
    assertThat(new EventFilter(Set.of(), Set.of("lifecycle"), null).accepts(Source.ANOMALY, spike))
        .isFalse();
    assertThat(
            new EventFilter(Set.of(), Set.of("io.cytostream.anomaly.spike"), null)
                .accepts(Source.ANOMALY, spike))
        .isTrue();
    assertThat(new EventFilter(Set.of(), Set.of("Spike"), null).accepts(Source.ANOMALY, spike))
        .isTrue();
    assertThat(new EventFilter(Set.of(), Set.of("birth"), null).accepts(Source.ANOMALY, spike))
        .isFalse();

    assertThat(EventFilter.score(Source.ANOMALY, spike)).isEqualTo(2.0);
    assertThat(EventFilter.score(Source.ANOMALY, collapse)).isEqualTo(4.0);
    assertThat(EventFilter.score(Source.ANOMALY, gap)).isNull();
    assertThat(EventFilter.score(Source.LIFECYCLE, born)).isNull();
    EventFilter strong = new EventFilter(Set.of(), Set.of(), 2.0);
    assertThat(strong.accepts(Source.ANOMALY, spike)).isTrue();
    assertThat(strong.accepts(Source.ANOMALY, collapse)).isTrue();
    assertThat(strong.accepts(Source.ANOMALY, gap)).isFalse();
    assertThat(strong.accepts(Source.LIFECYCLE, born)).isFalse();
    assertThat(new EventFilter(Set.of(), Set.of(), 2.5).accepts(Source.ANOMALY, spike)).isFalse();
  }

  @Test
  void theEventsOwnScoreDecides() {
    // the test set score 3 (e.g. a z against calibrated noise); |value|/|threshold| would say 1.2
    JsonNode scored =
        Json.mapper()
            .valueToTree(
                AnomalyEvent.of(
                    Instant.EPOCH,
                    new AnomalyEvent.Data(
                        "a/1", 3, 2, "area_change", "s", 0.6, 0.5, "r", 3.0, null)));
    assertThat(EventFilter.score(Source.ANOMALY, scored)).isEqualTo(3.0);
    assertThat(new EventFilter(Set.of(), Set.of(), 2.0).accepts(Source.ANOMALY, scored)).isTrue();
    assertThat(new EventFilter(Set.of(), Set.of(), 3.5).accepts(Source.ANOMALY, scored)).isFalse();
  }
}
