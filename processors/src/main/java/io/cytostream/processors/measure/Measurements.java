package io.cytostream.processors.measure;

import io.cytostream.processors.image.LabelImage;
import java.util.List;

/**
 * The result of {@link CellMeasurer#measure}.
 *
 * @param relabelled labels after dropping small cells, contiguous; {@code cells.get(k).label() == k
 *     + 1}
 * @param cells one entry per label, in label order
 * @param pairs neighbour pairs, sorted by (labelI, labelJ)
 */
public record Measurements(
    LabelImage relabelled, List<CellMeasurement> cells, List<NeighbourPair> pairs) {
  /** Makes the lists unmodifiable. */
  public Measurements {
    cells = List.copyOf(cells);
    pairs = List.copyOf(pairs);
  }
}
