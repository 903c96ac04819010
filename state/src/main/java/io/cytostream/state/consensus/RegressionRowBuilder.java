package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the forward-Euler regression rows of the consensus model (DESIGN.md section 4) from two
 * consecutive frames of one field of view.
 *
 * <p>For each cell i that is interior (not on the border) in both frame t−1 and frame t and present
 * in both under the same track id, one row
 *
 * <pre>
 *   z_t = (y_{i,t} − y_{i,t−1}) / Δt
 *   φ_t = (1/|N_i|) Σ_{j ∈ Ad(i)} u_ij l_ij (x_{j,t−1} − y_{i,t−1})
 * </pre>
 *
 * with the neighbour set Ad(i), |N_i| = |Ad(i)| and the weights u_ij l_ij all taken from frame t−1,
 * and Δt = time(t) − time(t−1) in seconds. Units: y in normalised intensity; the weight u_ij l_ij
 * is the link's {@link NeighbourLink#weight()}, w_ij = u_ij·l_ij / s, dimensionless with the
 * consensus stage's s = 1000 px²; so φ is in intensity and z in intensity/s, k in 1/s and γ in
 * intensity/s (with unscaled links, u·l in px², φ would be in px²·intensity and k in 1/(px²·s)).
 *
 * <p>Topology changes, decided so that every row only uses quantities that exist:
 *
 * <ul>
 *   <li>Everything on the right-hand side comes from frame t−1. A neighbour that appears at t
 *       (absent at t−1) contributes nothing to this row; a neighbour that vanishes at t still
 *       contributes through its value at t−1 (it was there and exerted its coupling over [t−1, t]).
 *   <li>A cell needs two frames: a track that starts at t (new or a daughter) gives its first row
 *       at t+1. A dividing parent's track ends, so it gives no row for the frame of the division.
 *       Daughters start with no prior in the consensus fit: the streaming CRLSM must equal the
 *       offline CRLSM on the same rows, which has no such prior (the per-cell RLS may take the
 *       parent's estimate as a prior, see {@link CellRls#daughterOf}).
 *   <li>Border cells (on the border at t−1 or at t) give no row; they still enter their neighbours'
 *       φ as inputs x_j. A cell with no neighbours at t−1 gives no row (|N_i| = 0, φ undefined).
 *   <li>A missing frame (index gap &gt; {@code maxFrameGap}, default 1) gives no rows: a
 *       forward-Euler step over 2Δt doubles the discretisation error and the neighbour graph may
 *       have changed in between; the frame after the gap becomes the new frame t−1. With {@code
 *       maxFrameGap} &gt; 1 the rows are built with Δt covering the gap instead.
 *   <li>A frame whose index is not greater than the previous one (duplicate or out of order) is
 *       ignored and leaves the state unchanged; a non-positive or non-finite Δt gives no rows.
 *   <li>A cell with a non-finite intensity in either frame gives no row, and a non-finite neighbour
 *       intensity makes the row of that cell skipped.
 * </ul>
 *
 * <p>Instrument: each row also carries the same cell's φ of the previous frame's row (built from
 * frame t−2), the instrument of the IV estimator ({@link CrlsmConfig.Estimator#IV}); NaN when the
 * cell had no row at frame t−1 (its first row, after a gap, after it was a border cell).
 *
 * <p>The only state is the previous frame and the φ of its rows; {@link #snapshot()} and {@link
 * #restore} move it through a state store. Not thread-safe.
 */
public final class RegressionRowBuilder {

  /**
   * The builder's state.
   *
   * @param previous the last accepted frame, or null before the first frame
   * @param maxFrameGap largest frame-index difference that still gives rows (≥ 1)
   * @param previousPhi φ per track of the rows formed at the previous frame (the next rows'
   *     instruments); null in snapshots written before it existed (read as empty)
   */
  public record Snapshot(ConsensusFrame previous, int maxFrameGap, Map<Long, Double> previousPhi) {

    /** A snapshot without instruments. */
    public Snapshot(ConsensusFrame previous, int maxFrameGap) {
      this(previous, maxFrameGap, Map.of());
    }

    /** Copies the map; null reads as empty. */
    public Snapshot {
      previousPhi = previousPhi == null ? Map.of() : Map.copyOf(previousPhi);
    }
  }

  private final int maxFrameGap;
  private ConsensusFrame previous;
  private Map<Long, Double> previousPhi = Map.of();

  /** A builder that only pairs consecutive frames (a missing frame skips one step of rows). */
  public RegressionRowBuilder() {
    this(1);
  }

  /**
   * @param maxFrameGap largest frame-index difference that still gives rows (≥ 1); larger gaps give
   *     no rows
   */
  public RegressionRowBuilder(int maxFrameGap) {
    if (maxFrameGap < 1) {
      throw new IllegalArgumentException("maxFrameGap must be >= 1: " + maxFrameGap);
    }
    this.maxFrameGap = maxFrameGap;
  }

  /** Restores a builder from its snapshot. */
  public static RegressionRowBuilder restore(Snapshot snapshot) {
    RegressionRowBuilder b = new RegressionRowBuilder(snapshot.maxFrameGap());
    b.previous = snapshot.previous();
    b.previousPhi = snapshot.previousPhi();
    return b;
  }

  /** The builder's state, an immutable record. */
  public Snapshot snapshot() {
    return new Snapshot(previous, maxFrameGap, previousPhi);
  }

  /** The last accepted frame, or null. */
  public ConsensusFrame previous() {
    return previous;
  }

  /**
   * Accepts frame t and returns the rows it forms with the previously accepted frame t−1 (ordered
   * as the cells of frame t). The frame becomes the new previous frame unless it is a duplicate or
   * out of order.
   */
  public List<RegressionRow> accept(ConsensusFrame frame) {
    ConsensusFrame prev = previous;
    if (prev != null && frame.frameIndex() <= prev.frameIndex()) {
      return List.of();
    }
    previous = frame;
    Map<Long, Double> lag = previousPhi;
    previousPhi = Map.of();
    if (prev == null || frame.frameIndex() - prev.frameIndex() > maxFrameGap) {
      return List.of();
    }
    double dt = frame.timeSeconds() - prev.timeSeconds();
    if (!(dt > 0) || !Double.isFinite(dt)) {
      return List.of();
    }
    List<RegressionRow> out = rows(prev, frame, dt, lag);
    Map<Long, Double> phi = new HashMap<>(out.size() * 2);
    for (RegressionRow r : out) {
      phi.put(r.trackId(), r.phi());
    }
    previousPhi = phi;
    return out;
  }

  /** Builds the rows of frame t from frame t−1 with the given Δt, without instruments. */
  public static List<RegressionRow> rows(ConsensusFrame prev, ConsensusFrame cur, double dt) {
    return rows(prev, cur, dt, Map.of());
  }

  /**
   * Builds the rows of frame t from frame t−1 with the given Δt, without touching any state; a
   * row's instrument is {@code lagPhi}'s entry for its track (NaN if none).
   */
  public static List<RegressionRow> rows(
      ConsensusFrame prev, ConsensusFrame cur, double dt, Map<Long, Double> lagPhi) {
    Map<Long, CellSample> before = new HashMap<>(prev.cells().size() * 2);
    for (CellSample c : prev.cells()) {
      before.put(c.trackId(), c);
    }
    // Per cell of frame t−1: [Σ u l (x_j − y_i), |N_i|, number of non-finite neighbours].
    Map<Long, double[]> coupling = new HashMap<>(prev.cells().size() * 2);
    for (NeighbourLink link : prev.links()) {
      CellSample a = before.get(link.trackI());
      CellSample b = before.get(link.trackJ());
      if (a == null || b == null || a.trackId() == b.trackId()) {
        continue;
      }
      double w = link.weight();
      accumulate(coupling, a, b, w);
      accumulate(coupling, b, a, w);
    }
    List<RegressionRow> rows = new ArrayList<>(cur.cells().size());
    for (CellSample c : cur.cells()) {
      CellSample p = before.get(c.trackId());
      if (p == null || c.onBorder() || p.onBorder()) {
        continue;
      }
      double[] acc = coupling.get(c.trackId());
      if (acc == null || acc[1] == 0 || acc[2] > 0) {
        continue;
      }
      double z = (c.intensity() - p.intensity()) / dt;
      double phi = acc[0] / acc[1];
      if (!Double.isFinite(z) || !Double.isFinite(phi)) {
        continue;
      }
      Double lag = lagPhi.get(c.trackId());
      rows.add(
          new RegressionRow(
              c.trackId(), cur.frameIndex(), phi, z, dt, lag == null ? Double.NaN : lag));
    }
    return rows;
  }

  private static void accumulate(
      Map<Long, double[]> coupling, CellSample i, CellSample j, double w) {
    double[] acc = coupling.computeIfAbsent(i.trackId(), id -> new double[3]);
    double term = w * (j.intensity() - i.intensity());
    if (Double.isFinite(term)) {
      acc[0] += term;
    } else {
      acc[2] += 1;
    }
    acc[1] += 1;
  }
}
