package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.NeighbourLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * The field test of spikes and aberrant cells on the consensus model's own culture ({@link
 * GridCultureFrames}: known k, γ_i, Gaussian observation noise), against injected truth.
 */
class FieldResidualTestTest {

  private static final double NOISE = 0.002;

  private static FieldResidualTest.Frame frame(ConsensusFrame f) {
    List<FieldResidualTest.CellSignal> cells = new ArrayList<>();
    for (CellSample c : f.cells()) {
      cells.add(new FieldResidualTest.CellSignal(c.trackId(), c.intensity(), c.onBorder()));
    }
    List<FieldResidualTest.Link> links = new ArrayList<>();
    for (NeighbourLink l : f.links()) {
      links.add(new FieldResidualTest.Link(l.trackI(), l.trackJ(), l.weight()));
    }
    return new FieldResidualTest.Frame(f.frameIndex(), f.timeSeconds(), cells, links);
  }

  private record Found(long frame, Anomaly anomaly) {}

  private static List<Found> run(GridCultureFrames culture, FieldResidualTest test, int frames) {
    List<Found> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      FieldResidualTest.Frame f = frame(culture.next());
      test.test(f, Set.of()).anomalies().forEach(a -> out.add(new Found(f.frameIndex(), a)));
    }
    return out;
  }

  private static FieldResidualTest documented() {
    return new FieldResidualTest(AnomalyConfig.documented());
  }

  @Test
  void aOneFrameSpikeIsReportedAtTheNextFrameOnItsTrackAndNothingElse() {
    GridCultureFrames culture = new GridCultureFrames(8, NOISE, 7);
    long cell = culture.interior().get(10);
    // 0.03 in one frame: 15 noise σ of one observation
    culture.spike(cell, 40, 0.03);
    List<Found> found = run(culture, documented(), 80);
    assertThat(found)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.anomaly().type()).isEqualTo(AnomalyType.UNEXPLAINED_SPIKE);
              assertThat(f.anomaly().trackId()).isEqualTo(cell);
              assertThat(f.frame()).isEqualTo(41);
              assertThat(f.anomaly().statistic()).isEqualTo("field_z");
              assertThat(f.anomaly().evidence().frames()).containsExactly(40L, 41L);
            });
  }

  @Test
  void aCellWithAHighFeedIsAberrantWithinThreeFramesAndNotASpike() {
    GridCultureFrames culture = new GridCultureFrames(8, NOISE, 11);
    long cell = culture.interior().get(5);
    // as in the evaluation panel, the cell is aberrant from the start (its first row, frame 1):
    // its feed is 0.05 /s above its neighbours', 0.02 per Δt, 7 row σ in every row
    culture.gammaStep(cell, 0, 0.05);
    List<Found> found = run(culture, documented(), 60);
    assertThat(found)
        .filteredOn(f -> f.anomaly().trackId() == cell)
        .allSatisfy(f -> assertThat(f.anomaly().type()).isEqualTo(AnomalyType.ABERRANT_CELL))
        .anySatisfy(
            f -> {
              assertThat(f.frame()).isBetween(1L, 4L);
              assertThat(f.anomaly().statistic()).isEqualTo("robust_z_gamma");
            });
    assertThat(found).allSatisfy(f -> assertThat(f.anomaly().trackId()).isEqualTo(cell));
  }

  @Test
  void aShiftOfTheWholeFieldIsNoCellsAnomaly() {
    GridCultureFrames culture = new GridCultureFrames(8, NOISE, 13);
    for (long id = 1; id <= 64; id++) {
      culture.spike(id, 40, 0.05);
    }
    assertThat(run(culture, documented(), 70)).isEmpty();
  }

  @Test
  void aCleanCultureRaisesAtMostOneEventInTwoHundredFrames() {
    // 36 interior cells × 200 frames = 7 200 rows, at the documented thresholds (spike 5, aberrant
    // 8; the σ of each frame is a MAD over 36 rows, so its tail is heavier than a Gaussian's)
    GridCultureFrames culture = new GridCultureFrames(8, NOISE, 17);
    assertThat(run(culture, documented(), 200)).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void theCouplingOfTheFieldIsLearnt() {
    GridCultureFrames culture = new GridCultureFrames(8, NOISE, 19);
    FieldResidualTest test = documented();
    run(culture, test, 100);
    assertThat(test.fieldK()).isCloseTo(GridCultureFrames.K, Percentage.withPercentage(20));
  }

  @Test
  void aRestoredTestGoesOnAsTheOriginal() {
    GridCultureFrames a = new GridCultureFrames(8, NOISE, 23);
    GridCultureFrames b = new GridCultureFrames(8, NOISE, 23);
    long cell = a.interior().get(3);
    a.spike(cell, 35, 0.03);
    b.spike(cell, 35, 0.03);
    FieldResidualTest original = documented();
    FieldResidualTest other = documented();
    run(a, original, 35);
    run(b, other, 35);
    FieldResidualTest restored =
        FieldResidualTest.restore(AnomalyConfig.documented(), other.snapshot());
    List<Found> x = run(a, original, 10);
    List<Found> y = run(b, restored, 10);
    assertThat(y).isEqualTo(x).isNotEmpty();
  }
}
