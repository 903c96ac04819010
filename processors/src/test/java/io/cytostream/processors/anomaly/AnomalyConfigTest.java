package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnomalyConfigTest {

  @Test
  void defaultsAreTheDocumentedValues() {
    AnomalyConfig c = AnomalyConfig.defaults();
    assertThat(c.spikeThreshold()).isEqualTo(5.0);
    assertThat(c.spikeWarmupRows()).isEqualTo(30);
    assertThat(c.aberrantThreshold()).isEqualTo(8.0);
    assertThat(c.aberrantWarmupRows()).isEqualTo(50);
    assertThat(c.aberrantMinCells()).isEqualTo(8);
    assertThat(c.cusumSlack()).isEqualTo(1.0);
    assertThat(c.cusumThreshold()).isEqualTo(6.0);
    assertThat(c.driftWarmupRows()).isEqualTo(30);
    assertThat(c.areaChangeFraction()).isEqualTo(0.5);
    assertThat(c.areaChangeSightings()).isEqualTo(2);
    assertThat(c.trackMemoryFrames()).isEqualTo(10);
    assertThat(c.hotPixelFactor()).isEqualTo(5.0);
    assertThat(c.hotPixelMinExcess()).isEqualTo(20.0);
    assertThat(c.saturationFraction()).isEqualTo(0.01);
    assertThat(c.collapseFraction()).isEqualTo(0.5);
    assertThat(c.qualityWindow()).isEqualTo(31);
    assertThat(c.qualityWarmupFrames()).isEqualTo(5);
  }

  @Test
  void theBuilderChangesOnlyTheNamedValues() {
    AnomalyConfig d = AnomalyConfig.defaults();
    assertThat(d.toBuilder().build()).isEqualTo(d);
    AnomalyConfig c =
        AnomalyConfig.builder().spikeThreshold(3.0).qualityWindow(11).trackMemoryFrames(4).build();
    assertThat(c.spikeThreshold()).isEqualTo(3.0);
    assertThat(c.qualityWindow()).isEqualTo(11);
    assertThat(c.trackMemoryFrames()).isEqualTo(4);
    assertThat(c.toBuilder().spikeThreshold(5.0).qualityWindow(31).trackMemoryFrames(10).build())
        .isEqualTo(d);
    assertThat(d.withAreaChangeSightings(1))
        .isEqualTo(AnomalyConfig.builder().areaChangeSightings(1).build())
        .isNotEqualTo(d);
  }
}
