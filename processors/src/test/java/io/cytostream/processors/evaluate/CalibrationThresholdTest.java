package io.cytostream.processors.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.anomaly.AnomalyConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quantile rule of the calibration, by hand. */
class CalibrationThresholdTest {

  @Test
  void allowedEventsFollowTheTargetRate() {
    assertThat(Calibration.allowed(100_000, 0.2)).isEqualTo(2);
    assertThat(Calibration.allowed(99_999, 0.2)).isEqualTo(1);
    assertThat(Calibration.allowed(4_000, 0.2)).isZero();
  }

  @Test
  void theThresholdLeavesAtMostTheAllowedEventsAboveIt() {
    List<Double> stats = List.of(1.5, 9.0, 3.0, 7.0, 2.0, 7.0);
    // none allowed: the largest; two allowed: the third largest (7.0 twice, then 3.0)
    assertThat(Calibration.threshold(stats, 0, 1.0)).isEqualTo(9.0);
    assertThat(Calibration.threshold(stats, 1, 1.0)).isEqualTo(7.0);
    assertThat(Calibration.threshold(stats, 2, 1.0)).isEqualTo(7.0);
    assertThat(Calibration.threshold(stats, 3, 1.0)).isEqualTo(3.0);
    for (int allowed = 0; allowed < 6; allowed++) {
      double t = Calibration.threshold(stats, allowed, 1.0);
      assertThat(stats.stream().filter(v -> v > t).count()).isLessThanOrEqualTo(allowed);
    }
    // never below the floor; the floor when there are no more events than allowed
    assertThat(Calibration.threshold(stats, 4, 2.5)).isEqualTo(2.5);
    assertThat(Calibration.threshold(stats, 6, 2.5)).isEqualTo(2.5);
    assertThat(Calibration.threshold(List.of(), 0, 4.0)).isEqualTo(4.0);
  }

  @Test
  void thePermissiveRunsSeeBelowTheFloorsAndTheShippedThresholdsRespectThem() {
    AnomalyConfig p = Calibration.permissive();
    assertThat(Calibration.KIND)
        .containsOnlyKeys(Calibration.PERMISSIVE.keySet())
        .containsOnlyKeys(Calibration.FLOOR.keySet());
    Calibration.FLOOR.forEach(
        (k, floor) -> assertThat(Calibration.PERMISSIVE.get(k)).as(k).isLessThanOrEqualTo(floor));
    assertThat(p.spikeThreshold()).isEqualTo(Calibration.PERMISSIVE.get("spikeThreshold"));
    // the area change's z is not calibrated: off in the permissive runs and by default
    assertThat(Calibration.KIND).doesNotContainKey("areaChangeZ");
    assertThat(p.areaChangeZ()).isZero();
    assertThat(AnomalyConfig.defaults().areaChangeZ()).isZero();
    // every shipped threshold respects its floor
    AnomalyConfig.calibration()
        .forEach((k, v) -> assertThat(v).as(k).isGreaterThanOrEqualTo(Calibration.FLOOR.get(k)));
  }
}
