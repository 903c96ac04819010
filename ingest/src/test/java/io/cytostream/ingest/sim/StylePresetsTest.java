package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Named presets set the documented fields and compose left to right. */
class StylePresetsTest {

  private static SimulationConfig with(String... names) {
    SimulationConfigBuilder b = SimulationConfig.builder();
    for (String n : names) {
      StylePresets.apply(b, n);
    }
    return b.build();
  }

  @Test
  void everyNameChangesTheConfigAndComposes() {
    SimulationConfig plain = SimulationConfig.defaults();
    for (String n : StylePresets.NAMES) {
      assertThat(with(n)).as(n).isNotEqualTo(plain);
    }
    SimulationConfig c = with("sparse", "DIM", "8bit");
    assertThat(c.style().cellRadius()).isEqualTo(0.3);
    assertThat(c.style().brightness()).isEqualTo(0.2 * 0.1);
    assertThat(c.style().bitDepth()).isEqualTo(8);
    assertThat(with("noisy").readNoise()).isEqualTo(30.0);
    assertThat(with("large", "large").style().cellScale()).isEqualTo(1.5 * 1.5);
  }

  @Test
  void unknownNamesAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> with("blurry"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sparse");
  }
}
