package io.cytostream.processors.track;

/**
 * One segmented cell in one frame.
 *
 * @param label its label in that frame's label image ({@code > 0}, unique within the frame)
 * @param x centroid column in px
 * @param y centroid row in px
 * @param areaPx area in px ({@code > 0})
 * @param meanIntensity mean intensity over the cell, in the image's units (any scale; only relative
 *     changes are used)
 */
public record Detection(int label, double x, double y, double areaPx, double meanIntensity) {}
