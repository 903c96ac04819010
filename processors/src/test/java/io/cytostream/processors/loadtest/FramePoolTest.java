package io.cytostream.processors.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.schemas.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramePoolTest {
  @Test
  void playsTheRenderedFramesBackAndForthSoThatCellsNeverJump() {
    FramePool pool = new FramePool("lt/a", 1, 48, 40, 4, 4, 1.0);
    assertThat(pool.size()).isEqualTo(4);
    List<RawPlane> seen = new ArrayList<>();
    for (long i = 0; i < 10; i++) {
      seen.add(pool.plane(i));
    }
    // 0 1 2 3 2 1 0 1 2 3
    int[] expected = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3};
    for (int i = 0; i < expected.length; i++) {
      assertThat(seen.get(i)).as("frame %d", i).isSameAs(pool.plane(expected[i]));
    }
    assertThat(pool.plane(0)).isNotSameAs(pool.plane(1));
    assertThat(pool.frameBytes()).isEqualTo(48 * 40 * 2);
  }

  @Test
  void stampsEachFrameWithItsIndexAndAcquisitionTime() {
    FramePool pool = new FramePool("lt/b", 2, 32, 32, 3, 3, 0.5);
    Instant t = Instant.parse("2026-11-29T12:00:00.123456Z");
    Frame f = pool.frame(7, t);
    assertThat(f.header().fov()).isEqualTo("lt/b");
    assertThat(f.header().frameIndex()).isEqualTo(7);
    assertThat(f.header().acquisitionTime()).isEqualTo(t);
    assertThat(f.header().intervalSeconds()).isEqualTo(0.5);
    assertThat(f.validationError()).isEmpty();
    assertThat(f.pixels()).isSameAs(pool.plane(7).pixels());
  }

  @Test
  void refusesAPoolTooSmallToMove() {
    assertThatThrownBy(() -> new FramePool("lt/c", 1, 32, 32, 3, 1, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }
}
