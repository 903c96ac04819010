package io.cytostream.processors.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classical watershed kept as a hierarchy of candidate segments. */
class SegmentHierarchyTest {
  private static final int W = 400;
  private static final int H = 160;

  /** Two overlapping disks (a neck of dynamic ≈ 5 px: one object at h = 9, two at h = 3) + one. */
  private static FloatImage scene() {
    float[] img = new float[W * H];
    ClassicalSegmenterTest.scene(
        W, H, new double[][] {{50, 60, 24}, {80, 60, 24}, {150, 60, 22}}, img, 5);
    return new FloatImage(W, H, img);
  }

  /** Whether two label images make the same partition of the same foreground. */
  private static boolean samePartition(LabelImage a, LabelImage b) {
    Map<Integer, Integer> ab = new HashMap<>();
    Map<Integer, Integer> ba = new HashMap<>();
    for (int i = 0; i < a.labels().length; i++) {
      int x = a.labels()[i];
      int y = b.labels()[i];
      if ((x == 0) != (y == 0)) {
        return false;
      }
      if (x != 0 && (ab.computeIfAbsent(x, k -> y) != y || ba.computeIfAbsent(y, k -> x) != x)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theFinerCutSplitsTheNeckAndThePreferredCutIsTheSingleLevelAnswer() {
    ClassicalSegmenter seg = new ClassicalSegmenter();
    FloatImage img = scene();
    SegmentHierarchy hier = seg.hierarchy(img);
    // the two halves of the neck are different leaves, joined by a preferred group
    int left = hier.leaves().get(50, 60);
    int right = hier.leaves().get(80, 60);
    assertThat(left).isNotZero();
    assertThat(right).isNotZero().isNotEqualTo(left);
    assertThat(hier.groups())
        .anySatisfy(
            g -> {
              assertThat(g.preferred()).isTrue();
              assertThat(g.members()).contains(left, right);
            });
    LabelImage single = seg.segment(img);
    assertThat(single.count()).isEqualTo(2);
    assertThat(samePartition(hier.preferredLabels(), single)).isTrue();
  }

  @Test
  void withoutLevelsThereIsNoHierarchy() {
    ClassicalSegmenter seg = new ClassicalSegmenter(SegmentationConfig.defaults(), new double[0]);
    assertThat(seg.hierarchy(scene())).isNull();
  }

  @Test
  void cutsAreNestedAndGroupsLaminarOnNoisyPlanes() {
    Random rnd = new Random(17);
    for (int trial = 0; trial < 20; trial++) {
      int n = 3 + rnd.nextInt(6);
      double[][] disks = new double[n][];
      for (int k = 0; k < n; k++) {
        disks[k] =
            new double[] {20 + rnd.nextInt(W - 40), 20 + rnd.nextInt(H - 40), 10 + rnd.nextInt(16)};
      }
      float[] img = new float[W * H];
      ClassicalSegmenterTest.scene(W, H, disks, img, trial);
      SegmentHierarchy hier =
          new ClassicalSegmenter(SegmentationConfig.defaults(), new double[] {2, 5, 9, 20})
              .hierarchy(new FloatImage(W, H, img));
      LabelImage leaves = hier.leaves().validate();
      List<SegmentHierarchy.Group> groups = hier.groups();
      Set<List<Integer>> distinct = new HashSet<>();
      for (SegmentHierarchy.Group a : groups) {
        assertThat(a.members().length).isGreaterThanOrEqualTo(2);
        assertThat(distinct.add(java.util.Arrays.stream(a.members()).boxed().toList())).isTrue();
        for (int m : a.members()) {
          assertThat(m).isBetween(1, leaves.count());
        }
        for (SegmentHierarchy.Group b : groups) {
          Set<Integer> sa = new HashSet<>();
          for (int m : a.members()) {
            sa.add(m);
          }
          int shared = 0;
          for (int m : b.members()) {
            shared += sa.contains(m) ? 1 : 0;
          }
          // laminar: disjoint, or one inside the other
          assertThat(shared == 0 || shared == a.members().length || shared == b.members().length)
              .isTrue();
        }
      }
      int[] area = new int[leaves.count() + 1];
      for (int l : leaves.labels()) {
        area[l]++;
      }
      for (int l = 1; l <= leaves.count(); l++) {
        assertThat(area[l]).isGreaterThanOrEqualTo(SegmentationConfig.defaults().minArea());
      }
    }
  }

  @Test
  void theWatershedByDynamicsAgreesWithTheSingleLevelWatershed() {
    ClassicalSegmenter seg = new ClassicalSegmenter();
    FloatImage img = scene();
    for (double h : new double[] {3, 9, 15}) {
      ClassicalSegmenter one =
          new ClassicalSegmenter(
              SegmentationConfig.defaults()
                  .withSeeds(SegmentationConfig.defaults().distanceSigma(), h, 1.0),
              new double[0]);
      ClassicalSegmenter many =
          new ClassicalSegmenter(
              SegmentationConfig.defaults()
                  .withSeeds(SegmentationConfig.defaults().distanceSigma(), h, 1.0),
              new double[] {Math.min(h, 2), h});
      assertThat(samePartition(many.hierarchy(img).preferredLabels(), one.segment(img)))
          .as("h = %s", h)
          .isTrue();
    }
    assertThat(seg.levels()).containsExactly(ClassicalSegmenter.FINE_LEVEL, 9.0);
  }
}
