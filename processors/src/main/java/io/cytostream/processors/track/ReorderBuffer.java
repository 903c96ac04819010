package io.cytostream.processors.track;

import java.util.ArrayList;
import java.util.List;
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
 *   <li>The first frame offered sets the next expected index.
 *   <li>{@link #offer}: a frame below the next expected index (its slot was passed: it was
 *       released, or declared missing) is {@link Arrival#LATE}; a frame already waiting is {@link
 *       Arrival#DUPLICATE}; both leave the buffer unchanged. Any other frame is {@link
 *       Arrival#ACCEPTED} and waits; its arrival time becomes {@link State#lastArrivalMs()}, and
 *       also {@link State#waitingSinceMs()} if nothing was waiting.
 *   <li>{@link #drain}: releases, in increasing order, every waiting frame that is the next
 *       expected one. When the next expected frame is missing and either {@code force} is set or
 *       more than {@code maxWaiting} frames wait, the missing range up to the first waiting frame
 *       is declared a {@link Gap} and that frame becomes the expected one; so a drain without
 *       {@code force} leaves at most {@code maxWaiting} frames waiting, and a forced drain leaves
 *       none. When nothing waits any more, {@code waitingSinceMs} is reset to 0; otherwise it keeps
 *       the time at which the buffer last became non-empty (not the arrival of the oldest frame
 *       still waiting).
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
   * @param nextPresent the first frame index after the missing range (waiting, released next)
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
   * @param waitingSinceMs wall-clock ms at which the buffer last became non-empty, 0 when empty
   * @param lastArrivalMs wall-clock ms of the last accepted frame, 0 before the first one
   */
  public record State(
      long nextExpected, List<Long> waiting, long waitingSinceMs, long lastArrivalMs) {
    public State {
      waiting = List.copyOf(waiting);
    }

    /** The state of an empty buffer that has seen no frame. */
    public static State initial() {
      return new State(-1, List.of(), 0, 0);
    }
  }

  private final int maxWaiting;
  private long nextExpected;
  private final TreeSet<Long> waiting;
  private long waitingSinceMs;
  private long lastArrivalMs;

  /**
   * An empty buffer.
   *
   * @param maxWaiting how many frames may wait for a missing one before it is declared a gap
   *     ({@code >= 0})
   */
  public ReorderBuffer(int maxWaiting) {
    this(maxWaiting, State.initial());
  }

  private ReorderBuffer(int maxWaiting, State state) {
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("maxWaiting must be >= 0: " + maxWaiting);
    }
    this.maxWaiting = maxWaiting;
    this.nextExpected = state.nextExpected();
    this.waiting = new TreeSet<>(state.waiting());
    this.waitingSinceMs = state.waitingSinceMs();
    this.lastArrivalMs = state.lastArrivalMs();
  }

  /** A buffer that continues exactly from {@code state}. */
  public static ReorderBuffer restore(int maxWaiting, State state) {
    return new ReorderBuffer(maxWaiting, state);
  }

  /** Its current state. */
  public State state() {
    return new State(nextExpected, new ArrayList<>(waiting), waitingSinceMs, lastArrivalMs);
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
    if (nextExpected >= 0 && frameIndex < nextExpected) {
      return Arrival.LATE;
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
    }
    lastArrivalMs = nowMs;
    return Arrival.ACCEPTED;
  }

  /**
   * Releases the frames that are next in order, declaring gaps when {@code force} is set or more
   * than {@code maxWaiting} frames wait; see the class comment.
   *
   * @return the releases and gaps, in the order the consumer must see them
   */
  public List<Step> drain(boolean force) {
    List<Step> steps = new ArrayList<>();
    while (!waiting.isEmpty()) {
      long first = waiting.first();
      if (first == nextExpected) {
        waiting.pollFirst();
        steps.add(new Release(first));
        nextExpected = first + 1;
      } else if (force || waiting.size() > maxWaiting) {
        steps.add(new Gap(nextExpected, first));
        nextExpected = first;
      } else {
        break;
      }
    }
    if (waiting.isEmpty()) {
      waitingSinceMs = 0;
    }
    return steps;
  }

  /** Whether frames wait and the buffer has been non-empty for at least {@code timeoutMs}. */
  public boolean timedOut(long nowMs, long timeoutMs) {
    return !waiting.isEmpty() && nowMs - waitingSinceMs >= timeoutMs;
  }

  /** Whether nothing waits and no frame was accepted for at least {@code timeoutMs}. */
  public boolean idle(long nowMs, long timeoutMs) {
    return waiting.isEmpty() && nowMs - lastArrivalMs >= timeoutMs;
  }
}
