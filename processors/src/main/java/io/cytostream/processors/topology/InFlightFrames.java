package io.cytostream.processors.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Frames of a FOV that are known to be on their way to the track stage, with frame-parallel image
 * stages: {@link ImageRouter} writes on every frame it handles the index of the FOV's frame it
 * handled before ({@value #HEADER}), which travels to the frame's {@code cells.observed} record;
 * when the track stage accepts a frame naming a predecessor that has neither arrived nor been
 * passed, that predecessor exists and is still in the parallel stage (a task stalled by a
 * rebalance, say), so the reorder buffer must wait for it rather than declare it missing ({@link
 * io.cytostream.processors.track.ReorderBuffer#drain(boolean, Set)}). A frame that the image stage
 * dead-lettered never arrives: it is protected for {@code capMs} from the moment it was named, then
 * treated as any missing frame.
 *
 * <p>Kept per FOV in the track stage's state as flat pairs {@code [frameIndex, namedAtMs]}. Pure
 * functions; times are wall-clock ms given by the caller.
 */
final class InFlightFrames {
  /** The header naming the FOV's frame that the router handled before this one (decimal text). */
  static final String HEADER = "cytostream.routed-after";

  private InFlightFrames() {}

  /** Writes {@code previous} as the frame routed before, replacing any earlier header. */
  static void writeRoutedAfter(Headers headers, long previous) {
    headers.remove(HEADER);
    headers.add(HEADER, Long.toString(previous).getBytes(StandardCharsets.UTF_8));
  }

  /** The frame named as routed before, when the header is there and readable. */
  static OptionalLong routedAfter(Headers headers) {
    Header h = headers == null ? null : headers.lastHeader(HEADER);
    if (h == null || h.value() == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(new String(h.value(), StandardCharsets.UTF_8)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The pairs after frame {@code frame} was accepted, naming {@code routedAfter}: the frame itself
   * is no longer on its way; its predecessor is, unless it is below {@code nextExpected} (released
   * or passed), waiting already, or known already.
   */
  static List<Long> accepted(
      List<Long> pairs,
      long frame,
      OptionalLong routedAfter,
      long nextExpected,
      Set<Long> waiting,
      long nowMs) {
    List<Long> out = new ArrayList<>(pairs.size() + 2);
    boolean known = false;
    long named = routedAfter.orElse(-1);
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      long f = pairs.get(i);
      if (f == frame) {
        continue;
      }
      known |= f == named;
      out.add(f);
      out.add(pairs.get(i + 1));
    }
    if (routedAfter.isPresent()
        && !known
        && named != frame
        && named >= 0
        && named >= nextExpected
        && !waiting.contains(named)) {
      out.add(named);
      out.add(nowMs);
    }
    return out;
  }

  /** The frames still protected at {@code nowMs}: named less than {@code capMs} ago. */
  static Set<Long> protectedAt(List<Long> pairs, long nowMs, long capMs) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      if (nowMs - pairs.get(i + 1) < capMs) {
        out.add(pairs.get(i));
      }
    }
    return out;
  }

  /** The pairs without frames below {@code nextExpected} (released, or declared missing). */
  static List<Long> pruned(List<Long> pairs, long nextExpected) {
    List<Long> out = new ArrayList<>(pairs.size());
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      if (pairs.get(i) >= nextExpected) {
        out.add(pairs.get(i));
        out.add(pairs.get(i + 1));
      }
    }
    return out;
  }
}
