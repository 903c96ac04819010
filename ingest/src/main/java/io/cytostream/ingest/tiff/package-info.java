/**
 * TIFF input and output for replay and ground truth: {@link io.cytostream.ingest.tiff.RawPlane}
 * (one gray plane in wire layout), {@link io.cytostream.ingest.tiff.TiffSequenceReader} (CTC
 * folders and multi-page files, frame by frame) and {@link io.cytostream.ingest.tiff.TiffWriter}.
 * Everything goes through {@code javax.imageio} with TwelveMonkeys imageio-tiff.
 */
package io.cytostream.ingest.tiff;
