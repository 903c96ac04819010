package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tracking events per frame, from the tracker's output:
 *
 * <ul>
 *   <li>{@link AnomalyType#TRACK_LOST} for each track the tracker reports lost whose typical area
 *       was more than {@link AnomalyConfig#trackLostMinRelativeArea()} of the field's median
 *       typical area (statistic {@code relative_area}; 1 when fewer than {@value #FIELD_MIN_TRACKS}
 *       tracks give the field's median) and that lasted more than {@link
 *       AnomalyConfig#trackLostMinFrames()} frames. On simulated cultures through the chain this
 *       separates what track length does not: a piece of a cell that the segmenter cut off and lost
 *       again is a fraction of a cell (relative area 0.15–0.24 on sparse nuclei), a cell that
 *       vanishes is a whole one (1.0–1.4), and either may have lasted 60 frames;
 *   <li>{@link AnomalyType#AREA_CHANGE} when a track's area differs by more than {@link
 *       AnomalyConfig#areaChangeFraction()} from its reference area — the area at its last sighting
 *       that did not deviate (at most {@link AnomalyConfig#trackMemoryFrames()} frames ago, so
 *       gap-closed tracks are compared too) — at {@link AnomalyConfig#areaChangeSightings()}
 *       consecutive sightings in the same direction. It is reported at the last of them, with the
 *       change measured there; the new area becomes the reference. A deviation that is gone at the
 *       next sighting (a one-frame merge or split) is dropped.
 * </ul>
 *
 * <p><b>Explained events.</b> Each frame, with the cells' positions known, the detector asks {@link
 * Explanations} what segmentation and tracking did to a track (a merge, a split, a division, a
 * faded segment, the image edge; for a lost track also its cell still there under another track, or
 * a piece of a neighbouring cell lost again), and an event that one of them explains is returned as
 * {@link Suppressed} with its reason instead of being reported.
 *
 * <p>Divisions themselves are the culture's life, not anomalies: the track stage publishes them
 * (with births and track ends) on {@code cells.lifecycle}; here a mother is only forgotten when its
 * daughters appear.
 *
 * <p>State: each track's reference and last area, position, first/last frame and explanations
 * ({@link #snapshot()}, {@link #restore}); tracks not seen for more than {@code trackMemoryFrames}
 * are forgotten, lost tracks at once.
 */
public final class TrackingDetector {

  /** Weight of the newest increment in a track's segmentation noise ({@code logAreaNoise}). */
  public static final double NOISE_WEIGHT = 0.2;

  /** Increments before a track's own noise is used (before, the field's is). */
  public static final int NOISE_WARMUP = 3;

  /** Tracks with a noise estimate the field's noise needs (fewer: unknown). */
  public static final int FIELD_MIN_TRACKS = 3;

  /** Least noise scale σ of the area test (ln units): about 2 % area jitter of exact masks. */
  public static final double SIGMA_MIN = 0.02;

  /**
   * A frame's outcome.
   *
   * @param reported the events to publish
   * @param suppressed the events explained by segmentation or tracking
   */
  public record Result(List<Anomaly> reported, List<Suppressed> suppressed) {}

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
   * Tests one frame without the image size (no edge test); returns the reported events.
   *
   * @param frameIndex the frame
   * @param cells the tracked cells of the frame
   * @param lostTrackIds the tracks the tracker declared lost at this frame
   */
  public List<Anomaly> test(
      long frameIndex, List<TrackObservation> cells, Collection<Long> lostTrackIds) {
    return test(frameIndex, cells, lostTrackIds, 0, 0).reported();
  }

  /**
   * Tests one frame.
   *
   * @param frameIndex the frame
   * @param cells the tracked cells of the frame
   * @param lostTrackIds the tracks the tracker declared lost at this frame
   * @param width image width in px (0: unknown, no edge test)
   * @param height image height in px
   */
  public Result test(
      long frameIndex,
      List<TrackObservation> cells,
      Collection<Long> lostTrackIds,
      int width,
      int height) {
    Map<Long, TrackObservation> now = new LinkedHashMap<>();
    for (TrackObservation c : cells) {
      now.put(c.trackId(), c);
    }
    // what segmentation did between the previous frame and this one
    Explanations.Changes changes = Explanations.changes(frameIndex, memory, now);
    Map<Long, String> growthReason = changes.growthReason();
    Map<Long, String> shrinkReason = changes.shrinkReason();
    Map<Long, Long> splitFrom = changes.splitFrom();

    List<Anomaly> out = new ArrayList<>();
    List<Suppressed> suppressed = new ArrayList<>();
    double fieldArea = fieldArea();
    for (long id : lostTrackIds) {
      TrackMemory m = memory.remove(id);
      lost(id, m, frameIndex, fieldArea, now.values(), width, height, out, suppressed);
    }
    List<Long> mothers = new ArrayList<>();
    double threshold = config.areaChangeFraction();
    double zThreshold = config.areaChangeZ();
    double sigmaField = fieldNoise();
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
      String deviationReason = null;
      Double noise = m == null ? null : m.logAreaNoise();
      int samples = m == null ? 0 : m.noiseSamples();
      // σ from the field's and the track's jitter; with neither known yet the z test cannot judge
      boolean noiseKnown = sigmaField > 0 || (m != null && samples >= NOISE_WARMUP);
      double sigma = Math.max(SIGMA_MIN, sigmaField);
      if (m != null && samples >= NOISE_WARMUP) {
        sigma = Math.max(sigma, SIGMA_SCALE * noise);
      }
      if (m != null
          && m.lastFrame() == frameIndex - 1
          && m.lastArea() > 0
          && c.areaPx() > 0
          && Double.isFinite(c.areaPx())) {
        double inc = Math.abs(Math.log(c.areaPx() / m.lastArea()));
        noise = noise == null ? inc : (1 - NOISE_WEIGHT) * noise + NOISE_WEIGHT * inc;
        samples++;
      }
      if (m != null && m.areaPx() > 0 && Double.isFinite(c.areaPx())) {
        double change = c.areaPx() / m.areaPx() - 1;
        double z = c.areaPx() > 0 ? Math.abs(Math.log(c.areaPx() / m.areaPx())) / sigma : 0;
        boolean beyond =
            Math.abs(change) > threshold && (zThreshold <= 0 || (noiseKnown && z > zThreshold));
        if (beyond) {
          int direction = change > 0 ? 1 : -1;
          boolean continues = Integer.signum(m.deviatingSightings()) == direction;
          deviating = continues ? m.deviatingSightings() + direction : direction;
          deviationReason = continues ? m.deviationReason() : null;
          String here =
              direction > 0 ? growthReason.get(c.trackId()) : shrinkReason.get(c.trackId());
          if (deviationReason == null) {
            deviationReason = here;
          }
          if (deviationReason == null) {
            deviationReason = Explanations.divisionDeviation(m, frameIndex);
          }
        }
        if (Math.abs(deviating) >= Math.max(1, config.areaChangeSightings())) {
          boolean zTest = zThreshold > 0;
          Anomaly a =
              new Anomaly(
                  AnomalyType.AREA_CHANGE,
                  c.trackId(),
                  zTest ? "log_area_change_z" : "relative_area_change",
                  zTest ? Math.signum(change) * z : change,
                  zTest ? zThreshold : threshold,
                  String.format(
                      Locale.ROOT,
                      "area %.0f px -> %.0f px, held for %d sightings",
                      m.areaPx(),
                      c.areaPx(),
                      Math.abs(deviating)),
                  TrackingEvidence.area(
                          m, c, frameIndex, Math.abs(deviating), deviationReason, width, height)
                      .with(change, sigma, sigmaField));
          Suppressed.Reason why =
              Explanations.areaChange(c, m, deviationReason, fieldArea, width, height);
          if (why == Suppressed.Reason.FRAGMENT) {
            a = TrackingEvidence.fragment(a, m.typicalAreaPx(), fieldArea);
          }
          if (why == null) {
            out.add(a);
          } else {
            suppressed.add(new Suppressed(a, why));
          }
          deviating = 0;
          deviationReason = null;
          reference = c.areaPx();
        } else if (deviating == 0) {
          reference = c.areaPx();
        }
      }
      String fate = m == null ? null : m.fateReason();
      long related = m == null ? 0 : m.relatedTrack();
      if (Suppressed.Reason.MERGE.name().equals(fate)) {
        // it vanished into a neighbour and is back (the tracker closed the gap): it did not end
        fate = null;
        related = 0;
      }
      if (m == null && splitFrom.containsKey(c.trackId())) {
        fate = Suppressed.Reason.SPLIT.name();
        related = splitFrom.get(c.trackId());
      }
      long parent = m == null ? c.parentTrackId() : m.parent();
      memory.put(
          c.trackId(),
          new TrackMemory(
              c.trackId(),
              reference,
              m == null ? frameIndex : m.firstFrame(),
              frameIndex,
              deviating,
              c.areaPx(),
              c.located() ? c.centroidX() : null,
              c.located() ? c.centroidY() : null,
              parent > 0 ? parent : null,
              deviationReason,
              fate,
              related,
              noise,
              samples,
              typical(m, c.areaPx())));
    }
    mothers.forEach(memory::remove);
    memory.values().removeIf(m -> frameIndex - m.lastFrame() > config.trackMemoryFrames());
    return new Result(out, suppressed);
  }

  private void lost(
      long id,
      TrackMemory m,
      long frameIndex,
      double fieldArea,
      Collection<TrackObservation> now,
      int width,
      int height,
      List<Anomaly> out,
      List<Suppressed> suppressed) {
    double length = m == null ? 0 : m.lastFrame() - m.firstFrame() + 1;
    double minFrames = config.trackLostMinFrames();
    if (minFrames > 0 && length <= minFrames) {
      return; // below the threshold: a short track ending is no event
    }
    double own = m == null || m.typicalAreaPx() == null ? Double.NaN : m.typicalAreaPx();
    double relative = fieldArea > 0 && Double.isFinite(own) ? own / fieldArea : 1;
    double minRelative = config.trackLostMinRelativeArea();
    if (minRelative > 0 && relative <= minRelative) {
      return; // a fraction of a cell: a piece the segmenter cut off and lost again
    }
    Map<String, Double> values = new TreeMap<>();
    List<String> context = new ArrayList<>();
    List<Long> frames = null;
    List<Long> related = null;
    Suppressed.Reason why = null;
    if (m != null) {
      frames = List.of(m.firstFrame(), m.lastFrame());
      values.put("lastAreaPx", m.lastArea());
      values.put("framesSinceLastSighting", (double) (frameIndex - m.lastFrame()));
      values.put("trackLengthFrames", length);
      if (fieldArea > 0) {
        values.put("fieldMedianAreaPx", fieldArea);
      }
      List<Long> named = new ArrayList<>();
      why = Explanations.lost(m, length, now, fieldArea, width, height, values, context, named);
      if (m.fateReason() != null && m.relatedTrack() > 0) {
        related = List.of(m.relatedTrack());
      } else if (!named.isEmpty()) {
        related = List.copyOf(named);
      }
    }
    Anomaly a =
        TrackingEvidence.lost(
            id, m, length, relative, minRelative, frames, related, values, context);
    if (why == null) {
      out.add(a);
    } else {
      suppressed.add(new Suppressed(a, why));
    }
  }

  private static Double typical(TrackMemory m, double area) {
    if (!Double.isFinite(area)) {
      return m == null ? null : m.typicalAreaPx();
    }
    if (m == null || m.typicalAreaPx() == null) {
      return area;
    }
    return (1 - NOISE_WEIGHT) * m.typicalAreaPx() + NOISE_WEIGHT * area;
  }

  /**
   * The tracks of this frame whose segment area jumped since the previous frame: |ln(a_t / a_t−1)|
   * above both {@code minLogJump} and {@code sigmas} × the field's segmentation noise ({@link
   * #fieldNoise()}). Only tracks seen in the previous frame are judged. Call before {@link #test}
   * for the frame (it reads the memory that test updates).
   */
  public Set<Long> segmentJumps(
      long frameIndex, List<TrackObservation> cells, double sigmas, double minLogJump) {
    double limit = Math.max(minLogJump, sigmas * fieldNoise());
    Set<Long> out = new TreeSet<>();
    for (TrackObservation c : cells) {
      TrackMemory m = memory.get(c.trackId());
      if (m == null
          || m.lastFrame() != frameIndex - 1
          || !(m.lastArea() > 0)
          || !(c.areaPx() > 0)) {
        continue;
      }
      if (Math.abs(Math.log(c.areaPx() / m.lastArea())) > limit) {
        out.add(c.trackId());
      }
    }
    return out;
  }

  /**
   * The field's typical cell area, px: the median of the remembered tracks' typical areas; 0 with
   * fewer than {@link #FIELD_MIN_TRACKS}.
   */
  double fieldArea() {
    double[] v =
        memory.values().stream()
            .map(TrackMemory::typicalAreaPx)
            .filter(a -> a != null && a > 0)
            .mapToDouble(Double::doubleValue)
            .sorted()
            .toArray();
    if (v.length < FIELD_MIN_TRACKS) {
      return 0;
    }
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** σ per unit of mean |increment| for Gaussian increments: √(π/2). */
  static final double SIGMA_SCALE = Math.sqrt(Math.PI / 2);

  /**
   * The field's segmentation noise σ (ln units): the median over the remembered tracks with at
   * least {@link #NOISE_WARMUP} increments of their noise, times √(π/2); 0 with none.
   */
  double fieldNoise() {
    double[] v =
        memory.values().stream()
            .filter(m -> m.noiseSamples() >= NOISE_WARMUP && m.logAreaNoise() != null)
            .mapToDouble(TrackMemory::logAreaNoise)
            .sorted()
            .toArray();
    if (v.length < FIELD_MIN_TRACKS) {
      return 0;
    }
    int n = v.length;
    double med = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    return SIGMA_SCALE * med;
  }
}
