package io.cytostream.state.consensus;

import java.util.List;

/**
 * All tracked cells of one field of view in one frame, with their neighbour graph.
 *
 * @param frameIndex acquisition frame index (consecutive frames differ by 1)
 * @param timeSeconds acquisition time in seconds (any origin; only differences are used)
 * @param cells the cells of this frame, at most one sample per track id
 * @param links the neighbour pairs of this frame, each undirected pair listed once
 */
public record ConsensusFrame(
    long frameIndex, double timeSeconds, List<CellSample> cells, List<NeighbourLink> links) {

  /** Copies the lists so that the record is immutable. */
  public ConsensusFrame {
    cells = List.copyOf(cells);
    links = List.copyOf(links);
  }
}
