package io.cytostream.processors.anomaly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tracking events per frame, from the tracker's output:
 *
 * <ul>
 *   <li>{@link AnomalyType#TRACK_LOST} for each track the tracker reports lost after more than
 *       {@link AnomalyConfig#trackLostMinFrames()} frames (statistic: the track's length in frames,
 *       from its first to its last sighting; a short track that ends is mostly a segmentation
 *       fragment, and the threshold is set from the rate of such ends on clean cultures);
 *   <li>{@link AnomalyType#AREA_CHANGE} when a track's area differs by more than {@link
 *       AnomalyConfig#areaChangeFraction()} from its reference area — the area at its last sighting
 *       that did not deviate (at most {@link AnomalyConfig#trackMemoryFrames()} frames ago, so
 *       gap-closed tracks are compared too) — at {@link AnomalyConfig#areaChangeSightings()}
 *       consecutive sightings in the same direction. It is reported at the last of them, with the
 *       change measured there; the new area becomes the reference. A deviation that is gone at the
 *       next sighting (a one-frame merge or split) is dropped.
 * </ul>
 *
 * <p><b>Explained events.</b> Each frame, with the cells' positions known, the detector looks for
 * what segmentation and tracking do to a track, and an event that one of them explains is returned
 * as {@link Suppressed} with its reason instead of being reported:
 *
 * <ul>
 *   <li>{@link Suppressed.Reason#MERGE}: a track seen at the previous frame vanished, and a cell
 *       close to its last position (centroid distance ≤ {@value #NEAR} × the sum of their
 *       equivalent radii + {@value #MARGIN_PX} px) grew by at least half the vanished cell's area —
 *       the grown cell's area change (in that direction, from that frame) and the vanished track's
 *       loss are explained;
 *   <li>{@link Suppressed.Reason#SPLIT}: a track appeared (not a daughter) close to a cell that
 *       shrank by at least half the new cell's area — the shrunk cell's area change and the new
 *       track's later loss are explained;
 *   <li>{@link Suppressed.Reason#DIVISION}: an area change of a daughter within {@value
 *       #DIVISION_FRAMES} frames of its division, or a daughter lost within that time;
 *   <li>{@link Suppressed.Reason#FADED}: a lost track whose last area was below {@value
 *       #FADED_FRACTION} of its typical area (its segment shrank away: the segmenter lost a cell
 *       that went below its threshold, while a cell that vanishes does so whole);
 *   <li>{@link Suppressed.Reason#BORDER}: the cell's centroid is closer to the image edge than its
 *       equivalent radius + {@value #MARGIN_PX} px (entering or leaving the field), at the change
 *       or at the lost track's last sighting.
 * </ul>
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

  /** Share of the vanished (new) cell's area its neighbour must gain (lose) for a merge (split). */
  public static final double EXCHANGE_FRACTION = 0.5;

  /**
   * What is remembered of one track.
   *
   * @param trackId the track
   * @param areaPx the reference area: at the last sighting that did not deviate from it
   * @param firstFrame frame of the first sighting
   * @param lastFrame frame of the last sighting
   * @param deviatingSightings consecutive sightings up to the last one whose area deviated from the
   *     reference (positive: larger, negative: smaller; 0: none)
   * @param lastAreaPx the area at the last sighting (null in state written before it was kept)
   * @param centroidX the centroid at the last sighting (null when unknown)
   * @param centroidY see {@code centroidX}
   * @param parentTrackId the mother, for a daughter track (null or 0 otherwise)
   * @param deviationReason what explains the current deviation (a {@link Suppressed.Reason} name),
   *     or null
   * @param fateReason what explains the track's end if it ends: it merged into a neighbour, or was
   *     a split fragment (a {@link Suppressed.Reason} name), or null
   * @param relatedTrack the neighbour of that explanation (0: none)
   * @param logAreaNoise the track's segmentation noise: an exponentially weighted mean (weight
   *     {@value #NOISE_WEIGHT}) of |ln(a_t / a_t−1)| over its sightings in consecutive frames
   *     (null: none yet)
   * @param noiseSamples the increments behind {@code logAreaNoise}
   * @param typicalAreaPx the track's typical area: an exponentially weighted mean (weight {@value
   *     #NOISE_WEIGHT}) of its areas (null: none yet)
   */
  public record TrackMemory(
      long trackId,
      double areaPx,
      long firstFrame,
      long lastFrame,
      int deviatingSightings,
      Double lastAreaPx,
      Double centroidX,
      Double centroidY,
      Long parentTrackId,
      String deviationReason,
      String fateReason,
      long relatedTrack,
      Double logAreaNoise,
      int noiseSamples,
      Double typicalAreaPx) {

    /** A memory without position or explanations (as written before they were kept). */
    public TrackMemory(
        long trackId, double areaPx, long firstFrame, long lastFrame, int deviatingSightings) {
      this(
          trackId,
          areaPx,
          firstFrame,
          lastFrame,
          deviatingSightings,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          null,
          0,
          null);
    }

    double lastArea() {
      return lastAreaPx == null ? areaPx : lastAreaPx;
    }

    boolean located() {
      return centroidX != null
          && centroidY != null
          && Double.isFinite(centroidX)
          && Double.isFinite(centroidY);
    }

    long parent() {
      return parentTrackId == null ? 0 : parentTrackId;
    }
  }

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
    Map<Long, String> growthReason = new HashMap<>();
    Map<Long, String> shrinkReason = new HashMap<>();
    Map<Long, Long> splitFrom = new HashMap<>();
    explainChanges(frameIndex, now, growthReason, shrinkReason, splitFrom);

    List<Anomaly> out = new ArrayList<>();
    List<Suppressed> suppressed = new ArrayList<>();
    for (long id : lostTrackIds) {
      TrackMemory m = memory.remove(id);
      lost(id, m, frameIndex, width, height, out, suppressed);
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
          if (deviationReason == null
              && m.parent() > 0
              && frameIndex - m.firstFrame() <= DIVISION_FRAMES) {
            deviationReason = Suppressed.Reason.DIVISION.name();
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
                  areaEvidence(
                          m, c, frameIndex, Math.abs(deviating), deviationReason, width, height)
                      .with(change, sigma, sigmaField));
          Suppressed.Reason why = null;
          if (nearEdge(c.centroidX(), c.centroidY(), c.radius(), width, height)) {
            why = Suppressed.Reason.BORDER;
          } else if (deviationReason != null) {
            why = Suppressed.Reason.valueOf(deviationReason);
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

  /**
   * Finds the merges and splits between the last frame seen and this one: a vanished track whose
   * close neighbour grew by about its area (marks the vanished track's fate and the neighbour's
   * growth), a new track next to a cell that shrank by about its area (marks the new track as a
   * fragment and the cell's shrinking).
   */
  private void explainChanges(
      long frameIndex,
      Map<Long, TrackObservation> now,
      Map<Long, String> growthReason,
      Map<Long, String> shrinkReason,
      Map<Long, Long> splitFrom) {
    long previous = Long.MIN_VALUE;
    for (TrackMemory m : memory.values()) {
      if (m.lastFrame() < frameIndex) {
        previous = Math.max(previous, m.lastFrame());
      }
    }
    if (previous == Long.MIN_VALUE) {
      return;
    }
    List<TrackMemory> vanished = new ArrayList<>();
    List<TrackObservation> continuing = new ArrayList<>();
    List<TrackObservation> appeared = new ArrayList<>();
    for (TrackMemory m : memory.values()) {
      if (m.lastFrame() == previous && !now.containsKey(m.trackId()) && m.located()) {
        vanished.add(m);
      }
    }
    for (TrackObservation c : now.values()) {
      TrackMemory m = memory.get(c.trackId());
      if (!c.located()) {
        continue;
      }
      if (m != null && m.lastFrame() == previous) {
        continuing.add(c);
      } else if (m == null && c.parentTrackId() <= 0) {
        appeared.add(c);
      }
    }
    for (TrackMemory v : vanished) {
      double rv = Math.sqrt(Math.max(0, v.lastArea()) / Math.PI);
      for (TrackObservation c : continuing) {
        TrackMemory cm = memory.get(c.trackId());
        double gain = c.areaPx() - cm.lastArea();
        double d = Math.hypot(c.centroidX() - v.centroidX(), c.centroidY() - v.centroidY());
        if (gain >= EXCHANGE_FRACTION * v.lastArea() && d <= NEAR * (rv + c.radius()) + MARGIN_PX) {
          growthReason.put(c.trackId(), Suppressed.Reason.MERGE.name());
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
        TrackMemory cm = memory.get(c.trackId());
        double loss = cm.lastArea() - c.areaPx();
        double d = Math.hypot(c.centroidX() - a.centroidX(), c.centroidY() - a.centroidY());
        if (loss >= EXCHANGE_FRACTION * a.areaPx()
            && d <= NEAR * (a.radius() + Math.sqrt(cm.lastArea() / Math.PI)) + MARGIN_PX) {
          shrinkReason.put(c.trackId(), Suppressed.Reason.SPLIT.name());
          splitFrom.put(a.trackId(), c.trackId());
          break;
        }
      }
    }
  }

  private void lost(
      long id,
      TrackMemory m,
      long frameIndex,
      int width,
      int height,
      List<Anomaly> out,
      List<Suppressed> suppressed) {
    double length = m == null ? 0 : m.lastFrame() - m.firstFrame() + 1;
    double minFrames = config.trackLostMinFrames();
    if (minFrames > 0 && length <= minFrames) {
      return; // below the threshold: a short track ending is no event
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
        if (m.relatedTrack() > 0) {
          related = List.of(m.relatedTrack());
        }
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
      if (m.parent() > 0) {
        context.add("daughter_of_" + m.parent());
        if (why == null && length <= DIVISION_FRAMES) {
          why = Suppressed.Reason.DIVISION;
        }
      }
    }
    Anomaly a =
        new Anomaly(
            AnomalyType.TRACK_LOST,
            id,
            "track_length_frames",
            length,
            minFrames,
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
    if (why == null) {
      out.add(a);
    } else {
      suppressed.add(new Suppressed(a, why));
    }
  }

  /** Area evidence under construction. */
  private record AreaEvidence(Evidence e) {
    Evidence with(double change, double sigma, double sigmaField) {
      Map<String, Double> values = new TreeMap<>(e.values());
      values.put("relativeAreaChange", change);
      values.put("sigmaLogArea", sigma);
      values.put("sigmaLogAreaField", sigmaField);
      return new Evidence(e.windowFrames(), e.frames(), e.relatedTracks(), values, e.context());
    }
  }

  private static AreaEvidence areaEvidence(
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
      values.put("distanceToEdgePx", edgeDistance(c.centroidX(), c.centroidY(), width, height));
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

  private static Double typical(TrackMemory m, double area) {
    if (!Double.isFinite(area)) {
      return m == null ? null : m.typicalAreaPx();
    }
    if (m == null || m.typicalAreaPx() == null) {
      return area;
    }
    return (1 - NOISE_WEIGHT) * m.typicalAreaPx() + NOISE_WEIGHT * area;
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
