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
 * @param tracker the linker's snapshot (null before the first frame)
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
    List<Long> gaps) {
  public TrackStageState {
    buffered = buffered == null ? List.of() : List.copyOf(buffered);
    held = held == null ? List.of() : List.copyOf(held);
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
  }

  TrackStageState(TrackerSnapshot tracker, ReorderBuffer.State reorder, List<Long> held) {
    this(
        tracker,
        reorder.nextExpected(),
        reorder.waiting(),
        reorder.waitingSinceMs(),
        reorder.lastArrivalMs(),
        held,
        reorder.startup(),
        reorder.knownFrom(),
        reorder.gaps());
  }

  static TrackStageState initial() {
    return new TrackStageState(null, ReorderBuffer.State.initial(), List.of());
  }

  /** The reorder buffer's part. */
  @JsonIgnore
  ReorderBuffer.State reorder() {
    return new ReorderBuffer.State(
        nextExpected, buffered, oldestBufferedAtMs, lastArrivalMs, startup, knownFrom, gaps);
  }
}
