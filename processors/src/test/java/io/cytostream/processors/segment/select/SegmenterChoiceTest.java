package io.cytostream.processors.segment.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.SegmentationConfig;
import io.cytostream.processors.segment.model.ScaleAdaptiveSegmenter;
import io.cytostream.processors.segment.model.ScaleCalibratedSegmenter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmenterChoiceTest {
  @Test
  void perFovOverridesTheDefault() {
    SegmenterChoice c =
        new SegmenterChoice(
            "Classical", SegmenterChoice.parsePerFov("scope/a=MODEL, scope/b=classical"), null);
    assertThat(c.nameFor("scope/a")).isEqualTo("model");
    assertThat(c.nameFor("scope/b")).isEqualTo("classical");
    assertThat(c.nameFor("elsewhere")).isEqualTo("classical");
    assertThat(c.names()).containsExactly("classical", "model");
    assertThat(c.usesModel()).isTrue();
    assertThat(SegmenterChoice.classical().usesModel()).isFalse();
  }

  @Test
  void badEntriesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> SegmenterChoice.parsePerFov("fov-1"))
        .hasMessageContaining("'fov-1' is not FOV=NAME");
    assertThatThrownBy(() -> new SegmenterChoice("model", Map.of("f", "stardist"), null))
        .hasMessageContaining("unknown segmenter 'stardist' for FOV f (known: classical, model)");
    assertThatThrownBy(() -> SegmenterChoice.of("otsu"))
        .hasMessageContaining("unknown segmenter 'otsu' for default");
    assertThat(SegmenterChoice.parsePerFov(" ")).isEmpty();
  }

  @Test
  void classicalOnlyChoiceLoadsNoModel() {
    try (Segmenters s = Segmenters.open(SegmenterChoice.classical())) {
      assertThat(s.model()).isNull();
      assertThat(s.newSegmenter("classical", SegmentationConfig.defaults()))
          .isInstanceOf(ClassicalSegmenter.class);
      assertThatThrownBy(() -> s.newSegmenter("model", SegmentationConfig.defaults()))
          .hasMessageContaining("not loaded");
    }
  }

  @Test
  void aFovDefaultNeverOverridesTheUsersChoice() {
    SegmenterChoice c =
        SegmenterChoice.classical()
            .withFovDefault("demo/fov-1", "model")
            .withFovDefault("demo/fov-2", "model");
    assertThat(c.nameFor("demo/fov-1")).isEqualTo("model");
    assertThat(c.nameFor("other")).isEqualTo("classical");
    SegmenterChoice user =
        new SegmenterChoice("classical", Map.of("demo/fov-1", "classical"), null)
            .withFovDefault("demo/fov-1", "model");
    assertThat(user.nameFor("demo/fov-1")).isEqualTo("classical");
  }

  @Test
  void theModelScaleIsOnByDefaultAndCanBeSetOrSwitchedOff() {
    assertThat(SegmenterChoice.of("model").modelScale())
        .isEqualTo(ScaleCalibratedSegmenter.BUNDLED_SCALE);
    assertThat(SegmenterChoice.parseScale(null)).isEqualTo(ScaleCalibratedSegmenter.BUNDLED_SCALE);
    assertThat(SegmenterChoice.parseScale("AUTO"))
        .isEqualTo(ScaleCalibratedSegmenter.BUNDLED_SCALE);
    assertThat(SegmenterChoice.parseScale("off")).isNull();
    ScaleAdaptiveSegmenter.Scale s = SegmenterChoice.parseScale("28, 20, 40");
    assertThat(s.target()).isEqualTo(28.0);
    assertThat(s.factor(80)).isEqualTo(28.0 / 80);
    assertThat(s.factor(30)).isEqualTo(1.0);
    SegmenterChoice c = SegmenterChoice.of("model").withModelScale(s).withFovDefault("f", "model");
    assertThat(c.modelScale()).isEqualTo(s);
    assertThatThrownBy(() -> SegmenterChoice.parseScale("28,40,20"))
        .hasMessageContaining("not auto, off or TARGET,LOW,HIGH");
    assertThatThrownBy(() -> SegmenterChoice.parseScale("big"))
        .hasMessageContaining("'big' is not auto, off or TARGET,LOW,HIGH");
  }
}
