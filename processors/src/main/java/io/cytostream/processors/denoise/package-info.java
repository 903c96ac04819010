/**
 * Denoise stage (plain Java): exact 3×3 median, per-frame quality figures (hot and saturated
 * pixels, brightness, focus) and per-FOV interquartile normalisation with a state-store-friendly
 * immutable state.
 */
package io.cytostream.processors.denoise;
