package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CtcTrackTableTest {

  private static FinalizedFrame frame(long t, TrackAssignment... a) {
    return new FinalizedFrame(t, t, List.of(a), List.of());
  }

  @Test
  void handWrittenLineage() {
    CtcTrackTable table = new CtcTrackTable();
    table.accept(frame(0, new TrackAssignment(4, 1, 0), new TrackAssignment(9, 2, 0)));
    table.accept(frame(1, new TrackAssignment(3, 1, 0), new TrackAssignment(5, 2, 0)));
    // track 1 divides into 3 and 4; track 2 is missing in frame 2
    table.accept(frame(2, new TrackAssignment(1, 3, 1), new TrackAssignment(2, 4, 1)));
    Map<Integer, Integer> m3 =
        table.accept(
            frame(
                3,
                new TrackAssignment(7, 2, 0),
                new TrackAssignment(1, 3, 0),
                new TrackAssignment(2, 4, 0)));
    assertThat(table.render()).isEqualTo("1 0 1 0\n2 0 1 0\n3 2 3 1\n4 2 3 1\n5 3 3 2\n");
    assertThat(m3).containsEntry(7, 5).containsEntry(1, 3).containsEntry(2, 4);
    assertThat(table.ctcLabel(0, 9)).isEqualTo(2);
    assertThat(table.ctcLabel(0, 99)).isZero();
    assertThat(table.tracks())
        .extracting(CtcTrackTable.CtcTrack::trackId)
        .containsExactly(1L, 2L, 3L, 4L, 2L);
  }

  @Test
  void rejectsOutOfOrderFramesAndDuplicates() {
    CtcTrackTable table = new CtcTrackTable();
    table.accept(frame(5, new TrackAssignment(1, 1, 0)));
    assertThatThrownBy(() -> table.accept(frame(5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                table.accept(frame(6, new TrackAssignment(1, 1, 0), new TrackAssignment(2, 1, 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The validity rules of py-ctcmetrics (metrics/validation/valid.py), on tracker output. */
  @Test
  void trackerOutputIsAValidCtcResult() {
    for (long seed = 1; seed <= 5; seed++) {
      SyntheticScene s = new SyntheticScene(seed, 40, 700, 700);
      OnlineTracker tr = new OnlineTracker(TrackerConfig.defaults());
      CtcTrackTable table = new CtcTrackTable();
      long t = 0;
      List<Long> frames = new ArrayList<>();
      for (int k = 0; k < 100; k++) {
        t += s.skipFrame() ? 2 : 1;
        frames.add(t);
        table.acceptAll(tr.push(t, s.next()));
      }
      table.acceptAll(tr.flush());
      List<CtcTrackTable.CtcTrack> rows = table.tracks();
      assertThat(rows).isNotEmpty();
      Map<Integer, CtcTrackTable.CtcTrack> byLabel = new HashMap<>();
      for (CtcTrackTable.CtcTrack r : rows) {
        assertThat(byLabel.put(r.label(), r)).as("unique labels").isNull();
        assertThat(r.end()).isGreaterThanOrEqualTo(r.begin());
        assertThat(r.label()).isBetween(1, CtcTrackTable.MAX_16BIT_LABEL);
      }
      boolean anyParent = false;
      for (CtcTrackTable.CtcTrack r : rows) {
        if (r.parent() != 0) {
          anyParent = true;
          assertThat(byLabel).containsKey(r.parent());
          assertThat(byLabel.get(r.parent()).end()).isLessThan(r.begin());
        }
      }
      assertThat(anyParent).isTrue();
      // a label is in the mask of exactly the frames begin..end
      Map<Integer, TreeSet<Long>> present = new HashMap<>();
      for (long f : frames) {
        for (int l : table.labelMap(f).values()) {
          assertThat(present.computeIfAbsent(l, x -> new TreeSet<>()).add(f)).isTrue();
        }
      }
      for (CtcTrackTable.CtcTrack r : rows) {
        TreeSet<Long> want = new TreeSet<>();
        for (long f = r.begin(); f <= r.end(); f++) {
          want.add(f);
        }
        assertThat(present.get(r.label())).as("label %d", r.label()).isEqualTo(want);
      }
    }
  }
}
