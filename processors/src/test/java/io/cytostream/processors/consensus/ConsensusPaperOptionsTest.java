package io.cytostream.processors.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.anomaly.Anomaly;
import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.anomaly.AnomalyType;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The consensus stage's paper-related choices: border cells, per-FOV scale and bounds, physical
 * units, k at a bound, and the names on the wire.
 */
class ConsensusPaperOptionsTest {

  static FovConsensus.Step run(ConsensusModelFrames model, ConsensusSettings s, int frames) {
    return run(model, s, frames, new ArrayList<>());
  }

  static FovConsensus.Step run(
      ConsensusModelFrames model, ConsensusSettings s, int frames, List<Anomaly> found) {
    FovConsensus c = FovConsensus.create("model", s, AnomalyConfig.defaults());
    FovConsensus.Step step = null;
    for (int t = 0; t < frames; t++) {
      step = c.step(model.next());
      found.addAll(step.anomalies());
    }
    return step;
  }

  @Test
  void borderRulesChooseWhichCellsAreInputsOnly() {
    // 7 × 7 grid, 30 px apart: edge cells are the outer ring; ring:40 also takes the next ring
    // (centroids at 30 px from the edge); a list adds the named tracks
    ConsensusSettings edge = ConsensusSettings.defaults();
    ConsensusEstimate e = run(new ConsensusModelFrames(7, 0.05, 1, 0, 3), edge, 20).estimate();
    assertThat(e.gamma()).hasSize(25);
    assertThat(e.border()).isEqualTo("edge");
    ConsensusSettings ring = edge.withBorder(BorderRule.parse("ring:40"));
    ConsensusEstimate r = run(new ConsensusModelFrames(7, 0.05, 1, 0, 3), ring, 20).estimate();
    assertThat(r.gamma()).containsOnlyKeys(17L, 18L, 19L, 24L, 25L, 26L, 31L, 32L, 33L);
    assertThat(r.border()).isEqualTo("ring:40");
    ConsensusSettings list = edge.withBorder(BorderRule.parse("list:9,25"));
    ConsensusEstimate l = run(new ConsensusModelFrames(7, 0.05, 1, 0, 3), list, 20).estimate();
    assertThat(l.gamma()).hasSize(23).doesNotContainKeys(9L, 25L, 1L);
    assertThat(l.border()).isEqualTo("list:2");
    // with exact data every choice recovers k (up to λ's shrinkage over 19 frames, larger with
    // fewer modelled cells): border cells are inputs, whatever they are
    for (ConsensusEstimate x : List.of(e, r, l)) {
      assertThat(x.k()).isCloseTo(0.05, within(0.05 * 0.05));
    }
    assertThatThrownBy(() -> BorderRule.parse("ring:0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BorderRule.parse("corner"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void perFovSettingsApplyToTheirFovAndAreRecordedInEveryEstimate() {
    ConsensusSettings s =
        ConsensusSettings.defaults()
            .withPerFov(
                ConsensusSettings.parsePerFov(
                    "exp1/pos:03:scale=2000,k=0.001:0.5,gamma=-0.01:0.2;other:border=ring:20"));
    assertThat(s.perFov()).containsOnlyKeys("exp1/pos:03", "other");
    ConsensusSettings f = s.forFov("exp1/pos:03");
    assertThat(f.couplingScalePx2()).isEqualTo(2000);
    assertThat(f.crlsm().kMax()).isEqualTo(0.5);
    assertThat(f.crlsm().gammaMin()).isEqualTo(-0.01);
    assertThat(f.border()).isEqualTo(BorderRule.edge());
    assertThat(s.forFov("other").border().describe()).isEqualTo("ring:20");
    assertThat(s.forFov("third").crlsm()).isEqualTo(s.crlsm());
    // through the stage: "model" with scale 2000 (w halves, so k doubles) and its own bounds
    ConsensusSettings m =
        ConsensusSettings.defaults()
            .withPerFov(ConsensusSettings.parsePerFov("model:scale=2000,k=0.001:0.5"));
    ConsensusEstimate e = run(new ConsensusModelFrames(7, 0.05, 1, 0, 3), m, 60).estimate();
    assertThat(e.k()).isCloseTo(0.10, within(2e-3));
    assertThat(e.couplingScale()).isEqualTo(2000);
    assertThat(e.kMax()).isEqualTo(0.5);
    assertThat(e.kAtBound()).isFalse();
    assertThat(e.kStandardErrorAbsent()).isNull();
    assertThatThrownBy(() -> ConsensusSettings.parsePerFov("model:k=0.5:0.1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withAPixelSizeULAreInMicrometresAndTheScaleInSquareMicrometres() {
    // 0.5 µm pixels: u·l in µm² is a quarter of u·l in px², so s = 250 µm² gives the same w and k
    // as s = 1000 px²
    ConsensusModelFrames px = new ConsensusModelFrames(6, 0.05, 1, 0.001, 4);
    ConsensusModelFrames um = new ConsensusModelFrames(6, 0.05, 1, 0.001, 4);
    um.pixelSizeUm = 0.5;
    ConsensusEstimate a = run(px, ConsensusSettings.defaults(), 40).estimate();
    ConsensusEstimate b =
        run(um, ConsensusSettings.defaults().withCouplingScale(250), 40).estimate();
    assertThat(a.lengthUnit()).isEqualTo("px");
    assertThat(a.couplingScalePx2()).isEqualTo(1000);
    assertThat(a.pixelSizeUm()).isNull();
    assertThat(b.lengthUnit()).isEqualTo("um");
    assertThat(b.couplingScale()).isEqualTo(250);
    assertThat(b.couplingScalePx2()).as("not px²").isNull();
    assertThat(b.pixelSizeUm()).isEqualTo(0.5);
    assertThat(b.k()).isCloseTo(a.k(), within(1e-9));
    // the same scale in µm² quadruples k (w is a quarter; up to λ, which now weighs 16× more
    // against the smaller φ²), here beyond the paper's box
    ConsensusModelFrames um2 = new ConsensusModelFrames(6, 0.05, 1, 0.001, 4);
    um2.pixelSizeUm = 0.5;
    ConsensusSettings wide =
        ConsensusSettings.defaults()
            .withCrlsm(CrlsmConfig.paper().withBounds(0.001, 1, -3e-5, 0.1));
    assertThat(run(um2, wide, 40).estimate().k()).isCloseTo(4 * a.k(), within(0.1 * 4 * a.k()));
  }

  @Test
  void kOnABoundIsFlaggedExplainedAndRaisedOncePerFov() {
    // true k = 0.05 above a box [0.001, 0.02]: k sits on 0.02
    ConsensusSettings s =
        ConsensusSettings.defaults()
            .withPerFov(ConsensusSettings.parsePerFov("model:k=0.001:0.02"));
    List<Anomaly> found = new ArrayList<>();
    ConsensusEstimate e =
        run(new ConsensusModelFrames(7, 0.05, 1, 0.001, 3), s, 40, found).estimate();
    assertThat(e.k()).isEqualTo(0.02);
    assertThat(e.kAtBound()).isTrue();
    assertThat(e.kStandardError()).isNull();
    assertThat(e.kStandardErrorAbsent()).isEqualTo("k_at_upper_bound");
    List<Anomaly> atBound = found.stream().filter(a -> a.type() == AnomalyType.K_AT_BOUND).toList();
    assertThat(atBound).hasSize(1);
    assertThat(atBound.get(0).value()).isEqualTo(0.02);
    assertThat(atBound.get(0).threshold()).isEqualTo(0.02);
    assertThat(atBound.get(0).reason()).contains("upper bound");
    // inside the box: no flag, no event
    List<Anomaly> none = new ArrayList<>();
    ConsensusEstimate inside =
        run(new ConsensusModelFrames(7, 0.05, 1, 0.001, 3), ConsensusSettings.defaults(), 40, none)
            .estimate();
    assertThat(inside.kAtBound()).isFalse();
    assertThat(none).noneMatch(a -> a.type() == AnomalyType.K_AT_BOUND);
  }

  @Test
  void theWireNamesTheFitAndOldRecordsRemainReadable() throws Exception {
    ConsensusSettings s =
        ConsensusSettings.defaults()
            .withNamed("rate", "iv", "eq2", null, "edge", null, "0.001:0.2", null, null);
    ConsensusEstimate e = run(new ConsensusModelFrames(6, 0.05, 1, 0.001, 4), s, 30).estimate();
    String json = Json.mapper().writeValueAsString(e);
    assertThat(json)
        .contains("\"parameterisation\":\"eq2\"")
        .contains("\"objective\":\"rate\"")
        .contains("\"estimator\":\"iv\"")
        .doesNotContain("\"setup\"");
    ConsensusEstimate back = Json.mapper().readValue(json, ConsensusEstimate.class);
    assertThat(back).isEqualTo(e);
    // eq1 fits one cell's k and γ (from 59 rows of one cell λ still shrinks k by a few %)
    ConsensusSettings one =
        ConsensusSettings.defaults().withNamed(null, null, "eq1", 9L, null, null, null, null, null);
    ConsensusEstimate single = run(new ConsensusModelFrames(7, 0.05, 1, 0, 3), one, 60).estimate();
    assertThat(single.gamma()).containsOnlyKeys(9L);
    assertThat(single.modelledCell()).isEqualTo(9L);
    assertThat(single.rowsUsed()).isEqualTo(59);
    assertThat(single.k()).isCloseTo(0.05, within(0.05 * 0.1));
    assertThatThrownBy(
            () ->
                ConsensusSettings.defaults()
                    .withNamed(null, null, "eq1", null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ConsensusSettings.defaults()
                    .withNamed("paperish", null, null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    // a record written before 1.1 (setup III, no parameterisation) is read as eq3
    String old = json.replace("\"parameterisation\":\"eq2\"", "\"setup\":\"III\"");
    assertThat(Json.mapper().readValue(old, ConsensusEstimate.class).parameterisationName())
        .isEqualTo("eq3");
  }

  @Test
  void borderRuleOnACell() {
    TrackedFrame.Cell inner = new TrackedFrame.Cell(5, 0, 5, 50, 50, 100, 1, 0.5, false);
    TrackedFrame.Cell near = new TrackedFrame.Cell(6, 0, 6, 10, 50, 100, 1, 0.5, false);
    TrackedFrame.Cell edge = new TrackedFrame.Cell(7, 0, 7, 50, 98, 100, 1, 0.5, true);
    BorderRule ring = BorderRule.parse("ring:15");
    assertThat(ring.isBorder(inner, 100, 100)).isFalse();
    assertThat(ring.isBorder(near, 100, 100)).isTrue();
    assertThat(ring.isBorder(edge, 100, 100)).isTrue();
    BorderRule list = BorderRule.parse("list:5");
    assertThat(list.isBorder(inner, 100, 100)).isTrue();
    assertThat(list.isBorder(near, 100, 100)).isFalse();
    assertThat(list.isBorder(edge, 100, 100)).isTrue();
    assertThat(list.trackIds()).isEqualTo(Set.of(5L));
    assertThat(BorderRule.edge().isBorder(near, 100, 100)).isFalse();
  }
}
