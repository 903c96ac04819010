package io.cytostream.processors.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cytostream.processors.track.TrackerSnapshot;
import java.util.List;

/**
 * Per-FOV state of the track stage, kept in the {@value TrackProcessor#STATE_STORE} store.
 *
 * @param tracker the linker's snapshot (null before the first frame)
 * @param nextExpected the next frame index to hand to the linker (-1 before the first frame)
 * @param buffered frame indices waiting in the reorder buffer (their observations are in the
 *     {@value TrackProcessor#FRAMES_STORE} store), ascending
 * @param oldestBufferedAtMs wall-clock ms at which the oldest buffered frame arrived (0 if none)
 * @param lastArrivalMs wall-clock ms of the last arrival
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

  static TrackStageState initial() {
    return new TrackStageState(null, -1, List.of(), 0, 0, List.of());
  }
}
