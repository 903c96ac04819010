package io.cytostream.processors.directive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Directive;
import io.cytostream.schemas.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules, one FOV at a time, without Kafka. */
class DirectiveRulesTest {
  private static final String FOV = "exp/pos1";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final DirectiveRules rules = new DirectiveRules(DirectiveRules.Config.defaults());

  private static AnomalyEvent event(String kind, long frame, long track, String statistic) {
    return AnomalyEvent.of(
        T0.plusSeconds(frame),
        new AnomalyEvent.Data(FOV, frame, track, kind, statistic, 0.2, 0.01, "test"));
  }

  @Test
  void saturationLowersTheExposureOnceWithinTheCooldown() {
    DirectiveRules.Step s =
        rules.onEvent(
            DirectiveRules.FovState.empty(), event("saturation", 7, 0, "saturated_fraction"));
    assertThat(s.directives()).hasSize(1);
    Directive d = s.directives().get(0);
    assertThat(d.type()).isEqualTo("io.cytostream.directive.lower-exposure");
    assertThat(d.data().action()).isEqualTo("lower_exposure");
    assertThat(d.data().exposureFactor()).isEqualTo(0.7);
    assertThat(d.data().frame()).isEqualTo(7);
    assertThat(d.data().frameTime()).isEqualTo(T0.plusSeconds(7));
    assertThat(d.time()).isEqualTo(T0.plusSeconds(7));
    assertThat(d.source()).isEqualTo("/cytostream/fov/" + FOV);
    assertThat(d.data().causeIds()).containsExactly(event("saturation", 7, 0, "x").id());
    // within the cooldown (5 frames) the same action is not repeated; after it, it is
    DirectiveRules.Step again =
        rules.onEvent(s.state(), event("saturation", 11, 0, "saturated_fraction"));
    assertThat(again.directives()).isEmpty();
    assertThat(rules.onEvent(again.state(), event("saturation", 12, 0, "s")).directives())
        .hasSize(1);
    // ids are deterministic: a replay gives the same directive
    assertThat(
            rules
                .onEvent(DirectiveRules.FovState.empty(), event("saturation", 7, 0, "s"))
                .directives()
                .get(0)
                .id())
        .isEqualTo(d.id());
  }

  @Test
  void intensityCollapseOrFocusLossAsksForRefocus() {
    Directive d =
        rules
            .onEvent(
                DirectiveRules.FovState.empty(), event("intensity_collapse", 3, 0, "sharpness"))
            .directives()
            .get(0);
    assertThat(d.data().action()).isEqualTo("refocus");
    assertThat(d.data().reason()).contains("focus lost");
    Directive mean =
        rules
            .onEvent(
                DirectiveRules.FovState.empty(), event("intensity_collapse", 3, 0, "frame_mean"))
            .directives()
            .get(0);
    assertThat(mean.data().action()).isEqualTo("refocus");
    assertThat(mean.data().reason()).doesNotContain("focus lost");
  }

  @Test
  void aBurstOfSpikesWithinTheWindowAsksForFasterImaging() {
    DirectiveRules.FovState s = DirectiveRules.FovState.empty();
    // two spikes, then one outside the 5-frame window of the next: no burst yet
    s = rules.onEvent(s, event("spike", 10, 1, "normalized_innovation")).state();
    s = rules.onEvent(s, event("spike", 11, 2, "normalized_innovation")).state();
    DirectiveRules.Step third = rules.onEvent(s, event("spike", 16, 3, "normalized_innovation"));
    assertThat(third.directives()).as("spikes at 10, 11, 16: not within 5 frames").isEmpty();
    DirectiveRules.Step fourth = rules.onEvent(third.state(), event("spike", 17, 4, "n"));
    assertThat(fourth.directives()).isEmpty();
    DirectiveRules.Step fifth = rules.onEvent(fourth.state(), event("spike", 18, 5, "n"));
    assertThat(fifth.directives()).hasSize(1);
    Directive d = fifth.directives().get(0);
    assertThat(d.data().action()).isEqualTo("faster");
    assertThat(d.data().intervalFactor()).isEqualTo(0.5);
    assertThat(d.data().frames()).isEqualTo(20);
    assertThat(d.data().causeIds()).hasSize(3);
    // the same event delivered twice counts once
    DirectiveRules.FovState t = DirectiveRules.FovState.empty();
    AnomalyEvent e = event("spike", 10, 1, "n");
    t = rules.onEvent(t, e).state();
    t = rules.onEvent(t, e).state();
    assertThat(rules.onEvent(t, event("spike", 11, 2, "n")).directives()).isEmpty();
    // other kinds ask for nothing
    assertThat(
            rules
                .onEvent(DirectiveRules.FovState.empty(), event("track_lost", 4, 2, "n"))
                .directives())
        .isEmpty();
  }

  @Test
  void aFovWithoutInteriorCellsIsSkippedAfterConsecutiveEmptyFrames() {
    DirectiveRules.FovState s = DirectiveRules.FovState.empty();
    List<Directive> out = new ArrayList<>();
    int[] interior = {4, 0, 0, 3, 0, 0, 0, 0};
    for (int f = 0; f < interior.length; f++) {
      DirectiveRules.Step step =
          rules.onFrame(s, new DirectiveRules.FrameSummary(FOV, f, T0.plusSeconds(f), interior[f]));
      s = step.state();
      out.addAll(step.directives());
    }
    assertThat(out).hasSize(1);
    assertThat(out.get(0).data().action()).isEqualTo("skip");
    assertThat(out.get(0).data().frame()).as("third empty frame in a row").isEqualTo(6);
    assertThat(out.get(0).data().frames()).isEqualTo(10);
    assertThat(out.get(0).data().cause()).isEqualTo("no_interior_cells");
    // a gap breaks the run; a late frame is not counted twice
    DirectiveRules.FovState g = DirectiveRules.FovState.empty();
    for (long f : new long[] {0, 1, 3, 3, 2}) {
      g = rules.onFrame(g, new DirectiveRules.FrameSummary(FOV, f, null, 0)).state();
    }
    assertThat(g.emptyRun()).isEqualTo(1);
  }

  @Test
  void stateAndDirectivesSurviveJson() throws Exception {
    DirectiveRules.Step s =
        rules.onEvent(DirectiveRules.FovState.empty(), event("spike", 10, 1, "n"));
    String json = Json.mapper().writeValueAsString(s.state());
    assertThat(Json.mapper().readValue(json, DirectiveRules.FovState.class)).isEqualTo(s.state());
    Directive d =
        rules
            .onEvent(DirectiveRules.FovState.empty(), event("saturation", 2, 0, "s"))
            .directives()
            .get(0);
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(d), Directive.class))
        .isEqualTo(d);
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new DirectiveRules.Config(1.5, 3, 5, 0.5, 20, 3, 10, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DirectiveRules.Config(0.7, 0, 5, 0.5, 20, 3, 10, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
