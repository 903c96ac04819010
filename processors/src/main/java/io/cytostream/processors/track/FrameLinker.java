package io.cytostream.processors.track;

import java.util.Arrays;
import java.util.List;

/**
 * Links the active tracks to the detections of one frame: motion prediction, gate, link cost and
 * the sparse assignment, as documented in {@link TrackerConfig}. Stateless apart from the
 * configuration.
 *
 * <p>Candidates from every track (last seen {@code g} frames before the frame, {@code 0 <= g}) are
 * the detections within {@code gate · sqrt(1 + g)} px of the track's predicted position, found with
 * a {@link SpatialGrid}; the LAP ({@link LapSolver}) gives each track at most one detection and
 * each detection at most one track, with {@code nonLinkCost} for leaving either alone. Gap-closing
 * candidates compete with frame-to-frame ones in the same problem.
 */
final class FrameLinker {
  /** Gate radius per unit of a track's equivalent diameter (see {@link #gate}). */
  static final double SIZE_GATE = 1.0;

  private final TrackerConfig cfg;

  FrameLinker(TrackerConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * The optimal links of frame {@code t}.
   *
   * @param active the tracks, rows of the assignment in this order
   * @param detections the detections of frame {@code t}, columns in this order
   * @param grid the detections' centroids indexed for gating
   * @return rows to columns and columns to rows, {@code -1} for unlinked
   */
  LapSolver.Assignment link(
      List<Track> active, List<Detection> detections, SpatialGrid grid, long t) {
    int n = active.size();
    int m = detections.size();
    SparseCostMatrix.Builder builder = SparseCostMatrix.builder(n, m);
    for (int i = 0; i < n; i++) {
      final int row = i;
      final Track tr = active.get(i);
      final int g = tr.gapBefore(t);
      final double px = tr.x + cfg.velocityWeight() * tr.vx * (g + 1);
      final double py = tr.y + cfg.velocityWeight() * tr.vy * (g + 1);
      double radius = gate(tr) * Math.sqrt(1.0 + g);
      grid.forEachWithin(
          px, py, radius, j -> builder.add(row, j, linkCost(tr, detections.get(j), px, py, g)));
    }
    double[] rowAlone = new double[n];
    double[] colAlone = new double[m];
    Arrays.fill(rowAlone, cfg.nonLinkCost());
    Arrays.fill(colAlone, cfg.nonLinkCost());
    return LapSolver.solve(builder.build(), rowAlone, colAlone);
  }

  /**
   * A track's gate radius in px: {@code max(maxLinkDistance, SIZE_GATE × equivalent diameter)}, so
   * that big cells, which move farther per frame in px, are gated in proportion to their size while
   * small nuclei keep the configured radius.
   */
  double gate(Track tr) {
    double diameter = 2 * Math.sqrt(Math.max(tr.area, 0) / Math.PI);
    return Math.max(cfg.maxLinkDistance(), SIZE_GATE * diameter);
  }

  /**
   * The link cost (dimensionless) of continuing {@code tr} with {@code d} after {@code gap} missed
   * frames, {@code (px, py)} being the track's predicted position in px.
   */
  double linkCost(Track tr, Detection d, double px, double py, int gap) {
    double dx = d.x() - px;
    double dy = d.y() - py;
    double r = gate(tr);
    double c = (dx * dx + dy * dy) / (r * r);
    if (cfg.areaWeight() > 0) {
      double la = Math.log(d.areaPx() / tr.area);
      c += cfg.areaWeight() * la * la;
    }
    if (cfg.intensityWeight() > 0) {
      double den = Math.max(Math.abs(d.meanIntensity()), Math.abs(tr.intensity));
      if (den > 0) {
        double rel = (d.meanIntensity() - tr.intensity) / den;
        c += cfg.intensityWeight() * rel * rel;
      }
    }
    return c + cfg.gapPenalty() * gap;
  }
}
