package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.WebhookSubscription;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events a webhook subscription gets: fov, types and minScore. */
class WebhookFilterTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  private static JsonNode anomaly(String fov, String kind, double value, double threshold) {
    return Json.mapper()
        .valueToTree(
            AnomalyEvent.of(T, new AnomalyEvent.Data(fov, 3, 1, kind, "s", value, threshold, "r")));
  }

  private static JsonNode division(String fov) {
    return Json.mapper()
        .valueToTree(
            LifecycleEvent.of(
                T,
                new LifecycleEvent.Data(
                    fov, 3, 1, "division", List.of(2L, 3L), 1.0, 2.0, false, "d")));
  }

  private static WebhookSubscription sub(String fov, List<String> types, Double minScore) {
    return new WebhookSubscription("id", "https://x.example/", fov, types, minScore, "s", T);
  }

  @Test
  void filtersByFovTypeAndScore() {
    JsonNode spike = anomaly("a/1", "spike", 7.5, 5.0); // score 1.5
    assertThat(WebhookDispatcher.matches(sub(null, List.of(), null), spike)).isTrue();
    assertThat(WebhookDispatcher.matches(sub("a/1", List.of(), null), spike)).isTrue();
    assertThat(WebhookDispatcher.matches(sub("a/2", List.of(), null), spike)).isFalse();
    for (String t : List.of("spike", "io.cytostream.anomaly.spike", "anomaly", "SPIKE")) {
      assertThat(WebhookDispatcher.matches(sub(null, List.of(t), null), spike)).as(t).isTrue();
    }
    assertThat(
            WebhookDispatcher.matches(sub(null, List.of("saturation", "lifecycle"), null), spike))
        .isFalse();
    assertThat(WebhookDispatcher.matches(sub(null, List.of(), 1.4), spike)).isTrue();
    assertThat(WebhookDispatcher.matches(sub(null, List.of(), 1.6), spike)).isFalse();
    // intensity collapse fires below its threshold: threshold / value
    assertThat(WebhookDispatcher.score(anomaly("a/1", "intensity_collapse", 0.25, 0.5)))
        .isEqualTo(2.0);
    // no score: a threshold of 0, a life event
    assertThat(WebhookDispatcher.score(anomaly("a/1", "dropped_frame", 2, 0))).isNull();
    JsonNode division = division("a/1");
    assertThat(WebhookDispatcher.score(division)).isNull();
    assertThat(WebhookDispatcher.matches(sub(null, List.of("lifecycle"), null), division)).isTrue();
    assertThat(WebhookDispatcher.matches(sub(null, List.of("division"), null), division)).isTrue();
    assertThat(WebhookDispatcher.matches(sub(null, List.of(), 0.0), division)).isFalse();
  }
}
