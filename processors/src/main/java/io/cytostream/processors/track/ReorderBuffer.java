package io.cytostream.processors.track;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restores the frame order of one stream (one field of view) whose frames may arrive out of order,
 * for a consumer that needs strictly increasing frame indices ({@link OnlineTracker}). It handles
 * frame indices only; the caller keeps the frames themselves until they are released. Times are
 * wall-clock milliseconds given by the caller; the buffer never reads a clock. Not thread-safe.
 *
 * <p>Contract (frame indices {@code >= 0}):
 *
 * <ul>
 *   <li>The first frame offered sets the next expected index. When it is not frame 0 and the buffer
 *       has a start-up window ({@code startupWindowMs > 0}), the buffer is in its
 *       <em>start-up</em>: frames below the first one are still accepted (and lower the next
 *       expected index), and {@link #drain} releases nothing, until the window has passed since the
 *       first arrival ({@link #endStartup}, or the next {@link #offer} after it), frame 0 is the
 *       lowest waiting one (nothing can come before it), more than {@code maxWaiting} frames wait,
 *       or a drain is forced. So the first frames of a stream may arrive out of order.
 *   <li>{@link #offer}: after the start-up, a frame below the next expected index is {@link
 *       Arrival#LATE} when its slot was declared missing (a gap) or lies before the first frame
 *       released, and {@link Arrival#DUPLICATE} when it was released already; a frame already
 *       waiting is {@link Arrival#DUPLICATE}; all these leave the buffer unchanged. Any other frame
 *       is {@link Arrival#ACCEPTED} and waits; its arrival time becomes {@link
 *       State#lastArrivalMs()}, and also {@link State#waitingSinceMs()} if nothing was waiting. The
 *       buffer remembers the last {@value #MAX_GAPS} gaps; a frame from an older gap is reported
 *       {@link Arrival#LATE}.
 *   <li>{@link #drain}: releases, in increasing order, every waiting frame that is the next
 *       expected one. When the next expected frame is missing and either {@code force} is set or
 *       more than {@code maxWaiting} frames wait, the missing range up to the first waiting frame
 *       is declared a {@link Gap} and that frame becomes the expected one; so a drain without
 *       {@code force} leaves at most {@code maxWaiting} frames waiting, and a forced drain leaves
 *       none. When nothing waits any more, {@code waitingSinceMs} is reset to 0; when frames were
 *       released and others still wait, it becomes the last arrival's time (the buffer moved on, so
 *       the frames still waiting have not been stuck since it became non-empty: with frames that
 *       keep arriving slightly out of order, e.g. from frame-parallel image stages, the buffer may
 *       never be empty, yet never stuck); otherwise it keeps the time at which the buffer last
 *       became non-empty or last released a frame (not the arrival of the oldest frame still
 *       waiting).
 *   <li>{@link #timedOut}: frames wait and the buffer has been non-empty for at least the timeout:
 *       the caller should drain with {@code force}. {@link #idle}: nothing waits and no frame was
 *       accepted for at least the timeout: the stream has paused or ended.
 * </ul>
 *
 * <p>Memory is bounded by the waiting frames; {@link #state()} and {@link #restore} capture and
 * rebuild the exact state.
 */
public final class ReorderBuffer {
  /** What became of an offered frame. */
  public enum Arrival {
    /** The frame waits in the buffer; {@link #drain} releases it in order. */
    ACCEPTED,
    /** The frame's index is below the next expected one: its slot has passed. */
    LATE,
    /** The frame is already waiting. */
    DUPLICATE
  }

  /** One step of a {@link #drain}, in order. */
  public sealed interface Step permits Release, Gap {}

  /**
   * A frame released in order: the next one to hand to the consumer.
   *
   * @param frameIndex the frame
   */
  public record Release(long frameIndex) implements Step {}

  /**
   * Frames declared missing: they never arrived in time and will be refused as late.
   *
   * @param firstMissing the first missing frame index
   * @param nextPresent the first frame index after the missing range (waiting, released next; or,
   *     with {@code inFlight} frames, one on its way, waited for next)
   */
  public record Gap(long firstMissing, long nextPresent) implements Step {
    /** The number of missing frames, {@code >= 1}. */
    public long missing() {
      return nextPresent - firstMissing;
    }
  }

  /**
   * The complete state, immutable.
   *
   * @param nextExpected the next frame index to release, -1 before the first frame
   * @param waiting the indices of the waiting frames, ascending
   * @param waitingSinceMs wall-clock ms at which the buffer last became non-empty or (with frames
   *     still waiting) last released one, 0 when empty
   * @param lastArrivalMs wall-clock ms of the last accepted frame, 0 before the first one
   * @param startup whether the buffer is in its start-up window (nothing released yet)
   * @param knownFrom frames below this index are reported late (before the first release, or in a
   *     gap no longer remembered)
   * @param gaps the remembered gaps as flat pairs {@code [firstMissing, nextPresent)}, oldest
   *     first, at most {@value #MAX_GAPS} pairs
   */
  public record State(
      long nextExpected,
      List<Long> waiting,
      long waitingSinceMs,
      long lastArrivalMs,
      boolean startup,
      long knownFrom,
      List<Long> gaps) {
    public State {
      waiting = List.copyOf(waiting);
      gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** A state without start-up window and gap memory (every passed frame counts as late). */
    public State(long nextExpected, List<Long> waiting, long waitingSinceMs, long lastArrivalMs) {
      this(
          nextExpected,
          waiting,
          waitingSinceMs,
          lastArrivalMs,
          false,
          Math.max(0, nextExpected),
          List.of());
    }

    /** The state of an empty buffer that has seen no frame. */
    public static State initial() {
      return new State(-1, List.of(), 0, 0, false, 0, List.of());
    }
  }

  /** How many gaps the buffer remembers to tell late frames from duplicates. */
  public static final int MAX_GAPS = 64;

  private final int maxWaiting;
  private final long startupWindowMs;
  private long nextExpected;
  private final TreeSet<Long> waiting;
  private long waitingSinceMs;
  private long lastArrivalMs;
  private boolean startup;
  private long knownFrom;
  private final ArrayDeque<long[]> gaps = new ArrayDeque<>();

  /**
   * An empty buffer.
   *
   * @param maxWaiting how many frames may wait for a missing one before it is declared a gap
   *     ({@code >= 0})
   */
  public ReorderBuffer(int maxWaiting) {
    this(maxWaiting, 0, State.initial());
  }

  /**
   * An empty buffer with a start-up window.
   *
   * @param maxWaiting how many frames may wait for a missing one before it is declared a gap
   *     ({@code >= 0})
   * @param startupWindowMs how long (wall clock, ms) the first frames of the stream may arrive out
   *     of order; 0 = no window
   */
  public ReorderBuffer(int maxWaiting, long startupWindowMs) {
    this(maxWaiting, startupWindowMs, State.initial());
  }

  private ReorderBuffer(int maxWaiting, long startupWindowMs, State state) {
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("maxWaiting must be >= 0: " + maxWaiting);
    }
    if (startupWindowMs < 0) {
      throw new IllegalArgumentException("startupWindowMs must be >= 0: " + startupWindowMs);
    }
    this.maxWaiting = maxWaiting;
    this.startupWindowMs = startupWindowMs;
    this.nextExpected = state.nextExpected();
    this.waiting = new TreeSet<>(state.waiting());
    this.waitingSinceMs = state.waitingSinceMs();
    this.lastArrivalMs = state.lastArrivalMs();
    this.startup = state.startup();
    this.knownFrom = state.knownFrom();
    List<Long> g = state.gaps();
    for (int i = 0; i + 1 < g.size(); i += 2) {
      gaps.addLast(new long[] {g.get(i), g.get(i + 1)});
    }
  }

  /** A buffer without start-up window that continues exactly from {@code state}. */
  public static ReorderBuffer restore(int maxWaiting, State state) {
    return new ReorderBuffer(maxWaiting, 0, state);
  }

  /** A buffer that continues exactly from {@code state}. */
  public static ReorderBuffer restore(int maxWaiting, long startupWindowMs, State state) {
    return new ReorderBuffer(maxWaiting, startupWindowMs, state);
  }

  /** Its current state. */
  public State state() {
    List<Long> g = new ArrayList<>(2 * gaps.size());
    for (long[] r : gaps) {
      g.add(r[0]);
      g.add(r[1]);
    }
    return new State(
        nextExpected,
        new ArrayList<>(waiting),
        waitingSinceMs,
        lastArrivalMs,
        startup,
        knownFrom,
        g);
  }

  /** Whether the buffer is in its start-up window; see the class comment. */
  public boolean inStartup() {
    return startup;
  }

  /**
   * Ends the start-up window when it has passed at {@code nowMs}; the caller then drains.
   *
   * @return whether the start-up ended now
   */
  public boolean endStartup(long nowMs) {
    if (startup && nowMs - waitingSinceMs >= startupWindowMs) {
      startup = false;
      return true;
    }
    return false;
  }

  /** The next frame index to release, -1 before the first frame. */
  public long nextExpected() {
    return nextExpected;
  }

  /** Whether no frame waits. */
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /**
   * Offers frame {@code frameIndex}, arriving at {@code nowMs}; see the class comment.
   *
   * @return whether it was accepted, or why not
   */
  public Arrival offer(long frameIndex, long nowMs) {
    endStartup(nowMs);
    if (!startup && nextExpected >= 0 && frameIndex < nextExpected) {
      return passed(frameIndex) ? Arrival.LATE : Arrival.DUPLICATE;
    }
    if (waiting.contains(frameIndex)) {
      return Arrival.DUPLICATE;
    }
    if (waiting.isEmpty()) {
      waitingSinceMs = nowMs;
    }
    waiting.add(frameIndex);
    if (nextExpected < 0) {
      nextExpected = frameIndex;
      knownFrom = frameIndex;
      startup = startupWindowMs > 0 && frameIndex > 0;
    } else if (startup && frameIndex < nextExpected) {
      nextExpected = frameIndex;
      knownFrom = frameIndex;
    }
    lastArrivalMs = nowMs;
    return Arrival.ACCEPTED;
  }

  /** Whether a frame below the next expected one was never released (a gap, or before start). */
  private boolean passed(long frameIndex) {
    if (frameIndex < knownFrom) {
      return true;
    }
    for (long[] g : gaps) {
      if (frameIndex >= g[0] && frameIndex < g[1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Releases the frames that are next in order, declaring gaps when {@code force} is set or more
   * than {@code maxWaiting} frames wait; see the class comment.
   *
   * @return the releases and gaps, in the order the consumer must see them
   */
  public List<Step> drain(boolean force) {
    return drain(force, Set.of());
  }

  /**
   * As {@link #drain(boolean)}, but never declares a frame of {@code inFlight} missing: a gap ends
   * at the first such frame above the next expected one (which then becomes the expected one and is
   * waited for, however many frames wait and even when forced), and when the next expected frame
   * itself is in flight nothing is declared. For frames known to be on their way (e.g. named by a
   * later frame as routed before it, while the frame-parallel image stages still process it).
   *
   * @param inFlight frame indices known to be on their way
   * @return the releases and gaps, in the order the consumer must see them
   */
  public List<Step> drain(boolean force, Set<Long> inFlight) {
    List<Step> steps = new ArrayList<>();
    if (startup) {
      boolean zeroFirst = !waiting.isEmpty() && waiting.first() == 0;
      if (!(force || zeroFirst || waiting.size() > maxWaiting)) {
        return steps;
      }
      startup = false;
    }
    while (!waiting.isEmpty()) {
      long first = waiting.first();
      if (first == nextExpected) {
        waiting.pollFirst();
        steps.add(new Release(first));
        nextExpected = first + 1;
      } else if (force || waiting.size() > maxWaiting) {
        long until = first;
        for (long f : inFlight) {
          if (f >= nextExpected && f < until) {
            until = f;
          }
        }
        if (until == nextExpected) {
          break; // the next expected frame is on its way: wait for it
        }
        steps.add(new Gap(nextExpected, until));
        gaps.addLast(new long[] {nextExpected, until});
        if (gaps.size() > MAX_GAPS) {
          knownFrom = Math.max(knownFrom, gaps.removeFirst()[1]);
        }
        nextExpected = until;
      } else {
        break;
      }
    }
    if (waiting.isEmpty()) {
      waitingSinceMs = 0;
    } else if (steps.stream().anyMatch(Release.class::isInstance)) {
      waitingSinceMs = lastArrivalMs;
    }
    return steps;
  }

  /**
   * Whether frames wait and the buffer has been non-empty, without releasing a frame, for at least
   * {@code timeoutMs}.
   */
  public boolean timedOut(long nowMs, long timeoutMs) {
    return !waiting.isEmpty() && nowMs - waitingSinceMs >= timeoutMs;
  }

  /** Whether nothing waits and no frame was accepted for at least {@code timeoutMs}. */
  public boolean idle(long nowMs, long timeoutMs) {
    return waiting.isEmpty() && nowMs - lastArrivalMs >= timeoutMs;
  }
}
