package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What segmentation and tracking did to the tracks between two frames, which explains a tracking
 * event ({@link TrackingDetector}) so that it is returned as {@link Suppressed} instead of being
 * reported:
 *
 * <ul>
 *   <li>{@link Suppressed.Reason#MERGE}: a track vanished since a cell's last sighting (the cell
 *       seen at the previous frame, or back after a gap the tracker closed: its area is compared
 *       with its last sighting's; e.g. both missed in a blurred frame, back as one segment), and
 *       the cell close to its last position (centroid distance ≤ {@value #NEAR} × the sum of their
 *       equivalent radii + {@value #MARGIN_PX} px) grew by at least {@value #EXCHANGE_FRACTION} of
 *       the vanished cell's area — the grown cell's area change (in that direction, from that
 *       frame) and the vanished track's loss are explained;
 *   <li>{@link Suppressed.Reason#SPLIT}: a track appeared (not a daughter), or came back after a
 *       gap the tracker closed, close to a cell that shrank by at least {@value #EXCHANGE_FRACTION}
 *       of its area — the shrunk cell's area change and a new track's later loss are explained (a
 *       cell that had swallowed a neighbour for a few frames lets it go; a cell merged with its
 *       neighbours while it was missing comes back larger);
 *   <li>{@link Suppressed.Reason#DIVISION}: an area change of a daughter within {@value
 *       #DIVISION_FRAMES} frames of its division, or a daughter lost within that time;
 *   <li>{@link Suppressed.Reason#FADED}: a lost track whose last area was below {@value
 *       #FADED_FRACTION} of its typical area (its segment shrank away: the segmenter lost a cell
 *       that went below its threshold, while a cell that vanishes does so whole);
 *   <li>{@link Suppressed.Reason#IDENTITY_SWITCH}: a lost track whose cell is still there under
 *       another track — a cell of the frame that declares the loss has its centroid within the lost
 *       cell's equivalent radius + {@value #MARGIN_PX} px of the lost cell's last centroid (a cell
 *       that vanishes leaves nothing where it was);
 *   <li>{@link Suppressed.Reason#FRAGMENT}: a lost track whose typical area was below {@value
 *       #FRAGMENT_FRACTION} of the field's median typical area and whose last segment lay close to
 *       a cell of the frame that declares the loss (centroid distance ≤ {@value #NEAR} × the sum of
 *       their equivalent radii + {@value #MARGIN_PX} px, as for a merge): a piece the segmenter cut
 *       off that cell (or a false "division" of it) and lost again; and an area change of a track
 *       whose typical area was below that share (the segmenter covers part of a cell, more or less
 *       of it from frame to frame);
 *   <li>{@link Suppressed.Reason#BORDER}: the cell's centroid is closer to the image edge than its
 *       equivalent radius + {@value #MARGIN_PX} px (entering or leaving the field), at the change
 *       or at the lost track's last sighting.
 * </ul>
 *
 * <p>Distances and areas in px; frames are frame indices. Stateless: the tracks' memory is the
 * detector's.
 */
public final class Explanations {

  /** Frames after a division in which a daughter's area change or loss is the division's. */
  public static final int DIVISION_FRAMES = 3;

  /** Proximity factor on the sum of two cells' equivalent radii (merge and split tests). */
  public static final double NEAR = 1.5;

  /** Slack in px of the proximity and edge tests. */
  public static final double MARGIN_PX = 3;

  /**
   * A lost track whose last area was below this share of its typical area faded out of the
   * segmentation (its segment shrank before it vanished) rather than vanishing whole.
   */
  public static final double FADED_FRACTION = 0.5;

  /**
   * A lost track whose typical area was below this share of the field's median typical area is a
   * piece of a cell when it lay against another cell ({@link Suppressed.Reason#FRAGMENT}): on the
   * simulated cultures through the chain, the pieces the classical segmenter cut off and lost again
   * had 0.15–0.35 of the field's typical cell (sparse nuclei, uneven illumination), a cell that
   * vanished 1.0–1.4.
   */
  public static final double FRAGMENT_FRACTION = 0.5;

  /** Share of the vanished (new) cell's area its neighbour must gain (lose) for a merge (split). */
  public static final double EXCHANGE_FRACTION = 0.5;

  /**
   * The merges and splits found between the last frame seen and the current one.
   *
   * @param growthReason per track that grew: the reason (a {@link Suppressed.Reason} name)
   * @param shrinkReason per track that shrank: the reason
   * @param splitFrom per new track that is a split fragment: the track it split from
   */
  record Changes(
      Map<Long, String> growthReason, Map<Long, String> shrinkReason, Map<Long, Long> splitFrom) {}

  private Explanations() {}

  /**
   * Finds the merges and splits between the last frame seen and this one: a vanished track whose
   * close neighbour grew by about its area (marks the vanished track's fate in {@code memory} and
   * the neighbour's growth), a new track next to a cell that shrank by about its area (marks the
   * new track as a fragment and the cell's shrinking).
   *
   * @param frameIndex the current frame
   * @param memory the detector's memory of the tracks (the vanished tracks' fates are written)
   * @param now the current frame's cells by track
   */
  static Changes changes(
      long frameIndex, Map<Long, TrackMemory> memory, Map<Long, TrackObservation> now) {
    Changes out = new Changes(new HashMap<>(), new HashMap<>(), new HashMap<>());
    long previous = Long.MIN_VALUE;
    for (TrackMemory m : memory.values()) {
      if (m.lastFrame() < frameIndex) {
        previous = Math.max(previous, m.lastFrame());
      }
    }
    if (previous == Long.MIN_VALUE) {
      return out;
    }
    List<TrackMemory> vanished = new ArrayList<>();
    List<TrackObservation> continuing = new ArrayList<>();
    List<TrackObservation> appeared = new ArrayList<>();
    for (TrackMemory m : memory.values()) {
      if (m.lastFrame() < frameIndex && !now.containsKey(m.trackId()) && m.located()) {
        vanished.add(m);
      }
    }
    for (TrackObservation c : now.values()) {
      TrackMemory m = memory.get(c.trackId());
      if (!c.located()) {
        continue;
      }
      if (m != null) {
        // seen before: at the previous frame, or back after a gap the tracker closed
        continuing.add(c);
      }
      if ((m == null && c.parentTrackId() <= 0) || (m != null && m.lastFrame() < previous)) {
        // new, or back after a gap: a segment that (re)appeared next to a cell that shrank
        appeared.add(c);
      }
    }
    for (TrackMemory v : vanished) {
      double rv = Math.sqrt(Math.max(0, v.lastArea()) / Math.PI);
      for (TrackObservation c : continuing) {
        TrackMemory cm = memory.get(c.trackId());
        if (v.lastFrame() < cm.lastFrame()) {
          continue; // v was gone before c's last sighting: c did not take it in now
        }
        double gain = c.areaPx() - cm.lastArea();
        double d = Math.hypot(c.centroidX() - v.centroidX(), c.centroidY() - v.centroidY());
        if (gain >= EXCHANGE_FRACTION * v.lastArea() && d <= NEAR * (rv + c.radius()) + MARGIN_PX) {
          out.growthReason().put(c.trackId(), Suppressed.Reason.MERGE.name());
          memory.put(
              v.trackId(),
              new TrackMemory(
                  v.trackId(),
                  v.areaPx(),
                  v.firstFrame(),
                  v.lastFrame(),
                  v.deviatingSightings(),
                  v.lastAreaPx(),
                  v.centroidX(),
                  v.centroidY(),
                  v.parentTrackId(),
                  v.deviationReason(),
                  v.fateReason() != null ? v.fateReason() : Suppressed.Reason.MERGE.name(),
                  v.fateReason() != null ? v.relatedTrack() : c.trackId(),
                  v.logAreaNoise(),
                  v.noiseSamples(),
                  v.typicalAreaPx()));
          break;
        }
      }
    }
    for (TrackObservation a : appeared) {
      for (TrackObservation c : continuing) {
        if (c.trackId() == a.trackId()) {
          continue;
        }
        TrackMemory cm = memory.get(c.trackId());
        double loss = cm.lastArea() - c.areaPx();
        double d = Math.hypot(c.centroidX() - a.centroidX(), c.centroidY() - a.centroidY());
        if (loss >= EXCHANGE_FRACTION * a.areaPx()
            && d <= NEAR * (a.radius() + Math.sqrt(cm.lastArea() / Math.PI)) + MARGIN_PX) {
          out.shrinkReason().put(c.trackId(), Suppressed.Reason.SPLIT.name());
          out.splitFrom().put(a.trackId(), c.trackId());
          break;
        }
      }
    }
    return out;
  }

  /**
   * What explains an area change that is to be reported at this sighting: the edge first, then the
   * deviation's own reason, then a track that is a piece of a cell ({@link
   * Suppressed.Reason#FRAGMENT}: its typical area before this sighting was below {@value
   * #FRAGMENT_FRACTION} of the field's median typical area — the segmenter covers part of a cell,
   * and how much of it changes from frame to frame; a cell that grows or shrinks was a whole one
   * before).
   *
   * @param c the cell at the sighting
   * @param m the track's memory before this sighting
   * @param deviationReason the reason carried by the deviation (a {@link Suppressed.Reason} name),
   *     or null
   * @param fieldArea the field's median typical area, px (0: unknown, no fragment test)
   * @param width image width in px (0: unknown, no edge test)
   * @param height image height in px
   * @return the reason, or null when nothing explains it
   */
  static Suppressed.Reason areaChange(
      TrackObservation c,
      TrackMemory m,
      String deviationReason,
      double fieldArea,
      int width,
      int height) {
    if (nearEdge(c.centroidX(), c.centroidY(), c.radius(), width, height)) {
      return Suppressed.Reason.BORDER;
    }
    if (deviationReason != null) {
      return Suppressed.Reason.valueOf(deviationReason);
    }
    if (fieldArea > 0
        && m.typicalAreaPx() != null
        && m.typicalAreaPx() < FRAGMENT_FRACTION * fieldArea) {
      return Suppressed.Reason.FRAGMENT;
    }
    return null;
  }

  /**
   * The reason carried by a new deviation of a track's area when nothing in this frame explains it:
   * a daughter within {@value #DIVISION_FRAMES} frames of its division.
   */
  static String divisionDeviation(TrackMemory m, long frameIndex) {
    return m.parent() > 0 && frameIndex - m.firstFrame() <= DIVISION_FRAMES
        ? Suppressed.Reason.DIVISION.name()
        : null;
  }

  /**
   * What explains a lost track, first match: the edge, its fate (merge, split), a faded segment,
   * its cell still there under another track (identity switch), a piece of a neighbouring cell
   * (fragment), a daughter lost within {@value #DIVISION_FRAMES} frames. Adds the evidence it read
   * to {@code values} and {@code context}, and the track an identity switch or fragment names to
   * {@code related}.
   *
   * @param m the lost track's memory (not null)
   * @param length the track's length in frames
   * @param now the cells of the frame that declares the loss
   * @param fieldArea the field's median typical area, px (0: unknown, no fragment test)
   * @param width image width in px (0: unknown, no edge test)
   * @param height image height in px
   * @param values the evidence values (distance to the edge, typical area are added)
   * @param context the evidence context (near_border, the fate, faded, identity_switch, fragment,
   *     daughter_of_N are added)
   * @param related the tracks the explanation names (the switched-to or the neighbouring track is
   *     added)
   * @return the reason, or null when nothing explains it
   */
  static Suppressed.Reason lost(
      TrackMemory m,
      double length,
      Collection<TrackObservation> now,
      double fieldArea,
      int width,
      int height,
      Map<String, Double> values,
      List<String> context,
      List<Long> related) {
    Suppressed.Reason why = null;
    if (m.located()) {
      values.put("centroidX", m.centroidX());
      values.put("centroidY", m.centroidY());
      double r = Math.sqrt(Math.max(0, m.lastArea()) / Math.PI);
      if (width > 0 && height > 0) {
        values.put("distanceToEdgePx", edgeDistance(m.centroidX(), m.centroidY(), width, height));
      }
      if (nearEdge(m.centroidX(), m.centroidY(), r, width, height)) {
        why = Suppressed.Reason.BORDER;
        context.add("near_border");
      }
    }
    if (m.fateReason() != null) {
      context.add(m.fateReason().toLowerCase(Locale.ROOT));
      if (why == null) {
        why = Suppressed.Reason.valueOf(m.fateReason());
      }
    }
    if (m.typicalAreaPx() != null) {
      values.put("typicalAreaPx", m.typicalAreaPx());
      if (m.lastArea() < FADED_FRACTION * m.typicalAreaPx()) {
        context.add("faded");
        if (why == null) {
          why = Suppressed.Reason.FADED;
        }
      }
    }
    if (why == null && m.located()) {
      why = neighbourhood(m, now, fieldArea, values, context, related);
    }
    if (m.parent() > 0) {
      context.add("daughter_of_" + m.parent());
      if (why == null && length <= DIVISION_FRAMES) {
        why = Suppressed.Reason.DIVISION;
      }
    }
    return why;
  }

  /**
   * The identity-switch and fragment tests of a lost track (located), against the cells of the
   * frame that declares the loss; null when neither holds.
   */
  private static Suppressed.Reason neighbourhood(
      TrackMemory m,
      Collection<TrackObservation> now,
      double fieldArea,
      Map<String, Double> values,
      List<String> context,
      List<Long> related) {
    double own = m.typicalAreaPx() != null ? m.typicalAreaPx() : m.lastArea();
    double r = Math.sqrt(Math.max(0, Math.max(own, m.lastArea())) / Math.PI);
    TrackObservation nearest = null;
    double best = Double.POSITIVE_INFINITY;
    for (TrackObservation c : now) {
      if (c.trackId() == m.trackId() || !c.located()) {
        continue;
      }
      double d = Math.hypot(c.centroidX() - m.centroidX(), c.centroidY() - m.centroidY());
      // nearest by the gap between the two discs (a large neighbour may be closer than a small)
      if (d - c.radius() < best) {
        best = d - c.radius();
        nearest = c;
      }
    }
    if (nearest == null) {
      return null;
    }
    double d = Math.hypot(nearest.centroidX() - m.centroidX(), nearest.centroidY() - m.centroidY());
    values.put("nearestTrackDistancePx", d);
    values.put("nearestTrackAreaPx", nearest.areaPx());
    for (TrackObservation c : now) {
      if (c.trackId() != m.trackId()
          && c.located()
          && Math.hypot(c.centroidX() - m.centroidX(), c.centroidY() - m.centroidY())
              <= r + MARGIN_PX) {
        context.add("identity_switch");
        related.add(c.trackId());
        return Suppressed.Reason.IDENTITY_SWITCH;
      }
    }
    if (fieldArea > 0
        && own < FRAGMENT_FRACTION * fieldArea
        && d <= NEAR * (r + nearest.radius()) + MARGIN_PX) {
      context.add("fragment");
      related.add(nearest.trackId());
      return Suppressed.Reason.FRAGMENT;
    }
    return null;
  }

  /** Distance of a point to the nearest image edge, px. */
  static double edgeDistance(double x, double y, int width, int height) {
    return Math.min(Math.min(x, y), Math.min(width - 1 - x, height - 1 - y));
  }

  /** Whether a cell of radius r at (x, y) touches or nearly touches the edge of the image. */
  static boolean nearEdge(double x, double y, double r, int width, int height) {
    if (width <= 0 || height <= 0 || !Double.isFinite(x) || !Double.isFinite(y)) {
      return false;
    }
    return edgeDistance(x, y, width, height) < r + MARGIN_PX;
  }
}
