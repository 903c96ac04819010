/**
 * Measure stage (plain Java): per-cell centroid, area, bounding box and intensities, and the
 * neighbour graph with shared border lengths and centroid distances, from a label image.
 */
package io.cytostream.processors.measure;
