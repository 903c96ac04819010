package io.cytostream.processors.segment.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cytostream.processors.image.FloatImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fixed held-out split of the annotated sets in {@code shared/data/train}. */
class DataSplitsTest {
  @Test
  void hashRuleIsDeterministicAndHoldsOutAboutOneFifth() {
    List<String> names = IntStream.range(0, 2000).mapToObj(i -> "image_" + i).toList();
    long held = names.stream().filter(DataSplits::hashHeldOut).count();
    assertThat(held).isBetween(340L, 460L);
    for (String n : names.subList(0, 50)) {
      assertThat(DataSplits.hashHeldOut(n)).isEqualTo(DataSplits.hashHeldOut(new String(n)));
      assertThat(DataSplits.heldOut("bbbc039", n, 696, 520, ""))
          .isEqualTo(DataSplits.hashHeldOut(n));
    }
  }

  @Test
  void krompFollowsTheSourceSplitAndTheBbbc039ScreenStaysInTraining() {
    String held =
        IntStream.range(0, 100)
            .mapToObj(i -> "x" + i)
            .filter(DataSplits::hashHeldOut)
            .findFirst()
            .orElseThrow();
    assertThat(DataSplits.heldOut("kromp-s-bsst265", held, 1280, 1024, "train")).isFalse();
    assertThat(DataSplits.heldOut("kromp-s-bsst265", "any", 1280, 1024, " Test")).isTrue();
    assertThat(DataSplits.heldOut("dsb2018-stage1-fluo", held, 696, 520, "")).isFalse();
    assertThat(DataSplits.heldOut("dsb2018-stage1-fluo", held, 256, 256, "")).isTrue();
  }

  @Test
  void sharedSetsSplitAsDocumented() {
    Path train = CtcFiles.sharedData().resolve("train");
    assumeTrue(Files.isDirectory(train.resolve("kromp-s-bsst265")), "shared data not present");
    List<AnnotatedImages.Entry> kromp = AnnotatedImages.entries(train.resolve("kromp-s-bsst265"));
    assertThat(kromp).hasSize(79);
    assertThat(kromp.stream().filter(AnnotatedImages.Entry::heldOut).count()).isEqualTo(37);
    List<AnnotatedImages.Entry> dsb = AnnotatedImages.entries(train.resolve("dsb2018-stage1-fluo"));
    List<AnnotatedImages.Entry> screen =
        dsb.stream().filter(e -> DataSplits.isBbbc039Screen(e.width(), e.height())).toList();
    assertThat(screen).hasSize(47).noneMatch(AnnotatedImages.Entry::heldOut);
    List<AnnotatedImages.Entry> bbbc = AnnotatedImages.entries(train.resolve("bbbc039"));
    double share =
        bbbc.stream().filter(AnnotatedImages.Entry::heldOut).count() / (double) bbbc.size();
    assertThat(share).isBetween(0.12, 0.28);
  }

  @Test
  void singleImageIsScaledByItsOwnQuartiles() {
    int w = 40;
    int h = 30;
    float[] raw = new float[w * h];
    Random rnd = new Random(1);
    for (int i = 0; i < raw.length; i++) {
      int x = i % w;
      int y = i / w;
      boolean cell = x >= 10 && x < 18 && y >= 10 && y < 18;
      raw[i] = (float) (100 + 10 * rnd.nextGaussian() + (cell ? 2000 : 0));
    }
    float[] a = AnnotatedImages.normalizeSingle(new FloatImage(w, h, raw)).data();
    // the interquartile background lands inside [0, 1], the bright square far above it
    float[] sorted = a.clone();
    Arrays.sort(sorted);
    assertThat(sorted[a.length / 2]).isBetween(0.4f, 0.6f);
    assertThat(a[13 * w + 13]).isGreaterThan(2f);
  }
}
