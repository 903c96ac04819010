package io.cytostream.processors.testing;

import io.cytostream.ingest.sim.CtcWriter;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.offline.OfflineRunner;
import io.cytostream.processors.topology.PipelineConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A simulated culture written in CTC layout under {@code dir/sim}, then processed with {@code
 * process --labels} (the simulator's own SEG masks) into {@code dir/res}: the scientific tests
 * judge tracking and modelling apart from segmentation this way.
 *
 * @param sim the simulated sequence (01/, 01_GT/, truth.json)
 * @param out the result folder of {@code process}
 */
public record SimulatedRun(Path sim, Path out) {

  public static SimulatedRun of(Path dir, SimulationConfig config) throws IOException {
    Path sim = dir.resolve("sim");
    CtcWriter.write(config, sim);
    Path out = dir.resolve("res");
    OfflineRunner.run(
        new OfflineRunner.Options(
            sim.resolve("01"),
            out,
            "sim",
            sim.resolve("01_GT/SEG"),
            config.frameIntervalSeconds(),
            PipelineConfig.defaults()));
    return new SimulatedRun(sim, out);
  }
}
