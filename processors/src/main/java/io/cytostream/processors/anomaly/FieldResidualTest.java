package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The unexplained-spike and aberrant-cell tests, each cell judged against the rest of its field at
 * the same frame rather than against its own history (DESIGN.md section 5, issue 9).
 *
 * <p><b>Rows.</b> Per frame t and interior cell i seen (not on the border) at t − 1 and t, the
 * consensus row of DESIGN.md section 4 on the log intensity v = ln(1 + mean raw intensity):
 *
 * <pre>
 *   z_i = (v_i,t − v_i,t−1) / Δt,   φ_i = (1/|N_i|) Σ_j w_ij (v_j,t−1 − v_i,t−1)   (0 without neighbours)
 * </pre>
 *
 * with the coupling weights w_ij of frame t − 1. The model is linear in y, so k is the same in v as
 * in the normalised intensity (an affine map of v); v needs no calibrated normalisation, so the
 * test runs from the second frame on. A cell without neighbours is uncoupled (the simulator's and
 * the model's φ = 0): its row tests its own feed against the field's.
 *
 * <p><b>Residuals against the field.</b> r_i = z_i − k̂ φ_i, with k̂ the field's coupling from the
 * pooled, per-frame demeaned least squares of z on φ over past frames (forgetting {@value
 * #K_FORGETTING} per frame; rows already |u| ≥ {@value #K_CLIP} left out, so that a spike does not
 * move it). Then u_i = (r_i − median r) / (1.4826 · MAD r) over the frame's rows (at least {@value
 * #MIN_ROWS}): a cell's departure in units of the field's spread at the same frame. A shift the
 * whole field shares (focus, illumination, a shared stimulus) moves the median, not u.
 *
 * <ul>
 *   <li><b>Unexplained spike</b>: u_i,t &gt; {@link AnomalyConfig#spikeThreshold()} (a cell
 *       lighting up that the consensus does not explain), confirmed at the cell's next row: a spike
 *       is a step of the level, so the next row is back within half the threshold (a feed that
 *       stays high is an aberrant cell, not a spike); reported then (one frame after onset), or at
 *       once when the cell gives no further row. Statistic {@code field_z}: u at onset.
 *   <li><b>Aberrant cell</b>: γ̂_i, the exponentially weighted mean (factor {@value
 *       #GAMMA_FORGETTING} per row) of the cell's residuals r_i − median r, each clipped at
 *       ±{@value #GAMMA_CLIP} field σ so that one spike cannot make a cell aberrant, is the cell's
 *       feed relative to the field's; robust z = (γ̂_i − median γ̂) / max(1.4826 · MAD γ̂, SE_i)
 *       over the cells with at least 2 rows, SE_i the standard error of γ̂_i from the field σ of
 *       its rows. A cell is reported when |z| &gt; {@link AnomalyConfig#aberrantThreshold()}, once
 *       on entering the state (left below 0.8 × threshold). Statistic {@code robust_z_gamma}.
 * </ul>
 *
 * <p>Departure from DESIGN.md: there, the spike is normalised by the cell's own RLS innovation σ
 * and the aberrant test compares each cell's own k_i, γ_i; both need the cell's history (the RLS
 * warm-up, 30 and 50 rows), so neither could fire within 3 frames of an onset, and the cell's own
 * σ̂ absorbed segmentation noise (injected spikes 0.17 recall). Here k is the field's, γ_i the only
 * per-cell parameter, and σ the field's at the same frame; the statistics keep DESIGN.md's forms
 * (normalised innovation; robust z on median/MAD).
 *
 * <p>Parts: the rows are built by {@code FieldRows}, the feeds γ̂ and the aberrant-cell test kept
 * by {@code FieldFeeds}, the medians and MADs taken by {@code RobustStats}.
 *
 * <p>State: {@link #snapshot()}, {@link #restore}. Not thread-safe.
 */
public final class FieldResidualTest {

  /** Fewest rows in a frame for a field median and MAD. */
  public static final int MIN_ROWS = 5;

  /** Forgetting factor per frame of the field's k̂ sums. */
  public static final double K_FORGETTING = 0.99;

  /** Rows with |u| at or above this stay out of k̂. */
  public static final double K_CLIP = 4;

  /** Forgetting factor per row of a cell's γ̂. */
  public static final double GAMMA_FORGETTING = 0.9;

  /** A row's residual enters γ̂ clipped at this many field σ. */
  public static final double GAMMA_CLIP = 20;

  /**
   * One cell of a frame.
   *
   * @param trackId the track
   * @param value v = ln(1 + mean raw intensity)
   * @param border whether the cell is an input (border) cell
   */
  public record CellSignal(long trackId, double value, boolean border) {}

  /**
   * A coupling link of a frame.
   *
   * @param a one track
   * @param b the other
   * @param weight w_ab, dimensionless (u·l / coupling scale)
   */
  public record Link(long a, long b, double weight) {}

  /**
   * One frame's signals.
   *
   * @param frameIndex the frame
   * @param timeSeconds its time, s
   * @param cells its cells
   * @param links its coupling links
   */
  public record Frame(
      long frameIndex, double timeSeconds, List<CellSignal> cells, List<Link> links) {
    /** Copies the lists. */
    public Frame {
      cells = List.copyOf(cells);
      links = List.copyOf(links);
    }
  }

  /**
   * A cell's feed accumulator.
   *
   * @param trackId the track
   * @param weight Σ λ^age
   * @param weightSq Σ λ^(2·age)
   * @param sum Σ λ^age · clipped residual
   * @param noise Σ λ^age · σ_field²
   * @param rows rows seen
   */
  public record Feed(
      long trackId, double weight, double weightSq, double sum, double noise, long rows) {}

  /**
   * A spike waiting for the cell's next row.
   *
   * @param trackId the track
   * @param frameIndex the onset frame
   * @param z the excess at onset over the cell's own feed, in field σ
   * @param error r − median r at onset, in v/s
   * @param sigma the field σ at onset
   * @param level the cell's feed γ̂ before onset, in v/s (0 for a new cell)
   */
  public record Pending(
      long trackId, long frameIndex, double z, double error, double sigma, double level) {}

  /**
   * The test's state.
   *
   * @param previous the previous frame (null before the first)
   * @param sxx Σ demeaned φ² of the k̂ fit
   * @param sxy Σ demeaned φ·z
   * @param feeds per-cell accumulators
   * @param pending spikes to confirm
   * @param flagged tracks currently aberrant
   * @param imageEventFrame the last frame with an image event (Long.MIN_VALUE: none)
   */
  public record State(
      Frame previous,
      double sxx,
      double sxy,
      List<Feed> feeds,
      List<Pending> pending,
      List<Long> flagged,
      long imageEventFrame) {
    /** Copies the lists. */
    public State {
      feeds = List.copyOf(feeds);
      pending = List.copyOf(pending);
      flagged = List.copyOf(flagged);
    }
  }

  /** Prior weight of k̂ = 0 in the sums (keeps the first frames' fit defined). */
  static final double K_PRIOR_WEIGHT = 1e-6;

  private final AnomalyConfig config;
  private Frame previous;
  private double sxx = K_PRIOR_WEIGHT;
  private double sxy;
  private final FieldFeeds feeds = new FieldFeeds();
  private final Map<Long, Pending> pending = new TreeMap<>();
  private long imageEventFrame = Long.MIN_VALUE;

  public FieldResidualTest(AnomalyConfig config) {
    this.config = config;
  }

  /** Restores a test (null: a fresh one). */
  public static FieldResidualTest restore(AnomalyConfig config, State s) {
    FieldResidualTest t = new FieldResidualTest(config);
    if (s != null) {
      t.previous = s.previous();
      t.sxx = s.sxx();
      t.sxy = s.sxy();
      t.feeds.restore(s.feeds(), s.flagged());
      s.pending().forEach(p -> t.pending.put(p.trackId(), p));
      t.imageEventFrame = s.imageEventFrame();
    }
    return t;
  }

  /** The state. */
  public State snapshot() {
    return new State(
        previous,
        sxx,
        sxy,
        feeds.feeds(),
        new ArrayList<>(pending.values()),
        feeds.flagged(),
        imageEventFrame);
  }

  /**
   * Notes an image event (intensity collapse, saturation, hot-pixel burst) at {@code frame}, before
   * that frame is tested: the rows into and out of that frame measure the image, not the cells, so
   * they neither start a spike nor enter a cell's feed, and the spikes pending from an earlier
   * frame of the same index are dropped and returned (for the caller to count as explained).
   */
  public List<Anomaly> imageEvent(long frame) {
    imageEventFrame = frame;
    List<Anomaly> dropped = new ArrayList<>();
    for (Pending p : List.copyOf(pending.values())) {
      if (p.frameIndex() == frame) {
        pending.remove(p.trackId());
        dropped.add(spike(p, frame, Double.NaN));
      }
    }
    return dropped;
  }

  /** The field's coupling k̂ so far, 1/s (0 before any row; never negative: coupling evens out). */
  public double fieldK() {
    return Math.max(0, sxy / sxx);
  }

  /** Forgets a track that will not be seen again. */
  public void forget(long trackId) {
    feeds.forget(trackId);
    pending.remove(trackId);
  }

  /**
   * Tests one frame (frames in increasing order; a gap restarts the rows).
   *
   * @param f the frame
   * @param segmentChanged tracks whose segment changed abruptly at this frame: a spike confirmed
   *     for them is the segmentation's (returned in {@link Outcome#explained()})
   * @return the spikes confirmed and the newly aberrant cells
   */
  public Outcome test(Frame f, Set<Long> segmentChanged) {
    List<Anomaly> found = new ArrayList<>();
    List<Anomaly> explained = new ArrayList<>();
    Frame prev = previous;
    previous = f;
    if (prev == null || f.frameIndex() != prev.frameIndex() + 1) {
      return new Outcome(found, explained);
    }
    double dt = f.timeSeconds() - prev.timeSeconds();
    if (!(dt > 0) || !Double.isFinite(dt)) {
      dt = 1;
    }
    FieldRows rows = FieldRows.of(prev, f, dt);
    List<Long> ids = rows.ids();
    List<Double> zs = rows.zs();
    List<Double> phis = rows.phis();
    int m = ids.size();
    if (m < MIN_ROWS) {
      return new Outcome(found, explained);
    }
    // pass 1: residuals with k̂ so far; the frame's rows within K_CLIP field σ update k̂
    double[] r = rows.residuals(fieldK());
    double med = RobustStats.median(r.clone());
    double sigma = RobustStats.spread(r, med);
    if (!(sigma > 0)) {
      return new Outcome(found, explained);
    }
    double pm = 0;
    double zm = 0;
    int kept = 0;
    boolean[] in = new boolean[m];
    for (int i = 0; i < m; i++) {
      in[i] = Math.abs(r[i] - med) < K_CLIP * sigma;
      if (in[i]) {
        pm += phis.get(i);
        zm += zs.get(i);
        kept++;
      }
    }
    // the field's k̂: pooled least squares of z on φ, each frame demeaned, without outlying rows
    if (kept > 1) {
      pm /= kept;
      zm /= kept;
      double fx = 0;
      double fy = 0;
      for (int i = 0; i < m; i++) {
        if (in[i]) {
          double dp = phis.get(i) - pm;
          fx += dp * dp;
          fy += dp * (zs.get(i) - zm);
        }
      }
      sxx = K_FORGETTING * sxx + fx;
      sxy = K_FORGETTING * sxy + fy;
    }
    // pass 2: residuals with k̂ including this frame
    r = rows.residuals(fieldK());
    med = RobustStats.median(r.clone());
    sigma = RobustStats.spread(r, med);
    if (!(sigma > 0)) {
      return new Outcome(found, explained);
    }
    double spike = config.spikeThreshold();
    Set<Long> present = new TreeSet<>(ids);
    // a pending spike whose cell gave no row now: reported as it is
    for (Pending p : List.copyOf(pending.values())) {
      if (!present.contains(p.trackId())) {
        pending.remove(p.trackId());
        report(spike(p, f.frameIndex(), Double.NaN), p.trackId(), segmentChanged, found, explained);
      }
    }
    // a row into or out of a frame whose image changed measures the image, not the cell
    boolean imageRow = f.frameIndex() == imageEventFrame || f.frameIndex() - 1 == imageEventFrame;
    for (int i = 0; i < m; i++) {
      long id = ids.get(i);
      double x = r[i] - med;
      Pending p = pending.remove(id);
      if (p != null) {
        double back = (x - p.level()) / sigma;
        if (back < 0.5 * spike) {
          // back to its own level: a one-frame excess, a spike; its row and the row of its return
          // stay out of γ̂
          report(spike(p, f.frameIndex(), back), id, segmentChanged, found, explained);
          continue;
        }
        // the level stayed up: a change of the feed, not a spike; the held row counts for γ̂
        feeds.feed(id, p.error(), p.sigma());
      }
      if (imageRow) {
        continue;
      }
      double level = feeds.level(id);
      double excess = (x - level) / sigma;
      if (p == null && excess > spike) {
        pending.put(id, new Pending(id, f.frameIndex(), excess, x, sigma, level));
      } else {
        feeds.feed(id, x, sigma);
      }
    }
    feeds.aberrant(ids, config.aberrantThreshold(), found);
    return new Outcome(found, explained);
  }

  private static void report(
      Anomaly a, long id, Set<Long> segmentChanged, List<Anomaly> found, List<Anomaly> explained) {
    if (segmentChanged.contains(id)) {
      explained.add(a);
    } else {
      found.add(a);
    }
  }

  /**
   * What one frame's test found.
   *
   * @param anomalies spikes confirmed and newly aberrant cells
   * @param explained spikes confirmed for cells whose segment changed abruptly (not to publish)
   */
  public record Outcome(List<Anomaly> anomalies, List<Anomaly> explained) {}

  private Anomaly spike(Pending p, long frame, double next) {
    Map<String, Double> values = new TreeMap<>();
    values.put("error", p.error());
    values.put("fieldSigma", p.sigma());
    values.put("fieldK", fieldK());
    if (Double.isFinite(next)) {
      values.put("nextZ", next);
    }
    return new Anomaly(
        AnomalyType.UNEXPLAINED_SPIKE,
        p.trackId(),
        "field_z",
        p.z(),
        config.spikeThreshold(),
        String.format(
            Locale.ROOT,
            "log intensity rose %.3g /s above the field's consensus at frame %d (%.1f field sigma)",
            p.error(),
            p.frameIndex(),
            p.z()),
        new Evidence(null, List.of(p.frameIndex(), frame), null, values, null));
  }
}
