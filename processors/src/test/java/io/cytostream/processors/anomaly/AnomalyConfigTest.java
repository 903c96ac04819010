package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AnomalyConfigTest {

  @Test
  void documentedAreTheValuesChosenByHand() {
    AnomalyConfig c = AnomalyConfig.documented();
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
    assertThat(c.areaChangeZ()).isZero();
    assertThat(c.trackMemoryFrames()).isEqualTo(10);
    assertThat(c.trackLostMinFrames()).isZero();
    assertThat(c.trackLostMinRelativeArea()).isZero();
    assertThat(c.hotPixelFactor()).isEqualTo(5.0);
    assertThat(c.hotPixelMinExcess()).isEqualTo(20.0);
    assertThat(c.saturationFraction()).isEqualTo(0.002);
    assertThat(c.collapseFraction()).isEqualTo(0.5);
    assertThat(c.qualityWindow()).isEqualTo(31);
    assertThat(c.qualityWarmupFrames()).isEqualTo(5);
  }

  @Test
  void defaultsAreTheDocumentedValuesWithTheShippedCalibration() throws IOException {
    Properties shipped = new Properties();
    try (InputStream in =
        AnomalyConfig.class.getResourceAsStream(AnomalyConfig.CALIBRATION_RESOURCE)) {
      if (in != null) {
        shipped.load(in);
      }
    }
    // the calibration is shipped: every per-cell test's threshold comes from it
    assertThat(shipped.stringPropertyNames())
        .containsExactlyInAnyOrder(
            "spikeThreshold", "aberrantThreshold", "cusumThreshold", "trackLostMinRelativeArea");
    AnomalyConfig d = AnomalyConfig.defaults();
    assertThat(d)
        .isEqualTo(AnomalyConfig.documented().toBuilder().calibrated(shipped).build())
        .isEqualTo(AnomalyConfig.builder().build());
    assertThat(AnomalyConfig.calibration()).containsOnlyKeys(shipped.stringPropertyNames());
    // the tests not calibrated keep their documented values
    assertThat(d.areaChangeFraction()).isEqualTo(0.5);
    assertThat(d.saturationFraction()).isEqualTo(0.002);
    // a calibration changes exactly its keys
    Properties p = new Properties();
    p.setProperty("areaChangeZ", "4.5");
    p.setProperty("trackLostMinFrames", "12");
    p.setProperty("trackLostMinRelativeArea", "0.3");
    AnomalyConfig c = AnomalyConfig.documented().toBuilder().calibrated(p).build();
    assertThat(c.areaChangeZ()).isEqualTo(4.5);
    assertThat(c.trackLostMinFrames()).isEqualTo(12);
    assertThat(c.trackLostMinRelativeArea()).isEqualTo(0.3);
    assertThat(
            c.toBuilder().areaChangeZ(0).trackLostMinFrames(0).trackLostMinRelativeArea(0).build())
        .isEqualTo(AnomalyConfig.documented());
  }

  @Test
  void anUnknownCalibratedKeyIsRefused() {
    Properties p = new Properties();
    p.setProperty("spikeTreshold", "4");
    assertThatThrownBy(() -> AnomalyConfig.documented().toBuilder().calibrated(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spikeTreshold");
  }

  @Test
  void theBuilderChangesOnlyTheNamedValues() {
    AnomalyConfig d = AnomalyConfig.documented();
    assertThat(d.toBuilder().build()).isEqualTo(d);
    AnomalyConfig c =
        d.toBuilder().spikeThreshold(3.0).qualityWindow(11).trackMemoryFrames(4).build();
    assertThat(c.spikeThreshold()).isEqualTo(3.0);
    assertThat(c.qualityWindow()).isEqualTo(11);
    assertThat(c.trackMemoryFrames()).isEqualTo(4);
    assertThat(c.toBuilder().spikeThreshold(5.0).qualityWindow(31).trackMemoryFrames(10).build())
        .isEqualTo(d);
    assertThat(d.withAreaChangeSightings(1))
        .isEqualTo(d.toBuilder().areaChangeSightings(1).build())
        .isNotEqualTo(d);
  }
}
