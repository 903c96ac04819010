package io.cytostream.processors.anomaly;

/**
 * What {@link TrackingDetector} remembers of one track (kept in the consensus stage's FOV record).
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
 * @param deviationReason what explains the current deviation (a {@link Suppressed.Reason} name), or
 *     null
 * @param fateReason what explains the track's end if it ends: it merged into a neighbour, or was a
 *     split fragment (a {@link Suppressed.Reason} name), or null
 * @param relatedTrack the neighbour of that explanation (0: none)
 * @param logAreaNoise the track's segmentation noise: an exponentially weighted mean (weight
 *     {@value TrackingDetector#NOISE_WEIGHT}) of |ln(a_t / a_t−1)| over its sightings in
 *     consecutive frames (null: none yet)
 * @param noiseSamples the increments behind {@code logAreaNoise}
 * @param typicalAreaPx the track's typical area: an exponentially weighted mean (weight {@value
 *     TrackingDetector#NOISE_WEIGHT}) of its areas (null: none yet)
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
