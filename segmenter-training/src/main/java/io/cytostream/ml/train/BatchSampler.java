package io.cytostream.ml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws training batches: a data set by its share, a random sample of it, and a crop of it
 * randomised by the {@link Augmenter}. All randomness from the given {@link Random}.
 */
final class BatchSampler {
  private final List<List<Sample>> bySet = new ArrayList<>();
  private final double[] mix;
  private final Augmenter augmenter = new Augmenter();

  /**
   * @param data the samples
   * @param sets data set names, one per share; a set without samples gets no crops
   * @param mix shares of crops per set (non-negative, positive sum over sets with samples)
   */
  BatchSampler(List<Sample> data, List<String> sets, double[] mix) {
    if (sets.size() != mix.length) {
      throw new IllegalArgumentException("one share per set: " + sets + " vs " + mix.length);
    }
    this.mix = mix.clone();
    double total = 0;
    for (int i = 0; i < sets.size(); i++) {
      String set = sets.get(i);
      List<Sample> of = data.stream().filter(s -> s.set().equals(set)).toList();
      bySet.add(of);
      if (of.isEmpty()) {
        this.mix[i] = 0;
      }
      total += this.mix[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("no crops: every share is 0 or its set is empty");
    }
  }

  /**
   * Fills one batch: {@code bx} images (N×p×p×1), {@code by} targets (N×p×p×2: foreground,
   * boundary), {@code bk} loss mask (N×p×p×1).
   */
  void fill(Random rnd, float[] bx, float[] by, float[] bk, int batch, int p) {
    double total = 0;
    for (double m : mix) {
      total += m;
    }
    for (int b = 0; b < batch; b++) {
      double u = rnd.nextDouble() * total;
      int si = 0;
      while (si < mix.length - 1 && (u >= mix[si] || mix[si] == 0)) {
        u -= mix[si];
        si++;
      }
      while (mix[si] == 0) {
        si--;
      }
      List<Sample> of = bySet.get(si);
      augmenter.crop(of.get(rnd.nextInt(of.size())), rnd, p, b, bx, by, bk);
    }
  }
}
