package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.List;

/**
 * The explanation of a frame's unexplained-spike events by the frame as a whole, behind {@link
 * AnomalyPipeline#explained(List, int)} and {@link AnomalyPipeline#explain(List, int)}: the spikes
 * are dropped when the same frame has an image event (intensity collapse, saturation, hot-pixel
 * burst) or when at least {@link AnomalyPipeline#SPIKE_CROWD_MIN} and more than {@link
 * AnomalyPipeline#SPIKE_CROWD_FRACTION} of the frame's rows spiked together. Other kinds pass
 * unchanged, in their order. Stateless.
 */
final class SpikeCrowdFilter {

  private SpikeCrowdFilter() {}

  /**
   * The anomalies left to publish.
   *
   * @param found the frame's anomalies
   * @param rows the frame's regression rows (cells tested for a spike)
   * @param noted where each dropped spike is added with its reason ({@link
   *     Suppressed.Reason#IMAGE_EVENT} or {@link Suppressed.Reason#CROWD}); null: not noted
   * @return {@code found} itself when nothing is dropped, else a new list
   */
  static List<Anomaly> explained(List<Anomaly> found, int rows, List<Suppressed> noted) {
    long spikes = found.stream().filter(a -> a.type() == AnomalyType.UNEXPLAINED_SPIKE).count();
    if (spikes == 0) {
      return found;
    }
    boolean imageEvent =
        found.stream()
            .anyMatch(
                a ->
                    a.type() == AnomalyType.INTENSITY_COLLAPSE
                        || a.type() == AnomalyType.SATURATION
                        || a.type() == AnomalyType.HOT_PIXEL_BURST);
    boolean crowd =
        spikes >= AnomalyPipeline.SPIKE_CROWD_MIN
            && spikes > AnomalyPipeline.SPIKE_CROWD_FRACTION * rows;
    if (!imageEvent && !crowd) {
      return found;
    }
    List<Anomaly> kept = new ArrayList<>(found.size());
    for (Anomaly a : found) {
      if (a.type() != AnomalyType.UNEXPLAINED_SPIKE) {
        kept.add(a);
      } else if (noted != null) {
        noted.add(
            new Suppressed(
                a, imageEvent ? Suppressed.Reason.IMAGE_EVENT : Suppressed.Reason.CROWD));
      }
    }
    return kept;
  }
}
