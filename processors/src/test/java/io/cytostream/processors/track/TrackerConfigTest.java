package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TrackerConfigTest {

  private static TrackerConfig with(UnaryOperator<TrackerConfig.Builder> change) {
    return change.apply(TrackerConfig.builder()).build();
  }

  private static void invalid(UnaryOperator<TrackerConfig.Builder> change) {
    assertThatThrownBy(() -> with(change))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid tracker config");
  }

  @Test
  void theBuilderStartsFromTheDefaultsAndChangesOnlyWhatIsSet() {
    assertThat(TrackerConfig.builder().build()).isEqualTo(TrackerConfig.defaults());
    TrackerConfig c =
        TrackerConfig.builder()
            .maxLinkDistance(12)
            .maxGap(4)
            .delayFrames(5)
            .velocityWeight(0.3)
            .velocitySmoothing(0.7)
            .areaWeight(0.1)
            .intensityWeight(0.2)
            .gapPenalty(0.4)
            .nonLinkCost(2)
            .divisionsEnabled(false)
            .divisionMaxDistance(33)
            .divisionAreaTolerance(1.3)
            .divisionMaxCost(0.9)
            .confirmDivisions(false)
            .build();
    assertThat(c)
        .isEqualTo(
            new TrackerConfig(12, 4, 5, 0.3, 0.7, 0.1, 0.2, 0.4, 2, false, 33, 1.3, 0.9, false));
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().maxGap(1).build())
        .isEqualTo(
            new TrackerConfig(12, 1, 5, 0.3, 0.7, 0.1, 0.2, 0.4, 2, false, 33, 1.3, 0.9, false));
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    TrackerConfig d = TrackerConfig.defaults();
    assertThat(d)
        .isEqualTo(
            new TrackerConfig(30, 2, 2, 0.0, 0.5, 0.25, 0.0, 0.9, 1.0, true, 50, 1.6, 1.5, true));
  }

  @Test
  void acceptsTheEndsOfEveryRange() {
    TrackerConfig c =
        with(
            b ->
                b.maxLinkDistance(1e-9)
                    .maxGap(0)
                    .delayFrames(0)
                    .velocityWeight(0)
                    .velocitySmoothing(1)
                    .areaWeight(0)
                    .intensityWeight(0)
                    .gapPenalty(0)
                    .nonLinkCost(1e-9)
                    .divisionMaxDistance(1e-9)
                    .divisionAreaTolerance(1.000001)
                    .divisionMaxCost(0));
    assertThat(c.maxGap()).isZero();
    assertThat(with(b -> b.velocityWeight(1)).velocityWeight()).isEqualTo(1);
  }

  @Test
  void rejectsEveryValueOutOfItsRange() {
    double inf = Double.POSITIVE_INFINITY;
    invalid(b -> b.maxLinkDistance(0));
    invalid(b -> b.maxLinkDistance(inf));
    invalid(b -> b.maxGap(-1));
    invalid(b -> b.delayFrames(-1));
    invalid(b -> b.velocityWeight(-0.01));
    invalid(b -> b.velocityWeight(1.01));
    invalid(b -> b.velocitySmoothing(0));
    invalid(b -> b.velocitySmoothing(1.01));
    invalid(b -> b.areaWeight(-0.01));
    invalid(b -> b.areaWeight(inf));
    invalid(b -> b.intensityWeight(-0.01));
    invalid(b -> b.intensityWeight(inf));
    invalid(b -> b.gapPenalty(-0.01));
    invalid(b -> b.gapPenalty(inf));
    invalid(b -> b.nonLinkCost(0));
    invalid(b -> b.nonLinkCost(inf));
    invalid(b -> b.divisionMaxDistance(0));
    invalid(b -> b.divisionMaxDistance(inf));
    invalid(b -> b.divisionAreaTolerance(1));
    invalid(b -> b.divisionAreaTolerance(inf));
    invalid(b -> b.divisionMaxCost(-0.01));
    invalid(b -> b.divisionMaxCost(inf));
    invalid(b -> b.areaWeight(Double.NaN));
  }
}
