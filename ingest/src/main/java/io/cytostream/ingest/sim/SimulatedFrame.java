package io.cytostream.ingest.sim;

import io.cytostream.ingest.tiff.RawPlane;
import java.util.List;

/**
 * One simulated frame: the camera image, its ground truth, and what was injected.
 *
 * <p>{@code labels} is a fresh array per frame (owned by the receiver); {@code raw} follows the
 * {@link RawPlane} contract.
 *
 * @param index frame index t, from 0
 * @param timeSeconds acquisition time, {@code index × frameIntervalSeconds}, s
 * @param raw the camera image, UINT16, {@code width × height}
 * @param labels ground-truth label image, row-major, unsigned 16-bit track labels ({@link
 *     Short#toUnsignedInt}), 0 = background; junction pixels carry their cell's label
 * @param dropped true when this frame is a {@link AnomalyType#DROPPED_FRAME}: a camera would not
 *     deliver it ({@link CultureSimulator#delivered()} skips it), its ground truth still holds
 * @param k the coupling in force for this frame's model step
 * @param cells the visible cells, in label order
 * @param anomalies anomalies that took effect at this frame
 */
public record SimulatedFrame(
    int index,
    double timeSeconds,
    RawPlane raw,
    short[] labels,
    boolean dropped,
    double k,
    List<CellTruth> cells,
    List<InjectedAnomaly> anomalies) {

  /** Copies the lists (not the arrays). */
  public SimulatedFrame {
    cells = List.copyOf(cells);
    anomalies = List.copyOf(anomalies);
  }

  /** Image width, px. */
  public int width() {
    return raw.width();
  }

  /** Image height, px. */
  public int height() {
    return raw.height();
  }
}
