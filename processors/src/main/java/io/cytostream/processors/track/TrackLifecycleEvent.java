package io.cytostream.processors.track;

import java.util.List;

/**
 * A change in a track's life (start, end, division, gap closing) decided by {@link OnlineTracker},
 * reported in the {@link FinalizedFrame} of the frame whose processing decided it. Its wire form,
 * on the {@code tracks} topic, is {@code io.cytostream.schemas.TrackedFrame.TrackEvent} (type in
 * lower case, frame index and missed frames in its text).
 *
 * <ul>
 *   <li>{@code TRACK_STARTED}: {@code trackId} appeared at {@code frameIndex} without a mother
 *       (entered the field, or was not seen before).
 *   <li>{@code TRACK_ENDED}: {@code trackId} was lost: not seen for more than {@code maxGap} frames
 *       after {@code frameIndex}, its last frame; reported with the first frame whose processing
 *       made that certain ({@code frameIndex + maxGap + 1} when no index is skipped). Not emitted
 *       for a track that divided, nor for tracks still alive at {@link OnlineTracker#flush()}.
 *   <li>{@code DIVISION}: mother {@code trackId} (last seen at {@code frameIndex - 1} or earlier)
 *       divided into {@code daughterTrackIds}, whose first frame is {@code frameIndex}; reported
 *       with frame {@code frameIndex}, once confirmed if {@link TrackerConfig#confirmDivisions()}.
 *   <li>{@code GAP_CLOSED}: {@code trackId} was seen again at {@code frameIndex} after {@code
 *       framesMissed} frames without a detection.
 * </ul>
 *
 * @param type the kind of event
 * @param frameIndex the frame the event refers to (see above)
 * @param trackId the track concerned (the mother for a division)
 * @param daughterTrackIds daughters of a division, else empty
 * @param framesMissed frames bridged by a gap closing, else 0
 */
public record TrackLifecycleEvent(
    Type type, long frameIndex, long trackId, List<Long> daughterTrackIds, int framesMissed) {

  /** Event kinds. */
  public enum Type {
    TRACK_STARTED,
    TRACK_ENDED,
    DIVISION,
    GAP_CLOSED
  }

  public TrackLifecycleEvent {
    daughterTrackIds = List.copyOf(daughterTrackIds);
  }

  static TrackLifecycleEvent started(long frame, long trackId) {
    return new TrackLifecycleEvent(Type.TRACK_STARTED, frame, trackId, List.of(), 0);
  }

  static TrackLifecycleEvent ended(long lastFrame, long trackId) {
    return new TrackLifecycleEvent(Type.TRACK_ENDED, lastFrame, trackId, List.of(), 0);
  }

  static TrackLifecycleEvent division(long frame, long mother, long d1, long d2) {
    return new TrackLifecycleEvent(Type.DIVISION, frame, mother, List.of(d1, d2), 0);
  }

  static TrackLifecycleEvent gapClosed(long frame, long trackId, int missed) {
    return new TrackLifecycleEvent(Type.GAP_CLOSED, frame, trackId, List.of(), missed);
  }

  /** The same event about track {@code id}. */
  TrackLifecycleEvent withTrackId(long id) {
    return new TrackLifecycleEvent(type, frameIndex, id, daughterTrackIds, framesMissed);
  }
}
