package io.cytostream.processors.measure;

/**
 * One cell of one frame. Coordinates in pixels (x right, y down, pixel centres at integers),
 * intensities in the units of the planes given to {@link CellMeasurer}.
 *
 * @param label label in the relabelled image (1..count)
 * @param centroidX mean x of the cell's pixels
 * @param centroidY mean y of the cell's pixels
 * @param areaPx number of pixels
 * @param minX bounding box, inclusive
 * @param minY bounding box, inclusive
 * @param maxX bounding box, inclusive
 * @param maxY bounding box, inclusive
 * @param meanIntensity mean raw intensity over the cell
 * @param normalizedIntensity mean normalised intensity over the cell (NaN when no normalised plane
 *     was given)
 * @param onBorder the cell has a pixel in the first/last row or column
 */
public record CellMeasurement(
    int label,
    double centroidX,
    double centroidY,
    int areaPx,
    int minX,
    int minY,
    int maxX,
    int maxY,
    double meanIntensity,
    double normalizedIntensity,
    boolean onBorder) {}
