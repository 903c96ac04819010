package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The events and evidence of {@link TrackingDetector}'s tests (areas in px, frames as indices). */
final class TrackingEvidence {

  private TrackingEvidence() {}

  /** Area evidence under construction. */
  record AreaEvidence(Evidence e) {
    Evidence with(double change, double sigma, double sigmaField) {
      Map<String, Double> values = new TreeMap<>(e.values());
      values.put("relativeAreaChange", change);
      values.put("sigmaLogArea", sigma);
      values.put("sigmaLogAreaField", sigmaField);
      return new Evidence(e.windowFrames(), e.frames(), e.relatedTracks(), values, e.context());
    }
  }

  /**
   * The evidence of an area change: the reference and current areas (px), the distance to the edge
   * (px, when the image size is known), the deviation's reason and whether it follows a gap.
   *
   * @param m the track's memory before this sighting
   * @param c the cell at this sighting
   * @param frameIndex this frame
   * @param sightings consecutive deviating sightings
   * @param reason the deviation's reason (a {@link Suppressed.Reason} name), or null
   * @param width image width in px (0: unknown)
   * @param height image height in px
   */
  static AreaEvidence area(
      TrackMemory m,
      TrackObservation c,
      long frameIndex,
      int sightings,
      String reason,
      int width,
      int height) {
    Map<String, Double> values = new TreeMap<>();
    values.put("referenceAreaPx", m.areaPx());
    values.put("areaPx", c.areaPx());
    if (c.located() && width > 0 && height > 0) {
      values.put(
          "distanceToEdgePx",
          Explanations.edgeDistance(c.centroidX(), c.centroidY(), width, height));
    }
    List<String> context = new ArrayList<>();
    if (reason != null) {
      context.add(reason.toLowerCase(Locale.ROOT));
    }
    if (frameIndex - m.lastFrame() > 1) {
      context.add("after_gap");
    }
    return new AreaEvidence(
        new Evidence(
            sightings,
            List.of(m.lastFrame(), frameIndex),
            null,
            values,
            context.isEmpty() ? null : context));
  }

  /**
   * The area change {@code a} with the evidence of a fragment: the track's typical area and the
   * field's median typical area (px), context {@code fragment}.
   */
  static Anomaly fragment(Anomaly a, double typicalAreaPx, double fieldAreaPx) {
    Evidence e = a.evidence();
    Map<String, Double> values = new TreeMap<>(e.values());
    values.put("typicalAreaPx", typicalAreaPx);
    values.put("fieldMedianAreaPx", fieldAreaPx);
    List<String> context = e.context() == null ? new ArrayList<>() : new ArrayList<>(e.context());
    context.add("fragment");
    return a.withEvidence(
        new Evidence(e.windowFrames(), e.frames(), e.relatedTracks(), values, context));
  }

  /**
   * A track-loss event: statistic the track's typical area relative to the field's median ({@code
   * relative_area}) against {@code minRelative}.
   *
   * @param id the lost track
   * @param m its memory (null when unknown)
   * @param length its length in frames (first to last sighting)
   * @param relative its relative area
   * @param minRelative the threshold
   * @param frames its first and last frame, or null
   * @param related the track its end relates to (merge, split), or null
   * @param values the evidence values
   * @param context the evidence context
   */
  static Anomaly lost(
      long id,
      TrackMemory m,
      double length,
      double relative,
      double minRelative,
      List<Long> frames,
      List<Long> related,
      Map<String, Double> values,
      List<String> context) {
    return new Anomaly(
        AnomalyType.TRACK_LOST,
        id,
        "relative_area",
        relative,
        minRelative,
        m == null
            ? "track lost"
            : String.format(
                Locale.ROOT,
                "track lost after %.0f frames, last seen at frame %d",
                length,
                m.lastFrame()),
        new Evidence(
            null,
            frames,
            related,
            values.isEmpty() ? null : values,
            context.isEmpty() ? null : context));
  }
}
