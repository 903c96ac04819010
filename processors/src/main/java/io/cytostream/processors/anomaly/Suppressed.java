package io.cytostream.processors.anomaly;

import java.util.Locale;

/**
 * An anomaly a test found but did not publish, because a segmentation or tracking event, or an
 * event of the whole image, explains it. Counted per kind and reason ({@code
 * cytostream_anomalies_suppressed_total}), never dropped silently.
 *
 * @param anomaly the anomaly as the test found it
 * @param reason why it is not published
 */
public record Suppressed(Anomaly anomaly, Reason reason) {

  /** Why an anomaly is explained (a bounded set: the metric's {@code reason} label). */
  public enum Reason {
    /**
     * The cell touches or nearly touches the image edge: it is entering or leaving the field, and
     * the edge cuts its area (area change), or it left the field (track lost).
     */
    BORDER,
    /**
     * The segmenter merged the cell with a neighbour: a track close by vanished in the frame the
     * cell grew by about its area (area change), or the lost track's neighbour grew by about the
     * lost cell's area when it vanished (track lost).
     */
    MERGE,
    /**
     * The segmenter split the cell: a new track appeared next to it in the frame it shrank by about
     * the new track's area (area change), or the lost track was such a fragment (track lost).
     */
    SPLIT,
    /**
     * A division: the cell is a daughter within {@link Explanations#DIVISION_FRAMES} frames of its
     * division (its area settles), or a daughter lost within that time.
     */
    DIVISION,
    /**
     * The lost track's segment shrank below half its typical area before it vanished: the segmenter
     * lost the cell gradually (e.g. it went below the threshold), not the cell.
     */
    FADED,
    /**
     * The lost track was a piece of a cell, not a cell: its typical area was below {@link
     * Explanations#FRAGMENT_FRACTION} of the field's typical cell and its last segment lay close to
     * a track that goes on (the segmenter had cut a piece off that cell and lost it again).
     */
    FRAGMENT,
    /**
     * The lost track's cell is still there under another track: a track of the frame that declares
     * the loss has its centroid within the lost cell's equivalent radius of the lost cell's last
     * centroid (the tracker switched identity, e.g. between the pieces of a badly segmented cell).
     */
    IDENTITY_SWITCH,
    /** Spikes in a frame with an image event (intensity collapse, saturation, hot pixels). */
    IMAGE_EVENT,
    /** Spikes of more than a tenth of the frame's cells at once (a culture-wide change). */
    CROWD,
    /**
     * A spike or drift alarm of a cell whose segment changed abruptly in that frame (its area
     * jumped well beyond the field's segmentation jitter): the measured intensity changed because
     * other pixels were measured, not because the cell changed.
     */
    SEGMENT_CHANGE;

    /** The metric label, e.g. {@code merge}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
