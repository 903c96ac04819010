package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.testing.SimulatedRun;
import io.cytostream.processors.track.eval.CtcScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's ground-truth tracks, divisions included, are recovered by the pipeline's tracker
 * ({@code process --labels} with the simulator's masks), scored with the CTC measures.
 */
class SimulatedTracksRecoveryTest {

  @Test
  void recoversTheSimulatorsTracksAndDivisions(@TempDir Path tmp) throws Exception {
    int frames = 120;
    SimulationConfig config =
        SimulationConfig.builder().seed(21).frames(frames).divisionProbability(0.003).build();
    SimulatedRun run = SimulatedRun.of(tmp, config);
    Path sim = run.sim();
    Path out = run.out();

    List<CtcScorer.Track> ref = CtcScorer.readTracks(sim.resolve("01_GT/TRA/man_track.txt"));
    List<CtcScorer.Track> comp = CtcScorer.readTracks(out.resolve("res_track.txt"));
    List<CtcScorer.FrameMatch> matches = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      int[] gt =
          CtcData.readLabels(sim.resolve("01_GT/TRA/man_track" + CtcData.ttt(t) + ".tif")).labels();
      int[] res = CtcData.readLabels(out.resolve("mask" + CtcData.ttt(t) + ".tif")).labels();
      matches.add(CtcScorer.FrameMatch.of(gt, res));
    }
    long gtDivisions =
        ref.stream().filter(r -> r.parent() > 0).map(CtcScorer.Track::parent).distinct().count();
    assertThat(gtDivisions).as("divisions in the simulated culture").isGreaterThanOrEqualTo(3);
    CtcScorer.Result r = CtcScorer.aogm(ref, comp, matches);
    assertThat(r.tra()).as(r.toString()).isGreaterThanOrEqualTo(0.99);
    CtcScorer.Divisions d = CtcScorer.divisions(ref, comp, matches, 1);
    // measured: 14 of 16 divisions found (± 1 frame), 6 false ones: BC(1) 0.78
    assertThat(d.tp() / (double) (d.tp() + d.fn()))
        .as("division recall, %s", d)
        .isGreaterThanOrEqualTo(0.85);
    assertThat(d.bc()).as("BC(1) with %s", d).isGreaterThanOrEqualTo(0.7);
  }
}
