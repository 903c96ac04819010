package io.cytostream.processors.track;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything {@link OnlineTracker} needs to resume exactly where it stopped: immutable, made of
 * records, lists and primitives only (serialisable by Jackson as is). Its size is bounded by the
 * number of active tracks plus the detections of the held frames; it does not grow with the length
 * of the movie.
 *
 * @param version format version, currently 1
 * @param started whether any frame was pushed
 * @param lastFrameIndex the last frame pushed (meaningless if not started)
 * @param nextTrackId the next track id to hand out
 * @param tracks the active tracks, ordered by id
 * @param heldFrames frames pushed but not yet finalized, oldest first
 * @param pendingDivisions divisions of the last frame pushed that still await confirmation
 */
public record TrackerSnapshot(
    int version,
    boolean started,
    long lastFrameIndex,
    long nextTrackId,
    List<TrackState> tracks,
    List<HeldFrame> heldFrames,
    List<PendingDivision> pendingDivisions) {

  public TrackerSnapshot {
    tracks = List.copyOf(tracks);
    heldFrames = List.copyOf(heldFrames);
    pendingDivisions = List.copyOf(pendingDivisions);
  }

  /**
   * A division found in the last frame pushed, to be confirmed by the next one.
   *
   * @param frameIndex the daughters' first frame
   * @param motherId the mother's track id
   * @param motherFirstFrame the mother's first frame
   * @param motherObservations frames the mother was detected in
   * @param daughter1 first daughter's track id
   * @param daughter2 second daughter's track id
   */
  public record PendingDivision(
      long frameIndex,
      long motherId,
      long motherFirstFrame,
      long motherObservations,
      long daughter1,
      long daughter2) {}

  /**
   * One active track.
   *
   * @param id track id
   * @param firstFrame first frame of the track
   * @param lastFrame last frame it was detected in
   * @param x last centroid x, px
   * @param y last centroid y, px
   * @param vx smoothed velocity x, px/frame
   * @param vy smoothed velocity y, px/frame
   * @param areaPx last area, px
   * @param meanIntensity last mean intensity
   * @param observations number of frames it was detected in
   */
  public record TrackState(
      long id,
      long firstFrame,
      long lastFrame,
      double x,
      double y,
      double vx,
      double vy,
      double areaPx,
      double meanIntensity,
      long observations) {}

  /**
   * A frame held back, with its current (not yet final) assignments and events.
   *
   * @param frameIndex the frame
   * @param assignments one per chosen segment, in push order (a division moved into this frame
   *     replaces the mother's segment by its two parts, {@link Split})
   * @param events events decided so far
   * @param splits per chosen segment of the candidate hierarchy that has parts, its cuts into two
   *     parts (empty without candidates; null reads as empty, for held frames stored before)
   */
  public record HeldFrame(
      long frameIndex,
      List<TrackAssignment> assignments,
      List<TrackLifecycleEvent> events,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Split> splits) {
    public HeldFrame {
      assignments = List.copyOf(assignments);
      events = List.copyOf(events);
      splits = splits == null ? List.of() : List.copyOf(splits);
    }
  }

  /**
   * A cut of a chosen segment into two parts of the frame's candidate hierarchy (see {@link
   * CandidateSelector}): where a division found in a later frame may have begun.
   *
   * @param label the chosen segment's label
   * @param first one part (a leaf or candidate of the same frame, its label and measurements)
   * @param second the other part
   */
  public record Split(int label, Detection first, Detection second) {}
}
