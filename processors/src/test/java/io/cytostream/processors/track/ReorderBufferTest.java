package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.processors.track.ReorderBuffer.Arrival;
import io.cytostream.processors.track.ReorderBuffer.Gap;
import io.cytostream.processors.track.ReorderBuffer.Release;
import io.cytostream.processors.track.ReorderBuffer.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

  /** The state's first four fields (without start-up flag and gap memory). */
  private static ReorderBuffer.State core(ReorderBuffer.State s) {
    return new ReorderBuffer.State(
        s.nextExpected(), s.waiting(), s.waitingSinceMs(), s.lastArrivalMs());
  }

  /** Offers {@code frame} at {@code now}, asserts it was accepted, and drains without force. */
  private static List<Step> arrive(ReorderBuffer b, long frame, long now) {
    assertThat(b.offer(frame, now)).isEqualTo(Arrival.ACCEPTED);
    return b.drain(false);
  }

  @Test
  void inOrderFramesAreReleasedAtOnceFromTheFirstIndexOffered() {
    ReorderBuffer b = new ReorderBuffer(3);
    assertThat(b.nextExpected()).isEqualTo(-1);
    assertThat(arrive(b, 5, 10)).containsExactly(new Release(5));
    assertThat(arrive(b, 6, 20)).containsExactly(new Release(6));
    assertThat(arrive(b, 7, 30)).containsExactly(new Release(7));
    assertThat(b.nextExpected()).isEqualTo(8);
    assertThat(b.isEmpty()).isTrue();
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(8, List.of(), 0, 30));
  }

  @Test
  void anEarlyFrameWaitsForTheMissingOneWithinTheWindow() {
    ReorderBuffer b = new ReorderBuffer(3);
    assertThat(arrive(b, 0, 0)).containsExactly(new Release(0));
    assertThat(arrive(b, 2, 100)).isEmpty();
    assertThat(arrive(b, 3, 200)).isEmpty();
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(1, List.of(2L, 3L), 100, 200));
    assertThat(b.isEmpty()).isFalse();
    assertThat(arrive(b, 1, 300)).containsExactly(new Release(1), new Release(2), new Release(3));
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(4, List.of(), 0, 300));
  }

  @Test
  void framesOfferedBeforeADrainAreReleasedTogetherInOrder() {
    ReorderBuffer b = new ReorderBuffer(3);
    assertThat(b.offer(0, 5)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.offer(2, 6)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.offer(1, 7)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.nextExpected()).as("set by the first frame offered").isZero();
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(0, List.of(0L, 1L, 2L), 5, 7));
    assertThat(b.drain(false)).containsExactly(new Release(0), new Release(1), new Release(2));
  }

  @Test
  void moreThanMaxWaitingFramesDeclareTheMissingRangeAGap() {
    ReorderBuffer b = new ReorderBuffer(2);
    arrive(b, 0, 0);
    assertThat(arrive(b, 4, 1)).isEmpty();
    assertThat(arrive(b, 5, 2)).isEmpty();
    List<Step> steps = arrive(b, 6, 3);
    assertThat(steps)
        .containsExactly(new Gap(1, 4), new Release(4), new Release(5), new Release(6));
    assertThat(((Gap) steps.get(0)).missing()).isEqualTo(3);
    assertThat(b.nextExpected()).isEqualTo(7);
  }

  @Test
  void aGapReleasesOnlyWhatIsThenInOrder() {
    // window 1: frames 2 and 4 wait for 1; the gap 1 releases 2, and 4 still waits for 3
    ReorderBuffer b = new ReorderBuffer(1);
    arrive(b, 0, 0);
    assertThat(arrive(b, 2, 100)).isEmpty();
    assertThat(arrive(b, 4, 200)).containsExactly(new Gap(1, 2), new Release(2));
    // still waiting, but frame 2 went out: the buffer is stuck from then on (not from 100, when it
    // became non-empty)
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(3, List.of(4L), 200, 200));
    assertThat(arrive(b, 3, 300)).containsExactly(new Release(3), new Release(4));
  }

  @Test
  void withoutAWindowEveryEarlyFrameClosesTheGapAtOnce() {
    ReorderBuffer b = new ReorderBuffer(0);
    arrive(b, 0, 0);
    assertThat(arrive(b, 2, 1)).containsExactly(new Gap(1, 2), new Release(2));
    assertThat(b.offer(1, 2)).isEqualTo(Arrival.LATE);
  }

  @Test
  void framesThatKeepArrivingSlightlyOutOfOrderNeverTimeOutThoughTheBufferIsNeverEmpty() {
    // two image tasks, the odd frames' one two frames behind: 0 2 4 1 6 3 8 5 ..., 1 s apart:
    // an even frame always waits for an odd one, and every odd one releases two frames
    ReorderBuffer b = new ReorderBuffer(10);
    arrive(b, 0, 0);
    arrive(b, 2, 1_000);
    List<Long> released = new ArrayList<>();
    long now = 1_000;
    for (int k = 1; k <= 50; k++) {
      now += 1_000;
      assertThat(b.offer(2L * k + 2, now)).isEqualTo(Arrival.ACCEPTED);
      assertThat(b.drain(b.timedOut(now, 5_000))).isEmpty();
      now += 1_000;
      assertThat(b.offer(2L * k - 1, now)).isEqualTo(Arrival.ACCEPTED);
      for (Step s : b.drain(b.timedOut(now, 5_000))) {
        assertThat(s).as("no gap in 100 s of steady progress").isInstanceOf(Release.class);
        released.add(((Release) s).frameIndex());
      }
      assertThat(b.isEmpty()).as("frame %d waits", 2 * k + 2).isFalse();
    }
    assertThat(released).hasSize(100).isSorted().startsWith(1L, 2L).endsWith(99L, 100L);
    assertThat(b.timedOut(now + 4_999, 5_000)).isFalse();
    assertThat(b.timedOut(now + 5_000, 5_000)).as("stuck from the last release on").isTrue();
  }

  @Test
  void aTimeoutForcesTheGapAndIdleMeansNothingArrived() {
    ReorderBuffer b = new ReorderBuffer(10);
    arrive(b, 0, 1_000);
    assertThat(b.timedOut(100_000, 5_000)).as("nothing waits").isFalse();
    assertThat(b.idle(5_999, 5_000)).isFalse();
    assertThat(b.idle(6_000, 5_000)).isTrue();
    assertThat(arrive(b, 3, 2_000)).isEmpty();
    assertThat(b.idle(100_000, 5_000)).as("a frame waits").isFalse();
    assertThat(b.timedOut(6_999, 5_000)).isFalse();
    assertThat(b.timedOut(7_000, 5_000)).isTrue();
    assertThat(b.drain(false)).as("within the window").isEmpty();
    assertThat(b.drain(true)).containsExactly(new Gap(1, 3), new Release(3));
    assertThat(core(b.state())).isEqualTo(new ReorderBuffer.State(4, List.of(), 0, 2_000));
    assertThat(b.timedOut(100_000, 5_000)).isFalse();
    assertThat(b.drain(true)).as("nothing left").isEmpty();
  }

  @Test
  void aFrameKnownToBeOnItsWayIsNeverDeclaredMissing() {
    ReorderBuffer b = new ReorderBuffer(2);
    arrive(b, 0, 1_000);
    for (long f = 2; f <= 6; f++) {
      assertThat(b.offer(f, 1_000 + f)).isEqualTo(Arrival.ACCEPTED);
      assertThat(b.drain(false, Set.of(1L))).as("frame 1 is on its way").isEmpty();
    }
    assertThat(b.drain(true, Set.of(1L))).as("not even forced").isEmpty();
    assertThat(b.nextExpected()).isEqualTo(1);
    assertThat(b.offer(1, 2_000)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.drain(false, Set.of()))
        .containsExactly(
            new Release(1),
            new Release(2),
            new Release(3),
            new Release(4),
            new Release(5),
            new Release(6));
    // a gap stops at a frame on its way: frames 8 and 9 missing, only 9 known to be coming
    arrive(b, 7, 3_000);
    assertThat(b.offer(10, 3_001)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.drain(true, Set.of(9L))).containsExactly(new Gap(8, 9));
    assertThat(b.nextExpected()).isEqualTo(9);
    assertThat(b.offer(8, 3_002)).as("declared missing").isEqualTo(Arrival.LATE);
    assertThat(b.offer(9, 3_003)).isEqualTo(Arrival.ACCEPTED);
    assertThat(b.drain(false, Set.of(9L))).containsExactly(new Release(9), new Release(10));
    // without the protection the same buffer declares at once
    ReorderBuffer c = new ReorderBuffer(2);
    arrive(c, 0, 1_000);
    for (long f = 2; f <= 4; f++) {
      c.offer(f, 1_000 + f);
    }
    assertThat(c.drain(false)).startsWith(new Gap(1, 2));
  }

  @Test
  void lateFramesAndDuplicatesAreRefusedWithoutChangingTheState() {
    ReorderBuffer b = new ReorderBuffer(3);
    arrive(b, 0, 0);
    arrive(b, 1, 10);
    arrive(b, 3, 20);
    ReorderBuffer.State before = b.state();
    assertThat(b.offer(3, 30)).as("waiting already").isEqualTo(Arrival.DUPLICATE);
    assertThat(b.offer(1, 40)).as("released already").isEqualTo(Arrival.DUPLICATE);
    assertThat(b.offer(0, 50)).isEqualTo(Arrival.DUPLICATE);
    assertThat(b.state()).isEqualTo(before);
    assertThat(b.drain(true)).containsExactly(new Gap(2, 3), new Release(3));
    assertThat(b.offer(2, 60)).as("declared missing").isEqualTo(Arrival.LATE);
  }

  @Test
  void aRestoredBufferContinuesExactly() {
    Random rnd = new Random(7);
    List<Long> arrivals = new ArrayList<>();
    for (long t = 0; t < 60; t++) {
      if (rnd.nextDouble() < 0.1) {
        continue;
      }
      arrivals.add(t);
    }
    for (int k = 0; k + 1 < arrivals.size(); k++) {
      if (rnd.nextDouble() < 0.4) {
        arrivals.set(k, arrivals.set(k + 1, arrivals.get(k)));
      }
    }
    List<String> uninterrupted = run(arrivals, -1);
    for (int cut : new int[] {0, 1, 10, 25, arrivals.size() - 1}) {
      assertThat(run(arrivals, cut)).as("cut after %d", cut).isEqualTo(uninterrupted);
    }
  }

  /** Offers the arrivals (duplicates every 7th) and describes every answer and step. */
  private static List<String> run(List<Long> arrivals, int cutAfter) {
    ReorderBuffer b = new ReorderBuffer(2);
    List<String> out = new ArrayList<>();
    for (int k = 0; k < arrivals.size(); k++) {
      long now = 1000L * k;
      out.add(b.offer(arrivals.get(k), now) + " " + b.drain(b.timedOut(now, 2500)));
      if (k % 7 == 3) {
        out.add(b.offer(arrivals.get(k), now).toString());
      }
      if (k == cutAfter) {
        b = ReorderBuffer.restore(2, b.state());
      }
    }
    out.add(b.drain(true) + " " + b.state());
    return out;
  }

  @Test
  void releasesEveryAcceptedFrameOnceInIncreasingOrderAndGapsCoverTheRest() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int window = rnd.nextInt(4);
      ReorderBuffer b = new ReorderBuffer(window);
      List<Long> accepted = new ArrayList<>();
      List<Step> steps = new ArrayList<>();
      for (int k = 0; k < 40; k++) {
        long f = 10 + rnd.nextInt(30);
        if (b.offer(f, k) == Arrival.ACCEPTED) {
          accepted.add(f);
        }
        steps.addAll(b.drain(false));
        assertThat(b.state().waiting().size()).isLessThanOrEqualTo(window);
      }
      steps.addAll(b.drain(true));
      assertThat(b.isEmpty()).isTrue();
      List<Long> released = new ArrayList<>();
      long next = -1;
      for (Step s : steps) {
        if (s instanceof Release r) {
          assertThat(next == -1 || r.frameIndex() == next).as("in order, no hole").isTrue();
          released.add(r.frameIndex());
          next = r.frameIndex() + 1;
        } else {
          Gap g = (Gap) s;
          assertThat(g.firstMissing()).isEqualTo(next);
          assertThat(g.missing()).isPositive();
          next = g.nextPresent();
        }
      }
      assertThat(released).containsExactlyInAnyOrderElementsOf(accepted).isSorted();
    }
  }

  /**
   * Frame 0 arriving just after frame 1 (issue 11): without a start-up window frame 1 is released
   * at once and frame 0 is refused as late; with one, both wait until the window has passed or
   * frame 0 is there, and are released in order.
   */
  @Test
  void theFirstFramesMayArriveOutOfOrderWithinTheStartUpWindow() {
    ReorderBuffer none = new ReorderBuffer(8);
    assertThat(arrive(none, 1, 0)).containsExactly(new Release(1));
    assertThat(none.offer(0, 10)).as("no window: lost").isEqualTo(Arrival.LATE);

    ReorderBuffer b = new ReorderBuffer(8, 2_000);
    assertThat(arrive(b, 1, 0)).as("waits for a lower frame").isEmpty();
    assertThat(b.inStartup()).isTrue();
    assertThat(arrive(b, 0, 10))
        .as("frame 0: nothing can come before it")
        .containsExactly(new Release(0), new Release(1));
    assertThat(b.inStartup()).isFalse();
    assertThat(arrive(b, 2, 20)).containsExactly(new Release(2));
  }

  @Test
  void theStartUpWindowEndsByTimeOrByTooManyWaitingFrames() {
    ReorderBuffer b = new ReorderBuffer(8, 2_000);
    assertThat(arrive(b, 5, 1_000)).isEmpty();
    assertThat(arrive(b, 3, 1_500)).as("lower than the first: accepted").isEmpty();
    assertThat(arrive(b, 6, 1_600)).isEmpty();
    assertThat(b.endStartup(2_999)).isFalse();
    assertThat(b.endStartup(3_000)).isTrue();
    // after the window: 3 is the first, 4 is missing and waited for as any missing frame
    assertThat(b.drain(false)).containsExactly(new Release(3));
    assertThat(arrive(b, 4, 3_100)).containsExactly(new Release(4), new Release(5), new Release(6));
    assertThat(b.offer(2, 3_200)).as("before the first frame released").isEqualTo(Arrival.LATE);

    ReorderBuffer full = new ReorderBuffer(2, 60_000);
    assertThat(arrive(full, 10, 0)).isEmpty();
    assertThat(arrive(full, 11, 1)).isEmpty();
    assertThat(arrive(full, 12, 2))
        .as("more than maxWaiting frames end the window")
        .containsExactly(new Release(10), new Release(11), new Release(12));

    ReorderBuffer late = new ReorderBuffer(8, 2_000);
    assertThat(arrive(late, 7, 0)).isEmpty();
    assertThat(late.offer(8, 2_500))
        .as("the next arrival after the window")
        .isEqualTo(Arrival.ACCEPTED);
    assertThat(late.drain(false)).containsExactly(new Release(7), new Release(8));
  }

  @Test
  void aRepeatOfAReleasedFrameIsADuplicateAndAFrameOfAGapIsLate() {
    ReorderBuffer b = new ReorderBuffer(1);
    arrive(b, 0, 0);
    arrive(b, 1, 1);
    assertThat(arrive(b, 3, 2)).isEmpty();
    assertThat(arrive(b, 4, 3)).containsExactly(new Gap(2, 3), new Release(3), new Release(4));
    assertThat(b.offer(0, 4)).isEqualTo(Arrival.DUPLICATE);
    assertThat(b.offer(1, 5)).isEqualTo(Arrival.DUPLICATE);
    assertThat(b.offer(2, 6)).as("declared missing").isEqualTo(Arrival.LATE);
    assertThat(b.offer(3, 7)).isEqualTo(Arrival.DUPLICATE);
    ReorderBuffer restored = ReorderBuffer.restore(1, b.state());
    assertThat(restored.offer(2, 8)).as("the gap survives a restore").isEqualTo(Arrival.LATE);
    assertThat(restored.offer(4, 9)).isEqualTo(Arrival.DUPLICATE);
  }

  @Test
  void onlyTheLastGapsAreRememberedOlderOnesCountAsLate() {
    ReorderBuffer b = new ReorderBuffer(0);
    arrive(b, 0, 0);
    long f = 0;
    for (int g = 0; g < ReorderBuffer.MAX_GAPS + 5; g++) {
      f += 2; // frame f-1 missing
      arrive(b, f, f);
    }
    assertThat(b.state().gaps()).hasSize(2 * ReorderBuffer.MAX_GAPS);
    assertThat(b.offer(1, f + 1)).as("forgotten gap: late").isEqualTo(Arrival.LATE);
    assertThat(b.offer(2, f + 1))
        .as("released, but before what is remembered")
        .isEqualTo(Arrival.LATE);
    assertThat(b.offer(f - 1, f + 1)).isEqualTo(Arrival.LATE);
    assertThat(b.offer(f - 2, f + 1)).isEqualTo(Arrival.DUPLICATE);
  }

  @Test
  void rejectsANegativeWindow() {
    assertThatThrownBy(() -> new ReorderBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
