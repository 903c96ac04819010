package io.cytostream.processors.topology;

import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.TrackedFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The culture's life as events: each tracker event of a {@link TrackedFrame} (a track started,
 * divided, closed a gap or ended) becomes one {@link LifecycleEvent} on {@code cells.lifecycle},
 * once, when the tracker made it final. Stateless: the cell's position and whether it touches the
 * image edge are given when the event's frame is this frame (births, divisions' daughters, closed
 * gaps); a track's end is final only frames after its last sighting, so its position is absent.
 */
final class LifecycleEvents {
  private LifecycleEvents() {}

  /** The life events of one final frame, in the tracker's order. */
  static List<LifecycleEvent> of(TrackedFrame tf) {
    if (tf.events() == null || tf.events().isEmpty()) {
      return List.of();
    }
    Instant time =
        tf.acquisitionTime() != null
            ? tf.acquisitionTime()
            : Instant.ofEpochMilli(Math.round(tf.timeSeconds() * 1000));
    List<LifecycleEvent> out = new ArrayList<>();
    for (TrackedFrame.TrackEvent e : tf.events()) {
      Optional<LifecycleEvent.Kind> kind = kind(e.type());
      if (kind.isEmpty()) {
        continue;
      }
      long frame = e.frame() != null ? e.frame() : tf.frameIndex();
      // a division is seen on its daughters; the mother is not in the frame any more
      long seen =
          kind.get() == LifecycleEvent.Kind.DIVISION && !e.related().isEmpty()
              ? e.related().get(0)
              : e.trackId();
      TrackedFrame.Cell cell = frame == tf.frameIndex() ? cell(tf, seen) : null;
      out.add(
          LifecycleEvent.of(
              time,
              new LifecycleEvent.Data(
                  tf.fov(),
                  frame,
                  e.trackId(),
                  kind.get().wireName(),
                  e.related() == null ? List.of() : e.related(),
                  cell == null ? null : cell.centroidX(),
                  cell == null ? null : cell.centroidY(),
                  cell == null ? null : cell.onBorder(),
                  e.detail())));
    }
    return out;
  }

  /** The life-event kind of a wire tracker event type; empty for a type this code does not know. */
  static Optional<LifecycleEvent.Kind> kind(String trackerEventType) {
    return switch (trackerEventType == null ? "" : trackerEventType.toLowerCase(Locale.ROOT)) {
      case "started" -> Optional.of(LifecycleEvent.Kind.BIRTH);
      case "division" -> Optional.of(LifecycleEvent.Kind.DIVISION);
      case "gap_closed" -> Optional.of(LifecycleEvent.Kind.GAP_CLOSED);
      case "ended" -> Optional.of(LifecycleEvent.Kind.TRACK_END);
      default -> Optional.empty();
    };
  }

  private static TrackedFrame.Cell cell(TrackedFrame tf, long trackId) {
    for (TrackedFrame.Cell c : tf.cells()) {
      if (c.trackId() == trackId) {
        return c;
      }
    }
    return null;
  }
}
