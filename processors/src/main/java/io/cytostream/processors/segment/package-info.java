/**
 * Segment stage (plain Java): the {@link io.cytostream.processors.segment.Segmenter} interface and
 * the classical threshold + distance-transform watershed {@link
 * io.cytostream.processors.segment.ClassicalSegmenter}, with its building blocks (Gaussian blur,
 * Otsu/triangle thresholds, binary operations, exact Euclidean distance transform, h-maxima
 * watershed).
 */
package io.cytostream.processors.segment;
