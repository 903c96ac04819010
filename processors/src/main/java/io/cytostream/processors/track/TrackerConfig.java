package io.cytostream.processors.track;

/**
 * Parameters of {@link OnlineTracker}. All costs are dimensionless; distances are in px, times in
 * frames (frame-index units).
 *
 * <p>Start from {@link #defaults()} and change what differs: {@code
 * TrackerConfig.builder().maxGap(0).divisionsEnabled(false).build()}, or {@code
 * config.toBuilder().delayFrames(0).build()} for a variant of another configuration.
 *
 * <p>Link cost from a track to a detection {@code g} frames after the track's last detection
 * ({@code g = 0}: consecutive frames):
 *
 * <pre>
 *   c = |x − x̂|² / r²
 *     + areaWeight · ln(A / A_track)²
 *     + intensityWeight · ((I − I_track) / max(|I|, |I_track|))²
 *     + gapPenalty · g
 * </pre>
 *
 * where {@code r = max(maxLinkDistance, 2·sqrt(A_track/π))} px is the track's gate radius (big
 * cells, which move farther in px, are gated in proportion to their equivalent diameter), {@code x̂
 * = x_track + velocityWeight · v · (g + 1)} is the motion prediction ({@code v} the track's
 * smoothed velocity in px/frame). A pair is a candidate only if {@code |x − x̂| <= r · sqrt(1 + g)}
 * (the gate grows like diffusion over missed frames) and {@code g <= maxGap}. Leaving a track
 * unlinked in a frame costs {@code nonLinkCost}, leaving a detection unlinked (a birth) also costs
 * {@code nonLinkCost}; so a candidate link is taken only if it is cheaper than {@code 2 ·
 * nonLinkCost} and than the alternatives.
 *
 * <p>Division cost of a mother (last area {@code A_m}, last position {@code m}, seen in the frame
 * just before) into daughters {@code a}, {@code b}:
 *
 * <pre>
 *   c_div = ln((A_a + A_b) / A_m)² / ln(divisionAreaTolerance)²
 *         + (|a − m|² + |b − m|²) / (2 · divisionMaxDistance²)
 * </pre>
 *
 * with both daughters within {@code divisionMaxDistance} of {@code m}; accepted when {@code c_div
 * <= divisionMaxCost}. The area term says that the daughters share the mother's area (nuclear
 * division), which a cell merely appearing next to another one does not (its area adds to it).
 *
 * @param maxLinkDistance gate radius in px for a frame-to-frame link ({@code > 0}); also the
 *     distance at which the displacement cost reaches 1
 * @param maxGap the most frames a track may be missing and still be continued ({@code >= 0})
 * @param delayFrames how many of the newest frames the tracker holds back before finalizing them
 *     ({@code >= 0}); frame {@code f} becomes final when a frame {@code >= f + delayFrames} arrives
 * @param velocityWeight scale of the velocity term in the motion prediction, in [0, 1]: 0 predicts
 *     the last position (Brownian motion), 1 constant velocity
 * @param velocitySmoothing exponential smoothing factor of the velocity estimate in (0, 1]: weight
 *     of the newest displacement per frame
 * @param areaWeight weight of the squared log area ratio in the link cost ({@code >= 0})
 * @param intensityWeight weight of the squared relative mean-intensity change ({@code >= 0})
 * @param gapPenalty added cost per missed frame of a gap-closing link ({@code >= 0}); the default
 *     0.9 is below {@code nonLinkCost}, because a link over {@code g} missed frames competes with
 *     ending the track and starting a new one ({@code 2 · nonLinkCost}): at 1.0 a 2-frame gap could
 *     only tie, and a tie is not linked, so {@code maxGap = 2} acted as 1 (evaluate: 0.9 cuts
 *     track-lost events on simulated cultures by 8–15 %; SIM+ 01 unchanged; MSC 01 with ideal masks
 *     LNK 0.958 → 0.952)
 * @param nonLinkCost cost of a track not being continued in a frame, and of a detection starting a
 *     new track ({@code > 0})
 * @param divisionsEnabled whether divisions are detected
 * @param divisionMaxDistance px, the farthest a daughter's centroid may be from the mother's last
 *     centroid ({@code > 0})
 * @param divisionAreaTolerance ratio ({@code > 1}) of daughters' summed area to the mother's area
 *     at which the area term of the division cost reaches 1
 * @param divisionMaxCost the highest division cost accepted ({@code >= 0})
 * @param confirmDivisions whether a division found at frame {@code t} must be confirmed by the next
 *     frame pushed: if exactly one daughter is detected again there, the division is taken back
 *     (the other "daughter" was a spurious fragment, e.g. an over-segmentation): the surviving
 *     daughter continues the mother's track id and the fragment keeps a track of its own. Needs
 *     {@code delayFrames >= 1} (frame {@code t} must still be held); ignored otherwise
 */
public record TrackerConfig(
    double maxLinkDistance,
    int maxGap,
    int delayFrames,
    double velocityWeight,
    double velocitySmoothing,
    double areaWeight,
    double intensityWeight,
    double gapPenalty,
    double nonLinkCost,
    boolean divisionsEnabled,
    double divisionMaxDistance,
    double divisionAreaTolerance,
    double divisionMaxCost,
    boolean confirmDivisions) {

  public TrackerConfig {
    require(maxLinkDistance > 0 && Double.isFinite(maxLinkDistance), "maxLinkDistance > 0");
    require(maxGap >= 0, "maxGap >= 0");
    require(delayFrames >= 0, "delayFrames >= 0");
    require(velocityWeight >= 0 && velocityWeight <= 1, "velocityWeight in [0, 1]");
    require(velocitySmoothing > 0 && velocitySmoothing <= 1, "velocitySmoothing in (0, 1]");
    require(areaWeight >= 0 && Double.isFinite(areaWeight), "areaWeight >= 0");
    require(intensityWeight >= 0 && Double.isFinite(intensityWeight), "intensityWeight >= 0");
    require(gapPenalty >= 0 && Double.isFinite(gapPenalty), "gapPenalty >= 0");
    require(nonLinkCost > 0 && Double.isFinite(nonLinkCost), "nonLinkCost > 0");
    require(
        divisionMaxDistance > 0 && Double.isFinite(divisionMaxDistance), "divisionMaxDistance > 0");
    require(
        divisionAreaTolerance > 1 && Double.isFinite(divisionAreaTolerance),
        "divisionAreaTolerance > 1");
    require(divisionMaxCost >= 0 && Double.isFinite(divisionMaxCost), "divisionMaxCost >= 0");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("invalid tracker config: " + what);
    }
  }

  /**
   * Defaults for nuclei of ~30–60 px diameter moving a few px per frame (chosen on the CTC training
   * sequence Fluo-N2DH-SIM+ 01, checked on Fluo-C2DL-MSC 01): gate 30 px, gaps up to 2 frames, 2
   * frames of delay, no velocity term (nuclei there do not move ballistically: the
   * constant-velocity residual is larger than the displacement itself), a mild area term (0.25),
   * gap penalty 1 per missed frame, non-link cost 1, divisions within 50 px with area tolerance 1.6
   * and maximum cost 1.5, confirmed by the next frame.
   */
  public static TrackerConfig defaults() {
    return new TrackerConfig(30, 2, 2, 0.0, 0.5, 0.25, 0.0, 0.9, 1.0, true, 50, 1.6, 1.5, true);
  }

  /** A builder holding this configuration's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder starting from {@link #defaults()}: {@code TrackerConfig.builder().maxGap(0).build()}.
   */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /**
   * Mutable holder of every parameter of a {@link TrackerConfig}; {@link #build()} validates them.
   * Each setter takes the unit documented on the record component of the same name.
   */
  public static final class Builder {
    private double maxLinkDistance;
    private int maxGap;
    private int delayFrames;
    private double velocityWeight;
    private double velocitySmoothing;
    private double areaWeight;
    private double intensityWeight;
    private double gapPenalty;
    private double nonLinkCost;
    private boolean divisionsEnabled;
    private double divisionMaxDistance;
    private double divisionAreaTolerance;
    private double divisionMaxCost;
    private boolean confirmDivisions;

    private Builder(TrackerConfig c) {
      maxLinkDistance = c.maxLinkDistance;
      maxGap = c.maxGap;
      delayFrames = c.delayFrames;
      velocityWeight = c.velocityWeight;
      velocitySmoothing = c.velocitySmoothing;
      areaWeight = c.areaWeight;
      intensityWeight = c.intensityWeight;
      gapPenalty = c.gapPenalty;
      nonLinkCost = c.nonLinkCost;
      divisionsEnabled = c.divisionsEnabled;
      divisionMaxDistance = c.divisionMaxDistance;
      divisionAreaTolerance = c.divisionAreaTolerance;
      divisionMaxCost = c.divisionMaxCost;
      confirmDivisions = c.confirmDivisions;
    }

    /** See {@link TrackerConfig#maxLinkDistance()} (px). */
    public Builder maxLinkDistance(double px) {
      maxLinkDistance = px;
      return this;
    }

    /** See {@link TrackerConfig#maxGap()} (frames). */
    public Builder maxGap(int frames) {
      maxGap = frames;
      return this;
    }

    /** See {@link TrackerConfig#delayFrames()} (frames). */
    public Builder delayFrames(int frames) {
      delayFrames = frames;
      return this;
    }

    /** See {@link TrackerConfig#velocityWeight()}, in [0, 1]. */
    public Builder velocityWeight(double w) {
      velocityWeight = w;
      return this;
    }

    /** See {@link TrackerConfig#velocitySmoothing()}, in (0, 1]. */
    public Builder velocitySmoothing(double a) {
      velocitySmoothing = a;
      return this;
    }

    /** See {@link TrackerConfig#areaWeight()}. */
    public Builder areaWeight(double w) {
      areaWeight = w;
      return this;
    }

    /** See {@link TrackerConfig#intensityWeight()}. */
    public Builder intensityWeight(double w) {
      intensityWeight = w;
      return this;
    }

    /** See {@link TrackerConfig#gapPenalty()} (cost per missed frame). */
    public Builder gapPenalty(double cost) {
      gapPenalty = cost;
      return this;
    }

    /** See {@link TrackerConfig#nonLinkCost()}. */
    public Builder nonLinkCost(double cost) {
      nonLinkCost = cost;
      return this;
    }

    /** See {@link TrackerConfig#divisionsEnabled()}. */
    public Builder divisionsEnabled(boolean enabled) {
      divisionsEnabled = enabled;
      return this;
    }

    /** See {@link TrackerConfig#divisionMaxDistance()} (px). */
    public Builder divisionMaxDistance(double px) {
      divisionMaxDistance = px;
      return this;
    }

    /** See {@link TrackerConfig#divisionAreaTolerance()} (ratio {@code > 1}). */
    public Builder divisionAreaTolerance(double ratio) {
      divisionAreaTolerance = ratio;
      return this;
    }

    /** See {@link TrackerConfig#divisionMaxCost()}. */
    public Builder divisionMaxCost(double cost) {
      divisionMaxCost = cost;
      return this;
    }

    /** See {@link TrackerConfig#confirmDivisions()}. */
    public Builder confirmDivisions(boolean confirm) {
      confirmDivisions = confirm;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of its documented range
     */
    public TrackerConfig build() {
      return new TrackerConfig(
          maxLinkDistance,
          maxGap,
          delayFrames,
          velocityWeight,
          velocitySmoothing,
          areaWeight,
          intensityWeight,
          gapPenalty,
          nonLinkCost,
          divisionsEnabled,
          divisionMaxDistance,
          divisionAreaTolerance,
          divisionMaxCost,
          confirmDivisions);
    }
  }
}
