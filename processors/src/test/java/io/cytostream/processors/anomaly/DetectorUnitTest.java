package io.cytostream.processors.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.state.consensus.Innovation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Small hand-computed cases and clean-data checks for each detector. */
class DetectorUnitTest {

  static final AnomalyConfig C = AnomalyConfig.documented();

  static Innovation in(long track, double normalised, long rowsBefore) {
    return new Innovation(track, 0, normalised, 1.0, normalised, rowsBefore);
  }

  @Test
  void spikeRespectsWarmupThresholdAndUnknownSigma() {
    SpikeDetector d = new SpikeDetector(C);
    assertThat(d.test(in(1, 9, 29))).isEmpty();
    assertThat(d.test(in(1, 5.0, 30))).isEmpty();
    assertThat(d.test(in(1, Double.NaN, 100))).isEmpty();
    List<Anomaly> a = d.test(in(1, -5.01, 30));
    assertThat(a)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.type()).isEqualTo(AnomalyType.UNEXPLAINED_SPIKE);
              assertThat(x.value()).isEqualTo(-5.01);
              assertThat(x.threshold()).isEqualTo(5.0);
              assertThat(x.trackId()).isEqualTo(1);
            });
  }

  @Test
  void cusumHandComputed() {
    DriftDetector d = new DriftDetector(C);
    // κ = 1, h = 6: r = 3 adds 2 per row to S⁺: 2, 4, 6 (not > 6), 8 → alarm at the 4th row.
    for (int i = 0; i < 3; i++) {
      assertThat(d.test(in(4, 3, 100))).isEmpty();
    }
    assertThat(d.state(4).upper()).isCloseTo(6, within(1e-12));
    List<Anomaly> a = d.test(in(4, 3, 100));
    assertThat(a)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.type()).isEqualTo(AnomalyType.MODEL_DRIFT);
              assertThat(x.statistic()).isEqualTo("cusum_upper");
              assertThat(x.value()).isCloseTo(8, within(1e-12));
            });
    assertThat(d.state(4).upper()).as("reset after alarm").isZero();
    // downward: r = −4 adds 3 to S⁻: 3, 6, 9 → alarm at the 3rd row
    assertThat(d.test(in(4, -4, 100))).isEmpty();
    assertThat(d.test(in(4, -4, 100))).isEmpty();
    assertThat(d.test(in(4, -4, 100)))
        .extracting(Anomaly::statistic)
        .containsExactly("cusum_lower");
    assertThat(d.state(4).alarms()).isEqualTo(2);
    // warm-up rows leave no state
    assertThat(d.test(in(5, 100, 10))).isEmpty();
    assertThat(d.state(5)).isNull();
    DriftDetector r = DriftDetector.restore(C, d.snapshot());
    assertThat(r.state(4)).isEqualTo(d.state(4));
  }

  @Test
  void oneOutlyingRowIsNoDriftButAPersistentShiftIs() {
    DriftDetector d = new DriftDetector(C);
    // a spike row of 500 σ enters as 5 σ: S⁺ = 4 < h = 6 (before: 499, an alarm at once)
    assertThat(d.test(in(7, 500, 100))).isEmpty();
    assertThat(d.state(7).upper()).isCloseTo(4, within(1e-12));
    assertThat(d.test(in(7, 0, 100))).isEmpty();
    // a shift of 8 σ that stays: 4 per row after the clip, S⁺ = 4, then 8 > 6: an alarm
    assertThat(d.test(in(8, 8, 100))).isEmpty();
    assertThat(d.test(in(8, 8, 100)))
        .singleElement()
        .satisfies(x -> assertThat(x.evidence().values()).containsEntry("lastResidual", 8.0));
  }

  @Test
  void cusumIsQuietOnStandardNormalResidualsAndFiresOnAShift() {
    DriftDetector d = new DriftDetector(C);
    Random rnd = new Random(3);
    int alarms = 0;
    for (int t = 0; t < 2000; t++) {
      for (long c = 1; c <= 50; c++) {
        alarms += d.test(in(c, rnd.nextGaussian(), 100)).size();
      }
    }
    assertThat(alarms).as("alarms in 100 000 clean rows").isLessThan(10);
    int detectedWithin3 = 0;
    for (long c = 1; c <= 50; c++) {
      for (int t = 1; t <= 3; t++) {
        if (!d.test(in(c, 4 + rnd.nextGaussian(), 100)).isEmpty()) {
          detectedWithin3++;
          break;
        }
      }
    }
    assertThat(detectedWithin3).as("4σ shifts found within 3 rows").isGreaterThanOrEqualTo(45);
  }

  static List<CellEstimate> culture(long seed, int n) {
    Random rnd = new Random(seed);
    List<CellEstimate> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(
          new CellEstimate(
              i, 0.02 + 0.002 * rnd.nextGaussian(), 0.01 + 0.001 * rnd.nextGaussian(), 100));
    }
    return out;
  }

  @Test
  void robustZScoreHandComputed() {
    AberrantCellDetector d = new AberrantCellDetector(C);
    // k = 1, 2, 3, 4, 100 and three more of 3: median 3, |dev| = 2,1,0,1,97,0,0,0 → MAD 0.5;
    // z(100) = 0.6745·97/0.5 = 130.853, z(1) = 0.6745·(−2)/0.5 = −2.698 (quiet).
    double[] ks = {1, 2, 3, 4, 100, 3, 3, 3};
    List<CellEstimate> cells = new ArrayList<>();
    for (int i = 0; i < ks.length; i++) {
      cells.add(new CellEstimate(i + 1, ks[i], 7.0 + (i % 2) * 0.1, 60));
    }
    List<Anomaly> a = d.test(cells);
    assertThat(a)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.trackId()).isEqualTo(5);
              assertThat(x.statistic()).isEqualTo("robust_z_k");
              assertThat(x.value()).isCloseTo(0.6745 * 97 / 0.5, within(1e-9));
            });
    assertThat(d.test(cells)).as("reported once while it stays aberrant").isEmpty();
    assertThat(AberrantCellDetector.restore(C, d.snapshot()).snapshot().flaggedK())
        .containsExactly(5L);
  }

  @Test
  void aberrantCellFoundOnTheFrameItDeviatesAndCultureQuietOtherwise() {
    AberrantCellDetector d = new AberrantCellDetector(C);
    for (int f = 0; f < 50; f++) {
      assertThat(d.test(culture(100 + f, 80))).as("clean culture, frame %d", f).isEmpty();
    }
    List<CellEstimate> bad = new ArrayList<>(culture(200, 80));
    bad.set(9, new CellEstimate(10, 0.02, 0.03, 100)); // γ 20 MADs away
    bad.set(20, new CellEstimate(21, 0.05, 0.01, 10)); // still warming up: not tested
    List<Anomaly> a = d.test(bad);
    assertThat(a).extracting(Anomaly::trackId).containsExactly(10L);
    assertThat(a.get(0).statistic()).isEqualTo("robust_z_gamma");
    // too few warm cells: nothing is tested
    assertThat(new AberrantCellDetector(C).test(bad.subList(0, 5))).isEmpty();
  }

  @Test
  void trackingEvents() {
    // area changes reported at their first sighting here; confirmation is tested below
    AnomalyConfig c1 = C.withAreaChangeSightings(1);
    TrackingDetector d = new TrackingDetector(c1);
    assertThat(
            d.test(
                0,
                List.of(new TrackObservation(1, 600, 0), new TrackObservation(2, 800, 0)),
                List.of()))
        .isEmpty();
    assertThat(
            d.test(
                1,
                List.of(new TrackObservation(1, 650, 0), new TrackObservation(2, 800, 0)),
                List.of()))
        .isEmpty();
    // frame 2: 1 swells by 60 %, 2 divides into 3 and 4
    List<Anomaly> a =
        d.test(
            2,
            List.of(
                new TrackObservation(1, 1040, 0),
                new TrackObservation(3, 400, 2),
                new TrackObservation(4, 390, 2)),
            List.of());
    // a division is life, not an anomaly (it goes to cells.lifecycle): only the area change here,
    // and the mother is forgotten
    assertThat(a).extracting(Anomaly::type).containsExactly(AnomalyType.AREA_CHANGE);
    assertThat(d.snapshot()).extracting(TrackMemory::trackId).doesNotContain(2L);
    Anomaly area =
        a.stream().filter(x -> x.type() == AnomalyType.AREA_CHANGE).findFirst().orElseThrow();
    assertThat(area.trackId()).isEqualTo(1);
    assertThat(area.value()).isCloseTo(1040.0 / 650 - 1, within(1e-12));
    // frame 3: the tracker loses 1 (tracked frames 0..2)
    TrackingDetector r = TrackingDetector.restore(c1, d.snapshot());
    List<Anomaly> lost =
        r.test(
            3,
            List.of(new TrackObservation(3, 410, 0), new TrackObservation(4, 395, 0)),
            List.of(1L));
    assertThat(lost)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.type()).isEqualTo(AnomalyType.TRACK_LOST);
              assertThat(x.evidence().values()).containsEntry("trackLengthFrames", 3.0);
            });
    // a small change is quiet; an old memory is forgotten after trackMemoryFrames
    assertThat(r.test(4, List.of(new TrackObservation(3, 500, 0)), List.of())).isEmpty();
    assertThat(r.test(20, List.of(new TrackObservation(4, 2000, 0)), List.of())).isEmpty();
    assertThat(r.snapshot()).extracting(TrackMemory::trackId).containsExactly(4L);
  }

  @Test
  void areaChangeMustHoldForTwoSightings() {
    assertThat(C.areaChangeSightings()).isEqualTo(2);
    TrackingDetector d = new TrackingDetector(C);
    long f = 0;
    d.test(f++, List.of(new TrackObservation(1, 600, 0)), List.of());
    // a one-frame merge doubles the area, then it is back: nothing to report
    assertThat(d.test(f++, List.of(new TrackObservation(1, 1250, 0)), List.of())).isEmpty();
    assertThat(d.test(f++, List.of(new TrackObservation(1, 620, 0)), List.of())).isEmpty();
    // up, then down: two deviations in opposite directions are not one change
    assertThat(d.test(f++, List.of(new TrackObservation(1, 1000, 0)), List.of())).isEmpty();
    assertThat(d.test(f++, List.of(new TrackObservation(1, 250, 0)), List.of())).isEmpty();
    assertThat(d.test(f++, List.of(new TrackObservation(1, 630, 0)), List.of())).isEmpty();
    // a lasting swell: reported at its second sighting, against the area before it
    assertThat(d.test(f++, List.of(new TrackObservation(1, 1000, 0)), List.of())).isEmpty();
    List<Anomaly> a = d.test(f++, List.of(new TrackObservation(1, 1010, 0)), List.of());
    assertThat(a)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.type()).isEqualTo(AnomalyType.AREA_CHANGE);
              assertThat(x.value()).isCloseTo(1010.0 / 630 - 1, within(1e-9));
            });
    // the new area is the reference now; the state survives a restore
    TrackingDetector r = TrackingDetector.restore(C, d.snapshot());
    assertThat(r.test(f++, List.of(new TrackObservation(1, 1030, 0)), List.of())).isEmpty();
    assertThat(r.snapshot().get(0).areaPx()).isEqualTo(1030);
  }

  static QualityObservation clean(Random rnd, long f) {
    return new QualityObservation(
        f,
        rnd.nextInt(8),
        0.001 * rnd.nextDouble(),
        1000 + 20 * rnd.nextGaussian(),
        50 + 3 * rnd.nextGaussian());
  }

  @Test
  void dataQualityQuietOnCleanFramesAndFiresOnEachInjectedFault() {
    Random rnd = new Random(9);
    DataQualityDetector d = new DataQualityDetector(C);
    for (long f = 0; f < 500; f++) {
      assertThat(d.test(clean(rnd, f))).as("clean frame %d", f).isEmpty();
    }
    // hot-pixel burst
    assertThat(d.test(new QualityObservation(500, 400, 0, 1000, 50)))
        .extracting(Anomaly::type)
        .containsExactly(AnomalyType.HOT_PIXEL_BURST);
    // saturation, reported on entry only
    assertThat(d.test(new QualityObservation(501, 3, 0.05, 1000, 50)))
        .extracting(Anomaly::type)
        .containsExactly(AnomalyType.SATURATION);
    assertThat(d.test(new QualityObservation(502, 3, 0.05, 1000, 50))).isEmpty();
    // dropped frames 503..504
    List<Anomaly> gap = d.test(clean(rnd, 505));
    assertThat(gap).extracting(Anomaly::type).containsExactly(AnomalyType.DROPPED_FRAME);
    assertThat(gap.get(0).value()).isEqualTo(2);
    // late frame: reported, no state change
    DataQualityDetector.State before = d.snapshot();
    assertThat(d.test(clean(rnd, 504)))
        .extracting(Anomaly::type)
        .containsExactly(AnomalyType.OUT_OF_ORDER_FRAME);
    assertThat(d.snapshot()).isEqualTo(before);
    // intensity collapse (mean drops 70 %), once, and focus loss
    assertThat(d.test(new QualityObservation(506, 3, 0, 300, 50)))
        .extracting(Anomaly::statistic)
        .containsExactly("frame_mean");
    assertThat(d.test(new QualityObservation(507, 3, 0, 300, 50))).isEmpty();
    DataQualityDetector r = DataQualityDetector.restore(C, d.snapshot());
    assertThat(r.test(new QualityObservation(508, 3, 0, 1000, 10)))
        .extracting(Anomaly::statistic)
        .containsExactly("sharpness");
    assertThat(r.test(clean(rnd, 509))).isEmpty();
  }

  @Test
  void gradualCollapseIsFoundWithin3FramesOfCrossingTheThreshold() {
    Random rnd = new Random(10);
    DataQualityDetector d = new DataQualityDetector(C);
    for (long f = 0; f < 100; f++) {
      d.test(clean(rnd, f));
    }
    // the mean falls by 20 % per frame from frame 100: 800, 600, 400 (< 500 at frame 102)
    List<Anomaly> all = new ArrayList<>();
    long first = -1;
    for (long f = 100; f < 106; f++) {
      double mean = Math.max(100, 1000 - 200 * (f - 99));
      List<Anomaly> a = d.test(new QualityObservation(f, 3, 0, mean, 50));
      if (!a.isEmpty() && first < 0) {
        first = f;
      }
      all.addAll(a);
    }
    assertThat(first).isBetween(102L, 104L);
    assertThat(all).hasSize(1);
  }
}
