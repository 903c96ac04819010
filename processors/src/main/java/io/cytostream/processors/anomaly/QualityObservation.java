package io.cytostream.processors.anomaly;

/**
 * The data-quality figures of one frame that {@link DataQualityDetector} tests, as the consensus
 * stage observes them (mapped from the wire's {@code io.cytostream.schemas.FrameQuality}, which the
 * anomaly tests do not depend on).
 *
 * @param frameIndex the frame index
 * @param hotPixelCount pixels the hot-pixel filter replaced
 * @param saturatedFraction fraction of pixels at the pixel type's maximum, in [0, 1]
 * @param meanIntensity mean raw intensity of the frame (any fixed unit)
 * @param sharpness a focus measure (e.g. variance of the Laplacian; any fixed unit, larger =
 *     sharper)
 */
public record QualityObservation(
    long frameIndex,
    long hotPixelCount,
    double saturatedFraction,
    double meanIntensity,
    double sharpness) {}
