package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The arithmetic of one track and of the link and division costs, against hand computation. */
class TrackStepsTest {

  private static Detection det(double x, double y, double area, double intensity) {
    return new Detection(1, x, y, area, intensity);
  }

  @Test
  void velocityIsTheFirstDisplacementThenSmoothedPerFrame() {
    Track tr = Track.start(7, det(0, 0, 100, 1), 10);
    assertThat(tr.gapBefore(11)).isZero();
    assertThat(tr.gapBefore(13)).isEqualTo(2);
    tr.observe(det(10, -4, 120, 2), 11, 0.5);
    assertThat(tr.vx).isEqualTo(10);
    assertThat(tr.vy).isEqualTo(-4);
    // two frames later: 20 px in 2 frames = 10 px/frame, smoothed with the previous 10
    tr.observe(det(30, 0, 130, 3), 13, 0.25);
    assertThat(tr.vx).isEqualTo(0.25 * 10 + 0.75 * 10);
    assertThat(tr.vy).isEqualTo(0.25 * 2 + 0.75 * -4);
    assertThat(tr.seenAt(13)).isTrue();
    assertThat(tr.seenAt(12)).isFalse();
    assertThat(tr.state())
        .isEqualTo(new TrackerSnapshot.TrackState(7, 10, 13, 30, 0, 10, -2.5, 130, 3, 3));
    Track back = Track.of(tr.state());
    assertThat(back.state()).isEqualTo(tr.state());
  }

  @Test
  void theGateIsTheConfiguredRadiusOrTheEquivalentDiameterIfLarger() {
    FrameLinker linker = new FrameLinker(TrackerConfig.builder().maxLinkDistance(30).build());
    // diameter of 400 px²: 22.6 px < 30
    assertThat(linker.gate(Track.start(1, det(0, 0, 400, 1), 0))).isEqualTo(30);
    // 10 000 px²: diameter 2·sqrt(10000/π) = 112.8 px
    assertThat(linker.gate(Track.start(1, det(0, 0, 10_000, 1), 0)))
        .isCloseTo(2 * Math.sqrt(10_000 / Math.PI), within(1e-12));
  }

  @Test
  void linkCostAddsDisplacementAreaIntensityAndGapTerms() {
    TrackerConfig cfg =
        TrackerConfig.builder()
            .maxLinkDistance(10)
            .areaWeight(0.25)
            .intensityWeight(0.5)
            .gapPenalty(1.5)
            .build();
    FrameLinker linker = new FrameLinker(cfg);
    Track tr = Track.start(1, det(0, 0, 50, 10), 0); // gate 10 px: diameter 8 px
    double c = linker.linkCost(tr, det(3, 4, 100, 20), 0, 0, 2);
    double expected =
        25.0 / 100 + 0.25 * Math.log(2) * Math.log(2) + 0.5 * (10.0 / 20) * (10.0 / 20) + 1.5 * 2;
    assertThat(c).isCloseTo(expected, within(1e-12));
    // displacement is measured from the prediction, not from the last position
    assertThat(linker.linkCost(tr, det(3, 4, 50, 10), 3, 4, 0)).isZero();
    // no intensity at all: no intensity term (and no NaN)
    Track dark = Track.start(1, det(0, 0, 100, 0), 0);
    assertThat(linker.linkCost(dark, det(0, 0, 100, 0), 0, 0, 0)).isZero();
  }

  @Test
  void weightsOfZeroSwitchTheirTermsOff() {
    FrameLinker linker =
        new FrameLinker(
            TrackerConfig.builder()
                .maxLinkDistance(10)
                .areaWeight(0)
                .intensityWeight(0)
                .gapPenalty(0)
                .build());
    Track tr = Track.start(1, det(0, 0, 50, 10), 0);
    assertThat(linker.linkCost(tr, det(0, 5, 400, 1), 0, 0, 3)).isEqualTo(0.25);
  }

  @Test
  void divisionCostAddsTheAreaAndDistanceTermsInsideTheGate() {
    DivisionFinder f =
        new DivisionFinder(
            TrackerConfig.builder().divisionMaxDistance(10).divisionAreaTolerance(2).build());
    Track mother = Track.start(1, det(0, 0, 100, 1), 0);
    // daughters sharing the mother's area, 6 and 8 px away
    assertThat(f.cost(mother, det(6, 0, 50, 1), det(0, 8, 50, 1)))
        .isCloseTo((36.0 + 64) / 200, within(1e-12));
    // twice the mother's area: the area term is 1 at tolerance 2
    assertThat(f.cost(mother, det(0, 0, 100, 1), det(0, 0, 100, 1))).isCloseTo(1.0, within(1e-12));
    // exactly on the gate is inside; beyond it is impossible
    assertThat(f.cost(mother, det(10, 0, 50, 1), det(0, 0, 50, 1))).isCloseTo(0.5, within(1e-12));
    assertThat(f.cost(mother, det(10.01, 0, 50, 1), det(0, 0, 50, 1))).isInfinite();
    assertThat(f.cost(mother, det(0, 0, 50, 1), det(0, -10.01, 50, 1))).isInfinite();
    assertThat(f.cost(mother, det(0, 0, 50, 1), det(0, -10, 50, 1))).isCloseTo(0.5, within(1e-12));
    // off both axes: squared distances 25 and 25
    assertThat(f.cost(mother, det(3, 4, 50, 1), det(-3, -4, 50, 1)))
        .isCloseTo(50.0 / 200, within(1e-12));
  }
}
