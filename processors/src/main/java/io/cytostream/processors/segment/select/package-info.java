/**
 * Which segmenter each FOV uses, by name: the configuration {@link
 * io.cytostream.processors.segment.select.SegmenterChoice} and the loaded segmenters {@link
 * io.cytostream.processors.segment.select.Segmenters} (classical from {@code segment}, learned from
 * {@code segment.model}). Its own package above both, so that {@code segment.model} may use {@code
 * segment} without a cycle.
 */
package io.cytostream.processors.segment.select;
