package io.cytostream.processors.anomaly;

import io.cytostream.processors.anomaly.FieldResidualTest.Feed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The per-cell feeds γ̂_i of {@link FieldResidualTest} and its aberrant-cell test: each cell's
 * exponentially weighted mean (factor {@link FieldResidualTest#GAMMA_FORGETTING} per row) of its
 * residuals relative to the field's median (v/s), clipped at ±{@link FieldResidualTest#GAMMA_CLIP}
 * field σ; and the set of cells currently reported aberrant (robust z of γ̂ above {@link
 * AnomalyConfig#aberrantThreshold()}, released below 0.8 × that). Iteration is in track id order.
 * Not thread-safe.
 */
final class FieldFeeds {

  private final Map<Long, Feed> feeds = new TreeMap<>();
  private final Set<Long> flagged = new TreeSet<>();

  /** Restores the feeds and flags of a stored state. */
  void restore(List<Feed> storedFeeds, List<Long> storedFlagged) {
    storedFeeds.forEach(f -> feeds.put(f.trackId(), f));
    flagged.addAll(storedFlagged);
  }

  /** The feeds, in track id order. */
  List<Feed> feeds() {
    return new ArrayList<>(feeds.values());
  }

  /** The tracks currently aberrant, in id order. */
  List<Long> flagged() {
    return new ArrayList<>(flagged);
  }

  /** Forgets a track. */
  void forget(long trackId) {
    feeds.remove(trackId);
    flagged.remove(trackId);
  }

  /** A cell's feed γ̂ so far, v/s (0 for a cell without rows). */
  double level(long id) {
    Feed fd = feeds.get(id);
    return fd == null ? 0 : fd.sum() / fd.weight();
  }

  /** Adds one row (residual x relative to the field's median, its field σ) to a cell's γ̂. */
  void feed(long id, double residual, double sigma) {
    double lambda = FieldResidualTest.GAMMA_FORGETTING;
    double clip = FieldResidualTest.GAMMA_CLIP;
    double x = Math.max(-clip * sigma, Math.min(clip * sigma, residual));
    Feed old = feeds.get(id);
    feeds.put(
        id,
        old == null
            ? new Feed(id, 1, 1, x, sigma * sigma, 1)
            : new Feed(
                id,
                lambda * old.weight() + 1,
                lambda * lambda * old.weightSq() + 1,
                lambda * old.sum() + x,
                lambda * old.noise() + sigma * sigma,
                old.rows() + 1));
  }

  /**
   * Judges the cells of {@code ids} with at least 2 rows (at least {@link
   * FieldResidualTest#MIN_ROWS} of them, else nothing) and adds to {@code found} the cells newly
   * aberrant at {@code threshold} (robust z of γ̂, statistic {@code robust_z_gamma}).
   */
  void aberrant(List<Long> ids, double threshold, List<Anomaly> found) {
    List<Feed> judged = new ArrayList<>();
    for (long id : ids) {
      Feed fd = feeds.get(id);
      if (fd != null && fd.rows() >= 2) {
        judged.add(fd);
      }
    }
    if (judged.size() < FieldResidualTest.MIN_ROWS) {
      return;
    }
    double[] g = new double[judged.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = judged.get(i).sum() / judged.get(i).weight();
    }
    double gm = RobustStats.median(g.clone());
    double spread = RobustStats.spread(g, gm);
    for (int i = 0; i < g.length; i++) {
      Feed fd = judged.get(i);
      double se = Math.sqrt(fd.noise() / fd.weight() * fd.weightSq()) / fd.weight();
      double scale = Math.max(spread, se);
      if (!(scale > 0)) {
        continue;
      }
      double z = (g[i] - gm) / scale;
      long id = fd.trackId();
      if (Math.abs(z) > threshold) {
        if (flagged.add(id)) {
          found.add(
              new Anomaly(
                  AnomalyType.ABERRANT_CELL,
                  id,
                  "robust_z_gamma",
                  z,
                  threshold,
                  String.format(
                      Locale.ROOT,
                      "feed %.3g /s vs the field's %.3g /s (log intensity; scale %.3g)",
                      g[i],
                      gm,
                      scale),
                  new Evidence(
                      null,
                      null,
                      null,
                      Map.of(
                          "gamma",
                          g[i],
                          "cultureMedian",
                          gm,
                          "mad",
                          spread / 1.4826,
                          "standardError",
                          se,
                          "cells",
                          (double) g.length,
                          "rows",
                          (double) fd.rows()),
                      null)));
        }
      } else if (Math.abs(z) < 0.8 * threshold) {
        flagged.remove(id);
      }
    }
  }
}
