package io.cytostream.processors.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.TrackedFrame;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitComparisonTest {

  @Test
  void everyParameterisationIsFittedAndTheTrueModelFitsBest() {
    ConsensusModelFrames model = new ConsensusModelFrames(6, 0.05, 1.0, 0.0, 11);
    List<TrackedFrame> frames = new ArrayList<>();
    for (int t = 0; t < 80; t++) {
      frames.add(model.next());
    }
    ConsensusSettings settings = ConsensusSettings.defaults();
    List<FitComparison.Row> rows =
        FitComparison.run("m", frames, settings, AnomalyConfig.defaults());
    assertThat(rows)
        .extracting(FitComparison.Row::parameterisation)
        .containsExactly(
            CrlsmConfig.Parameterisation.EQ2.name(), CrlsmConfig.Parameterisation.EQ3.name());

    // the default parameterisation gives the stream's own k, and its trace MSE over the whole movie
    FovConsensus stream = FovConsensus.create("m", settings, AnomalyConfig.defaults(), 0);
    ConsensusEstimate last = null;
    for (TrackedFrame f : frames) {
      last = stream.step(f).estimate();
    }
    FitComparison.Row dflt =
        rows.stream()
            .filter(r -> r.parameterisation().equals(settings.crlsm().parameterisation().name()))
            .findFirst()
            .orElseThrow();
    assertThat(dflt.k()).isEqualTo(last.k());
    assertThat(dflt.traceMse()).isEqualTo(last.traceMse());
    assertThat(dflt.cells()).isEqualTo(16);
    // the data follow the per-cell-feed model exactly: it re-simulates them best
    double best = rows.stream().mapToDouble(FitComparison.Row::traceMse).min().orElseThrow();
    assertThat(dflt.traceMse()).isEqualTo(best).isLessThan(1e-6);
    assertThat(rows).allSatisfy(r -> assertThat(r.medianCellTraceMse()).isFinite());

    String md = FitComparison.markdown("m", rows);
    assertThat(md).contains("| " + dflt.parameterisation() + " | " + dflt.label() + " |");
    String csv = FitComparison.csv(rows);
    assertThat(csv.lines()).hasSize(1 + rows.size());
    String cells = FitComparison.cellsCsv(rows);
    assertThat(cells.lines()).hasSize(1 + 16);
    double cell8 =
        Double.parseDouble(cells.lines().skip(1).findFirst().orElseThrow().split(",")[1]);
    assertThat(cell8).isCloseTo(rows.get(0).cellTraceMse().get(8L), within(1e-12 + 1e-8 * cell8));
  }
}
