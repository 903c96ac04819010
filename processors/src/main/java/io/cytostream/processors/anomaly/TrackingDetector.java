package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tracking events per frame, from the tracker's output:
 *
 * <ul>
 *   <li>{@link AnomalyType#TRACK_LOST} for each track the tracker reports lost (statistic: the
 *       track's length in frames, from its first to its last sighting);
 *   <li>{@link AnomalyType#AREA_CHANGE} when a track's area differs by more than {@link
 *       AnomalyConfig#areaChangeFraction()} from its reference area — the area at its last sighting
 *       that did not deviate (at most {@link AnomalyConfig#trackMemoryFrames()} frames ago, so
 *       gap-closed tracks are compared too) — at {@link AnomalyConfig#areaChangeSightings()}
 *       consecutive sightings in the same direction. It is reported at the last of them, with the
 *       change measured there; the new area becomes the reference. A deviation that is gone at the
 *       next sighting (a one-frame merge or split) is dropped.
 * </ul>
 *
 * <p>Divisions are the culture's life, not anomalies: the track stage publishes them (with births
 * and track ends) on {@code cells.lifecycle}; here a mother is only forgotten when its daughters
 * appear.
 *
 * <p>State: each track's last area and first/last frame ({@link #snapshot()}, {@link #restore});
 * tracks not seen for more than {@code trackMemoryFrames} are forgotten, lost tracks at once.
 */
public final class TrackingDetector {

  /**
   * What is remembered of one track.
   *
   * @param trackId the track
   * @param areaPx the reference area: at the last sighting that did not deviate from it
   * @param firstFrame frame of the first sighting
   * @param lastFrame frame of the last sighting
   * @param deviatingSightings consecutive sightings up to the last one whose area deviated from the
   *     reference (positive: larger, negative: smaller; 0: none)
   */
  public record TrackMemory(
      long trackId, double areaPx, long firstFrame, long lastFrame, int deviatingSightings) {}

  private final AnomalyConfig config;
  private final Map<Long, TrackMemory> memory = new HashMap<>();

  public TrackingDetector(AnomalyConfig config) {
    this.config = config;
  }

  /** Restores a detector. */
  public static TrackingDetector restore(AnomalyConfig config, List<TrackMemory> tracks) {
    TrackingDetector d = new TrackingDetector(config);
    for (TrackMemory m : tracks) {
      d.memory.put(m.trackId(), m);
    }
    return d;
  }

  /** The remembered tracks, in id order. */
  public List<TrackMemory> snapshot() {
    return List.copyOf(new TreeMap<>(memory).values());
  }

  /**
   * Tests one frame.
   *
   * @param frameIndex the frame
   * @param cells the tracked cells of the frame
   * @param lostTrackIds the tracks the tracker declared lost at this frame
   */
  public List<Anomaly> test(
      long frameIndex, List<TrackObservation> cells, Collection<Long> lostTrackIds) {
    List<Anomaly> out = new ArrayList<>();
    for (long id : lostTrackIds) {
      TrackMemory m = memory.remove(id);
      double length = m == null ? 0 : m.lastFrame() - m.firstFrame() + 1;
      out.add(
          new Anomaly(
              AnomalyType.TRACK_LOST,
              id,
              "track_length_frames",
              length,
              0,
              m == null
                  ? "track lost"
                  : String.format(
                      Locale.ROOT, "track lost, last seen at frame %d", m.lastFrame())));
    }
    List<Long> mothers = new ArrayList<>();
    double threshold = config.areaChangeFraction();
    for (TrackObservation c : cells) {
      TrackMemory m = memory.get(c.trackId());
      if (m != null && frameIndex - m.lastFrame() > config.trackMemoryFrames()) {
        m = null; // too old to compare: the track starts afresh
      }
      if (m == null && c.parentTrackId() > 0) {
        mothers.add(c.parentTrackId());
      }
      double reference = m == null ? c.areaPx() : m.areaPx();
      int deviating = 0;
      if (m != null && m.areaPx() > 0 && Double.isFinite(c.areaPx())) {
        double change = c.areaPx() / m.areaPx() - 1;
        if (Math.abs(change) > threshold) {
          int direction = change > 0 ? 1 : -1;
          deviating =
              Integer.signum(m.deviatingSightings()) == direction
                  ? m.deviatingSightings() + direction
                  : direction;
        }
        if (Math.abs(deviating) >= Math.max(1, config.areaChangeSightings())) {
          out.add(
              new Anomaly(
                  AnomalyType.AREA_CHANGE,
                  c.trackId(),
                  "relative_area_change",
                  change,
                  threshold,
                  String.format(
                      Locale.ROOT,
                      "area %.0f px -> %.0f px, held for %d sightings",
                      m.areaPx(),
                      c.areaPx(),
                      Math.abs(deviating))));
          deviating = 0;
          reference = c.areaPx();
        } else if (deviating == 0) {
          reference = c.areaPx();
        }
      }
      memory.put(
          c.trackId(),
          new TrackMemory(
              c.trackId(),
              reference,
              m == null ? frameIndex : m.firstFrame(),
              frameIndex,
              deviating));
    }
    mothers.forEach(memory::remove);
    memory.values().removeIf(m -> frameIndex - m.lastFrame() > config.trackMemoryFrames());
    return out;
  }
}
