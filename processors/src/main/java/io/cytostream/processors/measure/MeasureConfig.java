package io.cytostream.processors.measure;

/**
 * Parameters of {@link CellMeasurer}; lengths in pixels, areas in pixels².
 *
 * @param minArea cells with fewer pixels are dropped (default 30, suited to the CTC sequences and
 *     the simulator; the calcium paper's MDCK culture used 500 — see {@link #paper()})
 * @param minSharedBorder two cells are neighbours when their shared border ({@link CellMeasurer})
 *     is at least this many pixel pairs (default 5, as in DESIGN.md)
 * @param borderGap background pixels tolerated between two cells that still count as touching: 0 =
 *     strictly 4-adjacent; default 2, because the simulator (and many real cultures) draw a 1–2 px
 *     dark gap between neighbouring cells
 */
public record MeasureConfig(int minArea, int minSharedBorder, int borderGap) {

  /** Validates ranges. */
  public MeasureConfig {
    if (minArea < 0 || minSharedBorder < 1 || borderGap < 0) {
      throw new IllegalArgumentException("bad measure parameters");
    }
  }

  /** minArea 30, minSharedBorder 5, borderGap 2. */
  public static MeasureConfig defaults() {
    return new MeasureConfig(30, 5, 2);
  }

  /** The calcium paper's values: minArea 500, minSharedBorder 5, gap 2. */
  public static MeasureConfig paper() {
    return new MeasureConfig(500, 5, 2);
  }

  /** A copy with another minimum area. */
  public MeasureConfig withMin(int area) {
    return new MeasureConfig(area, minSharedBorder, borderGap);
  }
}
