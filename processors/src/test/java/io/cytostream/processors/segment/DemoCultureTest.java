package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.segment.eval.CtcSegScore;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The demo's own culture (its two FOVs: {@code SimulationConfig.builder().seed(f)}, 512², 60 cells,
 * the simulator's standard confluent look) against the simulator's ground truth with the classical
 * segmenter, the default that {@code demo} now shares with {@code serve} and {@code process}. The
 * demo used to route these FOVs through the learned model because the classical threshold merged
 * them (SEG 0.136 on such a culture, seed 11, before {@link ConfluentForeground}); the whole
 * chain's figures, classical beside the model, are in processors/EVALUATION.md ("The demo's
 * culture").
 */
class DemoCultureTest {

  @Test
  void theDemosCultureIsSegmentedByTheDefaultSegmenter() {
    ClassicalSegmenter seg = new ClassicalSegmenter();
    for (long fov = 1; fov <= 2; fov++) {
      SimulationConfig sim = SimulationConfig.builder().seed(fov).frames(14).build();
      CtcSegScore score = new CtcSegScore();
      for (ConfluentTriggerTest.Plane p : ConfluentTriggerTest.frames(sim, 10, 13)) {
        int[] l = seg.segment(p.normalized()).labels();
        score.addSegFrame(p.truth(), l);
        score.addDetFrame(p.truth(), l);
      }
      System.out.printf(
          Locale.ROOT,
          "demo fov-%d: SEG %.3f DET %.3f%n",
          fov,
          score.score().seg(),
          score.score().det());
      assertThat(score.score().seg()).as("fov-%d SEG", fov).isGreaterThan(0.85);
      assertThat(score.score().det()).as("fov-%d DET", fov).isGreaterThan(0.93);
    }
  }
}
