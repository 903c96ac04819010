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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackStageState(
    TrackerSnapshot tracker,
    long nextExpected,
    List<Long> buffered,
    long oldestBufferedAtMs,
    long lastArrivalMs,
    List<Long> held) {
  public TrackStageState {
    buffered = buffered == null ? List.of() : List.copyOf(buffered);
    held = held == null ? List.of() : List.copyOf(held);
  }

  TrackStageState(TrackerSnapshot tracker, ReorderBuffer.State reorder, List<Long> held) {
    this(
        tracker,
        reorder.nextExpected(),
        reorder.waiting(),
        reorder.waitingSinceMs(),
        reorder.lastArrivalMs(),
        held);
  }

  static TrackStageState initial() {
    return new TrackStageState(null, ReorderBuffer.State.initial(), List.of());
  }

  /** The reorder buffer's part. */
  @JsonIgnore
  ReorderBuffer.State reorder() {
    return new ReorderBuffer.State(nextExpected, buffered, oldestBufferedAtMs, lastArrivalMs);
  }
}
