package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's JSON form is a stored format (the track stage's state store): {@code
 * snapshot-v1.json} was written by the tracker of version 1 after frames 0, 1, 3 and 4 of {@link
 * #frame} (frame 2 skipped: gap closings; frame 4 over-segmented: a division pending confirmation).
 * Today's tracker must write exactly that text and continue from it.
 */
class TrackerSnapshotJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Detection> frame(long t) {
    return t == 4
        ? List.of(
            new Detection(1, 90, 100, 1000, 1),
            new Detection(2, 112, 100, 1000, 1),
            new Detection(3, 300, 300, 500, 2.5))
        : List.of(new Detection(1, 100, 100, 2000, 1), new Detection(2, 200, 200, 800, 3));
  }

  private static String fixture() throws Exception {
    try (InputStream in = TrackerSnapshotJsonTest.class.getResourceAsStream("snapshot-v1.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static OnlineTracker upToFrame4() {
    OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
    for (long t : new long[] {0, 1, 3, 4}) {
      tr.push(t, frame(t));
    }
    return tr;
  }

  @Test
  void writesTheVersion1TextExactly() throws Exception {
    TrackerSnapshot snap = upToFrame4().snapshot();
    assertThat(snap.pendingDivisions()).hasSize(1);
    assertThat(snap.heldFrames()).extracting(TrackerSnapshot.HeldFrame::frameIndex).contains(4L);
    assertThat(JSON.writeValueAsString(snap)).isEqualTo(fixture());
  }

  @Test
  void continuesFromTheVersion1TextLikeAnUninterruptedTracker() throws Exception {
    TrackerSnapshot stored = JSON.readValue(fixture(), TrackerSnapshot.class);
    OnlineTracker restored = OnlineTracker.restore(TrackerConfig.defaults(), stored);
    OnlineTracker uninterrupted = upToFrame4();
    List<FinalizedFrame> a = new ArrayList<>();
    List<FinalizedFrame> b = new ArrayList<>();
    for (long t = 5; t <= 8; t++) {
      a.addAll(restored.push(t, frame(t)));
      b.addAll(uninterrupted.push(t, frame(t)));
    }
    a.addAll(restored.flush());
    b.addAll(uninterrupted.flush());
    assertThat(a).isEqualTo(b);
    // frame 5 shows one cell again: the division of frame 4 was taken back
    assertThat(a)
        .flatExtracting(FinalizedFrame::events)
        .noneMatch(e -> e.type() == TrackLifecycleEvent.Type.DIVISION);
    assertThat(a).extracting(FinalizedFrame::frameIndex).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
  }
}
