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
 * @param intensityInset px: the mean intensities are taken over the cell's interior, the pixels
 *     whose (2·inset+1)² square lies inside the cell (default 2), so that the dark line between
 *     cells, and its blur by the 3×3 median, do not leak into a cell's calcium signal as the cell
 *     moves and deforms; a cell with no interior pixel uses all its pixels. 0 = all pixels. Area,
 *     centroid and bounding box always use all pixels.
 */
public record MeasureConfig(int minArea, int minSharedBorder, int borderGap, int intensityInset) {

  /** Validates ranges. */
  public MeasureConfig {
    if (minArea < 0 || minSharedBorder < 1 || borderGap < 0 || intensityInset < 0) {
      throw new IllegalArgumentException("bad measure parameters");
    }
  }

  /** Parameters with the default intensity inset (2 px). */
  public MeasureConfig(int minArea, int minSharedBorder, int borderGap) {
    this(minArea, minSharedBorder, borderGap, 2);
  }

  /** minArea 30, minSharedBorder 5, borderGap 2, intensityInset 2. */
  public static MeasureConfig defaults() {
    return new MeasureConfig(30, 5, 2, 2);
  }

  /** The calcium paper's values: minArea 500, minSharedBorder 5, gap 2 (inset 2). */
  public static MeasureConfig paper() {
    return new MeasureConfig(500, 5, 2, 2);
  }

  /** A copy with another minimum area. */
  public MeasureConfig withMin(int area) {
    return new MeasureConfig(area, minSharedBorder, borderGap, intensityInset);
  }

  /** A copy with another intensity inset. */
  public MeasureConfig withIntensityInset(int px) {
    return new MeasureConfig(minArea, minSharedBorder, borderGap, px);
  }
}
