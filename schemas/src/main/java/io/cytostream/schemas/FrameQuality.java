package io.cytostream.schemas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Data-quality figures of one frame, computed by the denoise stage.
 *
 * @param hotPixels pixels that the 3×3 median replaced because they stood far above their
 *     neighbourhood (count)
 * @param saturatedPixels pixels at the saturation value of the pixel type (count)
 * @param saturatedFraction {@code saturatedPixels / (width*height)}
 * @param meanRaw mean raw intensity of the frame, in the camera's units (ADU)
 * @param sharpness a focus measure (mean absolute Laplacian of the normalised plane; larger is
 *     sharper), for intensity/focus collapse tests
 * @param normalizationSettled whether the per-FOV intensity normalisation has finished its
 *     calibration window
 * @param normLo {@code q1 - 2·IQR} of log(x+1) used for this frame
 * @param normHi {@code q3 + 2·IQR} of log(x+1) used for this frame
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FrameQuality(
    int hotPixels,
    int saturatedPixels,
    double saturatedFraction,
    double meanRaw,
    double sharpness,
    boolean normalizationSettled,
    double normLo,
    double normHi) {}
