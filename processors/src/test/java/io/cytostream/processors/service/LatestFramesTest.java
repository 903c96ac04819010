package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.schemas.TrackedFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatestFramesTest {

  static LabelImage twoCells() {
    return new LabelImage(4, 1, new int[] {1, 1, 0, 2}, 2);
  }

  static FloatImage plane() {
    return new FloatImage(4, 1, new float[] {0, 1, 0.2f, 0.8f});
  }

  static TrackedFrame tracked(String fov, long frame, long track1, long track2) {
    List<TrackedFrame.Cell> cells =
        List.of(
            new TrackedFrame.Cell(track1, 0, 1, 0.5, 0, 2, 1, 1, false),
            new TrackedFrame.Cell(track2, 0, 2, 3, 0, 1, 1, 1, false));
    return new TrackedFrame(
        1, fov, frame, frame + 2, null, frame, 4, 1, null, cells, List.of(), List.of(), null);
  }

  @Test
  void showsTheNewestTrackedFrameAndItsTrackIds() {
    LatestFrames v = new LatestFrames(8, 4);
    for (long f = 0; f < 3; f++) {
      v.imaged("a", f, plane(), twoCells());
    }
    // nothing final yet: the newest frame, without track ids
    assertThat(v.frame("a", -1).orElseThrow().frameIndex()).isEqualTo(2);
    assertThat(v.frame("a", -1).orElseThrow().trackByLabel()).isNull();
    v.tracked("a", tracked("a", 1, 7, 9));
    LatestFrames.Held shown = v.frame("a", -1).orElseThrow();
    assertThat(shown.frameIndex()).isEqualTo(1);
    assertThat(shown.trackByLabel()).containsEntry(1, 7L).containsEntry(2, 9L);
    // frame 0 is older than the newest tracked frame: dropped; 1 and 2 stay
    assertThat(v.frame("a", 0)).isEmpty();
    assertThat(v.frame("a", 2)).isPresent();
    assertThat(v.summaries()).containsExactly(new LatestFrames.Summary("a", 1, 2, true, 4, 1, 2));
    assertThat(shown.contours()).hasSize(2);
    assertThat(new String(shown.png(), 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PNG");
  }

  @Test
  void holdsABoundedNumberOfFramesAndFovs() {
    LatestFrames v = new LatestFrames(2, 3);
    for (long f = 0; f < 10; f++) {
      v.imaged("a", f, plane(), twoCells());
    }
    assertThat(v.frame("a", 6)).isEmpty();
    assertThat(v.frame("a", 7)).isPresent();
    // a frame processed again, out of order, is put back in order and the oldest one goes
    v.imaged("a", 8, plane(), twoCells());
    assertThat(v.frame("a", -1).orElseThrow().frameIndex()).isEqualTo(9);
    v.imaged("b", 0, plane(), twoCells());
    v.imaged("c", 0, plane(), twoCells());
    assertThat(v.summaries()).extracting(LatestFrames.Summary::fov).containsExactly("b", "c");
    // a tracked frame no longer held changes nothing
    v.tracked("b", tracked("b", 5, 1, 2));
    assertThat(v.frame("b", -1).orElseThrow().trackByLabel()).isNull();
  }

  @Test
  void announcesANewFovAndEachNewlyTrackedFrame() {
    LatestFrames v = new LatestFrames(8, 4);
    List<LatestFrames.Summary> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    v.updates().subscribe(seen::add);
    v.imaged("a", 0, plane(), twoCells());
    v.imaged("a", 1, plane(), twoCells());
    v.imaged("a", 2, plane(), twoCells());
    assertThat(seen).containsExactly(new LatestFrames.Summary("a", 0, 0, false, 4, 1, 2));
    v.tracked("a", tracked("a", 0, 1, 2));
    v.tracked("a", tracked("a", 1, 1, 2));
    assertThat(seen)
        .extracting(LatestFrames.Summary::frame, LatestFrames.Summary::tracked)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, false),
            org.assertj.core.groups.Tuple.tuple(0L, true),
            org.assertj.core.groups.Tuple.tuple(1L, true));
  }
}
