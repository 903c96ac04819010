package io.cytostream.processors.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.ConfluentForeground;
import io.cytostream.processors.segment.GaussianBlur;
import io.cytostream.processors.segment.SegmentHierarchy;
import io.cytostream.processors.segment.SegmentationConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Segmentation and tracking of a confluent pair: two touching cells of different brightness that
 * cover most of the field, separated only by a dashed one-pixel dark junction. The ordinary global
 * threshold takes the bright cell's intensity for the background level and misses the dim cell;
 * {@link ConfluentForeground} keeps both, and the tracker follows both through every frame.
 */
class ConfluentPairTrackingTest {
  private static final int W = 160;
  private static final int H = 120;
  private static final double DIM = 0.25;
  private static final double BRIGHT = 0.5;
  private static final double BACKGROUND = -3.0;

  /** The normalised plane of frame t: the junction at x = 60 + t, cells within a 10 px margin. */
  private static FloatImage plane(int t, long seed) {
    Random rnd = new Random(seed + t);
    int junction = 60 + t;
    float[] v = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double value;
        if (x < 10 || x >= W - 10 || y < 10 || y >= H - 10) {
          value = BACKGROUND;
        } else if (x == junction && y % 4 != 3) {
          value = BACKGROUND; // dashed: a one-pixel bridge every fourth row
        } else {
          value = x < junction ? DIM : BRIGHT;
        }
        v[y * W + x] = (float) (value + 0.03 * rnd.nextGaussian());
      }
    }
    return new FloatImage(W, H, v);
  }

  /** Fraction of the dim cell's pixels that the ordinary (global-threshold) foreground keeps. */
  private static double ordinaryCoverOfDimCell(FloatImage p) {
    ClassicalSegmenter seg = new ClassicalSegmenter();
    boolean[] m = seg.foreground(GaussianBlur.blur(p, seg.config().sigma()));
    int kept = 0;
    int all = 0;
    for (int y = 12; y < H - 12; y++) {
      for (int x = 12; x < 58; x++) {
        all++;
        kept += m[y * W + x] ? 1 : 0;
      }
    }
    return (double) kept / all;
  }

  @Test
  void theOrdinaryThresholdMissesTheDimCell() {
    assertTrue(ordinaryCoverOfDimCell(plane(0, 1)) < 0.1, "the reason for the confluent rule");
  }

  @Test
  void confluentForegroundKeepsBothCellsApart() {
    FloatImage p = plane(0, 1);
    boolean[] m = ConfluentForeground.mask(p, SegmentationConfig.defaults());
    assertNotNull(m, "most of the field is cells: a confluent plane");
    assertTrue(m[60 * W + 30] && m[60 * W + 110], "both cells");
    assertTrue(!m[60 * W + 60] && !m[5 * W + 5], "neither the junction nor the background");
    LabelImage l = new ClassicalSegmenter().segment(p);
    assertEquals(2, l.count());
    assertTrue(l.labels()[60 * W + 30] != l.labels()[60 * W + 110]);
  }

  @Test
  void aPlaneOfSeparatedCellsIsNotConfluent() {
    float[] v = new float[W * H];
    java.util.Arrays.fill(v, 0.3f);
    for (int y = 40; y < 80; y++) {
      for (int x = 40; x < 80; x++) {
        v[y * W + x] = 0.8f;
      }
    }
    assertNull(ConfluentForeground.mask(new FloatImage(W, H, v), SegmentationConfig.defaults()));
  }

  @Test
  void bothCellsOfTheConfluentPairAreTrackedThroughEveryFrame() {
    ClassicalSegmenter seg = new ClassicalSegmenter();
    OnlineTracker tracker = new OnlineTracker(TrackerConfig.defaults());
    List<FinalizedFrame> out = new ArrayList<>();
    int frames = 8;
    for (int t = 0; t < frames; t++) {
      SegmentHierarchy hier = seg.hierarchy(plane(t, 7));
      out.addAll(tracker.push(t, detections(hier.leaves()), candidates(hier)));
    }
    out.addAll(tracker.flush());
    Set<Long> tracks = new HashSet<>();
    for (FinalizedFrame f : out) {
      assertEquals(2, f.assignments().size(), "two cells in frame " + f.frameIndex());
      f.assignments().forEach(a -> tracks.add(a.trackId()));
      assertTrue(f.events().stream().noneMatch(e -> e.type() == TrackLifecycleEvent.Type.DIVISION));
    }
    assertEquals(frames, out.size());
    assertEquals(2, tracks.size(), "one track per cell: " + tracks);
  }

  private static List<Detection> detections(LabelImage l) {
    int n = l.count();
    double[] sx = new double[n + 1];
    double[] sy = new double[n + 1];
    double[] a = new double[n + 1];
    int[] lab = l.labels();
    for (int i = 0; i < lab.length; i++) {
      if (lab[i] > 0) {
        sx[lab[i]] += i % W;
        sy[lab[i]] += i / W;
        a[lab[i]]++;
      }
    }
    List<Detection> d = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      d.add(new Detection(k, sx[k] / a[k], sy[k] / a[k], a[k], 1.0));
    }
    return d;
  }

  private static List<Candidate> candidates(SegmentHierarchy h) {
    List<Candidate> c = new ArrayList<>();
    int label = h.leaves().count();
    for (SegmentHierarchy.Group g : h.groups()) {
      c.add(new Candidate(++label, g.members(), g.preferred()));
    }
    return c;
  }
}
