package io.cytostream.processors.anomaly;

/**
 * Data-quality figures of one frame, measured by the denoise/measure stages.
 *
 * @param frameIndex the frame index
 * @param hotPixelCount pixels the hot-pixel filter replaced
 * @param saturatedFraction fraction of pixels at the pixel type's maximum, in [0, 1]
 * @param meanIntensity mean raw intensity of the frame (any fixed unit)
 * @param sharpness a focus measure (e.g. variance of the Laplacian; any fixed unit, larger =
 *     sharper)
 */
public record FrameQuality(
    long frameIndex,
    long hotPixelCount,
    double saturatedFraction,
    double meanIntensity,
    double sharpness) {}
