package io.cytostream.processors.denoise;

/**
 * The hot-pixel detector's assessment of one raw frame (all intensities in raw units), from {@link
 * HotPixelDetector}: the data-quality figures plus the detector's own working values (noise σ,
 * threshold, range, pixel count). The image stage publishes a subset of it as the wire record
 * {@code io.cytostream.schemas.FrameQuality}, the input of the data-quality anomaly events
 * (hot-pixel burst, saturation, intensity or focus collapse).
 *
 * @param hotPixels pixels whose raw value differs from the 3×3 median by more than {@code
 *     hotThreshold} (both hot and cold/dead pixels)
 * @param saturatedPixels pixels at or above the saturation value, hot pixels excluded
 * @param saturatedFraction {@code saturatedPixels / pixels}
 * @param meanRaw mean raw value
 * @param minRaw smallest raw value
 * @param maxRaw largest raw value
 * @param noiseSigma robust noise estimate: 1.4826 × MAD of {@code raw − median3x3}
 * @param hotThreshold the |raw − median| threshold used ({@code max(k·noiseSigma, minAbsolute)})
 * @param sharpness focus measure: mean squared 4-neighbour Laplacian of the median-filtered frame
 *     divided by its squared mean (dimensionless; drops when focus is lost, invariant to a gain)
 * @param pixels number of pixels
 */
public record RawFrameAssessment(
    int hotPixels,
    int saturatedPixels,
    double saturatedFraction,
    double meanRaw,
    double minRaw,
    double maxRaw,
    double noiseSigma,
    double hotThreshold,
    double sharpness,
    int pixels) {}
