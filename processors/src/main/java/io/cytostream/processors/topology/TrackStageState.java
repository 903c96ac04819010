package io.cytostream.processors.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cytostream.processors.track.ReorderBuffer;
import io.cytostream.processors.track.TrackerSnapshot;
import java.util.List;

/**
 * Per-FOV state of the track stage, kept in the {@value TrackProcessor#STATE_STORE} store. The
 * {@link ReorderBuffer.State} is stored flat (fields 2 to 5), as before the buffer had a class of
 * its own.
 *
 * <p>Layouts: {@link #SPLIT} (written since changelog deltas) keeps in {@code tracker} only the
 * snapshot's header (frame and id counters, pending divisions); its active tracks are entries of
 * {@value TrackProcessor#TRACKS_STORE} and its held frames entries of {@value
 * TrackProcessor#HELD_STORE}, each rewritten only when it changes. {@link #WHOLE} (records written
 * before) keeps the whole snapshot here; such a record is read as is and moved to the split layout
 * at the FOV's next frame.
 *
 * @param tracker the linker's snapshot, whole or its header only (see {@code layout}; null before
 *     the first frame)
 * @param nextExpected the next frame index to hand to the linker (-1 before the first frame)
 * @param buffered frame indices waiting in the reorder buffer (their observations are in the
 *     {@value TrackProcessor#FRAMES_STORE} store), ascending
 * @param oldestBufferedAtMs wall-clock ms at which the reorder buffer last became non-empty (0 if
 *     empty)
 * @param lastArrivalMs wall-clock ms of the last accepted arrival
 * @param held frame indices handed to the linker but not final yet, ascending
 * @param startup whether the reorder buffer is in its start-up window (absent in older records:
 *     false)
 * @param knownFrom frames below this index are late, not duplicates (absent in older records: 0)
 * @param gaps the reorder buffer's remembered gaps, flat pairs (absent in older records: none)
 * @param layout {@link #SPLIT} or {@link #WHOLE} (absent in older records: whole)
 * @param inFlight frames known to be on their way, flat pairs {@code [frameIndex, namedAtMs]}
 *     ({@link InFlightFrames}; absent in older records: none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackStageState(
    TrackerSnapshot tracker,
    long nextExpected,
    List<Long> buffered,
    long oldestBufferedAtMs,
    long lastArrivalMs,
    List<Long> held,
    boolean startup,
    long knownFrom,
    List<Long> gaps,
    int layout,
    List<Long> inFlight) {
  /** The whole tracker snapshot in {@code tracker}. */
  static final int WHOLE = 0;

  /** Only the snapshot's header in {@code tracker}; tracks and held frames in their own stores. */
  static final int SPLIT = 1;

  public TrackStageState {
    buffered = buffered == null ? List.of() : List.copyOf(buffered);
    held = held == null ? List.of() : List.copyOf(held);
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
    inFlight = inFlight == null ? List.of() : List.copyOf(inFlight);
  }

  TrackStageState(
      TrackerSnapshot tracker, ReorderBuffer.State reorder, List<Long> held, int layout) {
    this(tracker, reorder, held, layout, List.of());
  }

  TrackStageState(
      TrackerSnapshot tracker,
      ReorderBuffer.State reorder,
      List<Long> held,
      int layout,
      List<Long> inFlight) {
    this(
        tracker,
        reorder.nextExpected(),
        reorder.waiting(),
        reorder.waitingSinceMs(),
        reorder.lastArrivalMs(),
        held,
        reorder.startup(),
        reorder.knownFrom(),
        reorder.gaps(),
        layout,
        inFlight);
  }

  static TrackStageState initial() {
    return new TrackStageState(null, ReorderBuffer.State.initial(), List.of(), SPLIT);
  }

  /** The reorder buffer's part. */
  @JsonIgnore
  ReorderBuffer.State reorder() {
    return new ReorderBuffer.State(
        nextExpected, buffered, oldestBufferedAtMs, lastArrivalMs, startup, knownFrom, gaps);
  }
}
