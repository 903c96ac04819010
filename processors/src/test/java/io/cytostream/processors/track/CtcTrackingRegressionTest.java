package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Tracking alone, scored with the CTC measures against ground truth. Floors, not exact values: the
 * figures at the time of writing are in the messages and in the issue note.
 *
 * <p>Set {@code -Dtrack.ctcOut=DIR} to also write the results in CTC format (res_track.txt and
 * maskTTT.tif) under DIR/sim-seg and DIR/msc-tra, for the official evaluator.
 */
class CtcTrackingRegressionTest {

  private static Path outDir(String name) {
    String out = System.getProperty("track.ctcOut");
    return out == null ? null : Path.of(out).resolve(name);
  }

  @Test
  void simPlus01WithSegLabelsMeetsTheFloors() {
    Path gt = CtcData.sharedData().resolve("ctc/Fluo-N2DH-SIM+/01_GT");
    CtcSequence seq = new CtcSequence(gt, CtcSequence.Source.SEG);

    CtcSequence.Run run = seq.track(TrackerConfig.defaults());
    System.out.println("SIM+ 01 SEG, defaults: " + run);
    assertThat(run.aogm().tra()).as(run.toString()).isGreaterThanOrEqualTo(0.998);
    assertThat(run.aogm().lnk()).as(run.toString()).isGreaterThanOrEqualTo(0.99);
    assertThat(run.bc(1)).as(run.toString()).isGreaterThanOrEqualTo(0.85);

    // frame-to-frame Hungarian only (no gaps, no divisions) is clearly worse: the reference
    CtcSequence.Run plain =
        seq.track(TrackerConfig.builder().divisionsEnabled(false).maxGap(0).build());
    System.out.println("SIM+ 01 SEG, frame-to-frame only: " + plain);
    assertThat(plain.bc(1)).isZero();
    assertThat(run.aogm().aogm()).isLessThan(plain.aogm().aogm());

    // without a delay (no look-back to confirm divisions) the floors still hold on this data
    CtcSequence.Run noDelay = seq.track(TrackerConfig.builder().delayFrames(0).build());
    System.out.println("SIM+ 01 SEG, delayFrames 0: " + noDelay);
    assertThat(noDelay.aogm().tra()).isGreaterThanOrEqualTo(0.998);
    assertThat(noDelay.bc(1)).isGreaterThanOrEqualTo(0.85);

    Path out = outDir("sim-seg");
    if (out != null) {
      seq.writeResult(run.table(), out);
    }
  }

  @Test
  void msc01WithTraMarkersMeetsTheFloors() {
    // MSC cells move up to ~100 px per frame and are far apart: a wider gate
    Path gt = CtcData.sharedData().resolve("ctc/Fluo-C2DL-MSC/01_GT");
    CtcSequence seq = new CtcSequence(gt, CtcSequence.Source.TRA);
    CtcSequence.Run run = seq.track(TrackerConfig.builder().maxLinkDistance(100).build());
    System.out.println("MSC 01 TRA markers, gate 100 px: " + run);
    assertThat(run.aogm().tra()).as(run.toString()).isGreaterThanOrEqualTo(0.995);
    assertThat(run.aogm().lnk()).as(run.toString()).isGreaterThanOrEqualTo(0.99);
    assertThat(run.bc().get(1).fp()).as("no false divisions").isZero();
    Path out = outDir("msc-tra");
    if (out != null) {
      seq.writeResult(run.table(), out);
    }
  }
}
