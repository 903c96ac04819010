package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.schemas.FrameObservations;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * Frames still in the frame-parallel image stage when the track stage's reorder timeout passes (a
 * task stalled by a rebalance): named by a later frame as routed before it, they are waited for and
 * tracked when they come, not declared missing and dead-lettered as late; without the names (the
 * sequential topology's records) the timeout declares them missing, as before.
 */
class InFlightFramesTest {
  private static final String FOV = "inflight/fov-1";
  private static final long START = 1_000_000L;

  /** What the track stage emitted: tracked frame indices, gaps, dead letters. */
  private record Outcome(List<Long> tracked, List<String> events, List<String> dead) {}

  private static Outcome run(boolean named) {
    MockProcessorContext<String, TrackOutput> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(START);
    TrackStoreLayoutTest.TrackStores.create(context);
    TrackProcessor p = new TrackProcessor(PipelineConfig.defaults());
    p.init(context);
    BoundedStateTest.DividingCulture culture = new BoundedStateTest.DividingCulture(3, FOV);
    List<FrameObservations> frames = new ArrayList<>();
    for (long t = 0; t < 16; t++) {
      frames.add(culture.next(t));
    }
    // frames 0..9 in order, then 11..15 while 10 is still in a stalled image task
    long[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15};
    for (long f : order) {
      send(p, frames.get((int) f), named);
    }
    // the reorder timeout (30 s) passes without frame 10; the stage's timer fires
    long later = START + PipelineConfig.defaults().reorderTimeout().toMillis() + 1_000;
    context.setCurrentSystemTimeMs(later);
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(later);
    send(p, frames.get(10), named); // the task resumes
    Outcome out = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (var f : context.forwarded()) {
      TrackOutput o = f.record().value();
      if (o.frame() != null) {
        out.tracked().add(o.frame().frameIndex());
      } else if (o.event() != null) {
        out.events().add(o.event().data().kind());
      } else if (o.dead() != null) {
        out.dead().add(o.dead().kind());
      }
    }
    return out;
  }

  private static void send(TrackProcessor p, FrameObservations obs, boolean named) {
    RecordHeaders h = new RecordHeaders();
    if (named && obs.frameIndex() > 0) {
      // the router handled the frames in index order; frame 11 names 10, which is still coming
      InFlightFrames.writeRoutedAfter(h, obs.frameIndex() - 1);
    }
    p.process(new Record<>(FOV, obs, START + obs.frameIndex(), h));
  }

  @Test
  void aFrameNamedAsRoutedIsWaitedForPastTheTimeoutAndTracked() {
    Outcome out = run(true);
    assertThat(out.dead()).isEmpty();
    assertThat(out.events()).doesNotContain("dropped_frame", "out_of_order_frame");
    assertThat(out.tracked()).contains(10L).isSorted();
  }

  @Test
  void withoutTheNamesTheTimeoutDeclaresTheFrameMissingAsBefore() {
    Outcome out = run(false);
    assertThat(out.events()).contains("dropped_frame", "out_of_order_frame");
    assertThat(out.dead()).containsExactly("out_of_order");
    assertThat(out.tracked()).doesNotContain(10L);
  }

  @Test
  void theNamesKeepOnlyFramesStillToComeAndAreProtectedForTheCap() {
    List<Long> pairs =
        InFlightFrames.accepted(List.of(), 12, OptionalLong.of(11), 10, Set.of(12L), 5);
    assertThat(pairs).containsExactly(11L, 5L);
    assertThat(InFlightFrames.accepted(pairs, 13, OptionalLong.of(12), 10, Set.of(12L, 13L), 6))
        .as("12 is waiting already")
        .containsExactly(11L, 5L);
    assertThat(InFlightFrames.accepted(pairs, 11, OptionalLong.of(10), 10, Set.of(11L), 7))
        .as("11 arrived; 10 is the next expected and now named")
        .containsExactly(10L, 7L);
    assertThat(InFlightFrames.accepted(pairs, 14, OptionalLong.of(9), 10, Set.of(14L), 8))
        .as("9 was passed")
        .containsExactly(11L, 5L);
    assertThat(InFlightFrames.protectedAt(pairs, 104, 100)).containsExactly(11L);
    assertThat(InFlightFrames.protectedAt(pairs, 105, 100)).as("after the cap").isEmpty();
    assertThat(InFlightFrames.pruned(pairs, 12)).isEmpty();
    assertThat(InFlightFrames.pruned(pairs, 11)).containsExactly(11L, 5L);
    RecordHeaders h = new RecordHeaders();
    assertThat(InFlightFrames.routedAfter(h)).isEmpty();
    InFlightFrames.writeRoutedAfter(h, 41);
    InFlightFrames.writeRoutedAfter(h, 42);
    assertThat(InFlightFrames.routedAfter(h)).hasValue(42);
  }
}
