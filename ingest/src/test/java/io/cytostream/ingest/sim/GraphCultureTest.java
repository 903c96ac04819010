package io.cytostream.ingest.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The graph culture takes the consensus model's Euler step, checked against hand arithmetic. */
class GraphCultureTest {

  /** Path 0 – 1 – 2 with cell 0 an input at 1.0 + frame. */
  private static GraphCulture path() {
    GraphCulture g = new GraphCulture(3, 0.5, 0.25, (cell, frame) -> 1.0 + frame);
    g.link(0, 1, 2.0).link(1, 2, 4.0).markInput(0);
    g.setY(0, 1.0);
    g.setY(1, 0.5);
    g.setY(2, 0.25);
    g.setGamma(1, 0.1);
    g.setGamma(2, -0.2);
    return g;
  }

  @Test
  void oneStepMatchesTheModelByHand() {
    GraphCulture g = path();
    g.step(new double[] {0, 0, 0.125});
    // cell 1: φ = (2·(1 − 0.5) + 4·(0.25 − 0.5)) / 2 = 0; y = 0.5 + 0.25·(0 + 0.1) = 0.525
    assertThat(g.y(1)).isEqualTo(0.525);
    // cell 2: φ = 4·(0.5 − 0.25) / 1 = 1; y = 0.25 + 0.25·(0.5·1 − 0.2) + 0.125 = 0.45
    assertThat(g.y(2)).isCloseTo(0.45, within(1e-15));
    assertThat(g.y(0)).as("input follows its signal at the new frame").isEqualTo(2.0);
    assertThat(g.frame()).isEqualTo(1);
  }

  @Test
  void couplingChangeActsFromTheNextStep() {
    GraphCulture a = path();
    GraphCulture b = path();
    b.setK(0);
    a.step();
    b.step();
    assertThat(b.y(2)).isEqualTo(0.25 + 0.25 * -0.2);
    assertThat(a.y(2)).isNotEqualTo(b.y(2));
    assertThat(a.neighbours(1)).containsExactly(0, 2);
    assertThat(a.links()).hasSize(2);
  }

  @Test
  void selfLinksAreRefused() {
    assertThatThrownBy(() -> path().link(1, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
