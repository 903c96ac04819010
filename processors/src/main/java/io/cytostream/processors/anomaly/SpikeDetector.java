package io.cytostream.processors.anomaly;

import io.cytostream.state.consensus.Innovation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Unexplained spike: the normalised innovation |e_t|/σ_t of a cell's RLS filter ({@link
 * io.cytostream.state.consensus.CellRls#innovate}) above {@link AnomalyConfig#spikeThreshold()},
 * once the filter has absorbed {@link AnomalyConfig#spikeWarmupRows()} rows. Stateless (the warm-up
 * count travels in the innovation). A row found to be a spike must not update the filter. The
 * pipeline uses it only as that outlier rule, at {@link AnomalyPipeline#ROW_OUTLIER_SIGMAS}; the
 * spikes it reports come from {@link FieldResidualTest}, which judges a cell against its field.
 */
public final class SpikeDetector {

  private final AnomalyConfig config;

  public SpikeDetector(AnomalyConfig config) {
    this.config = config;
  }

  /** Whether the innovation is a spike (false during warm-up or while σ_t is unknown). */
  public boolean isSpike(Innovation in) {
    return in.rowsBefore() >= config.spikeWarmupRows()
        && Math.abs(in.normalised()) > config.spikeThreshold();
  }

  /** Zero or one {@link AnomalyType#UNEXPLAINED_SPIKE}. */
  public List<Anomaly> test(Innovation in) {
    if (!isSpike(in)) {
      return List.of();
    }
    return List.of(
        new Anomaly(
            AnomalyType.UNEXPLAINED_SPIKE,
            in.trackId(),
            "normalised_innovation",
            in.normalised(),
            config.spikeThreshold(),
            String.format(
                Locale.ROOT,
                "dy/dt off the consensus prediction by %.3g (%.1f sigma)",
                in.error(),
                in.normalised()),
            new Evidence(
                null,
                List.of(in.frameIndex()),
                null,
                Map.of(
                    "error",
                    in.error(),
                    "predictedVariance",
                    in.predictedVariance(),
                    "rowsBefore",
                    (double) in.rowsBefore()),
                null)));
  }
}
