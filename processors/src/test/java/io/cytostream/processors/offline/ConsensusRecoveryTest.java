package io.cytostream.processors.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.sim.SimulationTruth;
import io.cytostream.ingest.sim.TrackRecord;
import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.processors.testing.SimulatedRun;
import io.cytostream.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scientific claim of the consensus stage, end to end: a simulated culture (known k, γ_i;
 * Poisson–Gaussian noise and hot pixels as the simulator renders them) goes through {@code process}
 * with the simulator's own masks ({@code --labels}); after 200 frames the streaming CRLSM recovers
 * k within 5 % and γ_i within 10 % (median over cells).
 *
 * <p>Units: the pipeline's y is the normalised intensity (log(x+1) − lo)/(hi − lo); the simulator
 * renders log(raw+1) = a + b·y_sim, so k is unchanged and γ_pipeline = γ_sim · b/(hi − lo).
 */
class ConsensusRecoveryTest {

  @Test
  void recoversKAndGammaFromSimulatedImages(@TempDir Path tmp) throws Exception {
    SimulationConfig config = SimulationConfig.builder().seed(7).frames(200).cells(60).build();
    SimulatedRun run = SimulatedRun.of(tmp, config);
    Path sim = run.sim();
    Path out = run.out();
    SimulationTruth truth = SimulationTruth.read(sim.resolve("truth.json"));

    JsonNode c = Json.mapper().readTree(out.resolve("consensus.json").toFile());
    double k = c.get("k").asDouble();
    assertThat(Math.abs(k - truth.model().k()) / truth.model().k()).isLessThan(0.05);

    double scale =
        truth.render().b()
            / (c.get("normalization").get("hi").asDouble()
                - c.get("normalization").get("lo").asDouble());
    Map<Integer, Double> gammaOfLabel = new HashMap<>();
    for (TrackRecord t : truth.tracks()) {
      gammaOfLabel.put(t.label(), t.gamma());
    }
    Map<Long, Integer> labelOfTrack = trackToTruthLabel(out, sim);
    List<Double> errors = new ArrayList<>();
    c.get("gamma")
        .fields()
        .forEachRemaining(
            e -> {
              Integer label = labelOfTrack.get(Long.parseLong(e.getKey()));
              Double g = label == null ? null : gammaOfLabel.get(label);
              if (g != null && g > 1e-6) {
                errors.add(Math.abs(e.getValue().asDouble() - g * scale) / (g * scale));
              }
            });
    assertThat(errors).hasSizeGreaterThan(30);
    errors.sort(Double::compare);
    assertThat(errors.get(errors.size() / 2)).isLessThan(0.10);
  }

  /** Each track's simulator label: the ground-truth label under its centroid in its first frame. */
  static Map<Long, Integer> trackToTruthLabel(Path out, Path sim) throws Exception {
    Map<Long, Integer> result = new HashMap<>();
    Map<Integer, RawPlane> masks = new HashMap<>();
    List<String> lines = Files.readAllLines(out.resolve("cells.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      long track = Long.parseLong(f[1]);
      if (result.containsKey(track)) {
        continue;
      }
      int frame = Integer.parseInt(f[0]);
      RawPlane mask = masks.get(frame);
      if (mask == null) {
        mask =
            TiffSequenceReader.readPlane(
                sim.resolve(String.format(Locale.ROOT, "01_GT/SEG/man_seg%03d.tif", frame)));
        masks.put(frame, mask);
      }
      int x = (int) Math.round(Double.parseDouble(f[2]));
      int y = (int) Math.round(Double.parseDouble(f[3]));
      result.put(track, (int) mask.valueAt(x, y));
    }
    return result;
  }
}
