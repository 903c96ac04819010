package io.cytostream.processors.consensus;

import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CrlsmConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the consensus stage.
 *
 * @param crlsm the streaming CRLSM (parameterisation, objective, estimator, λ, bounds, forgetting;
 *     defaults from the paper)
 * @param rls the per-cell RLS filters
 * @param maxFrameGap largest frame-index step that still forms a regression row (a longer gap
 *     restarts the rows; the Euler step would not hold)
 * @param signal which intensity is the model's y: {@code normalized} (the paper's choice) or {@code
 *     raw} (mean raw intensity, ADU)
 * @param couplingScalePx2 s in the coupling weight w_ij = u_ij·l_ij / s (default 1000), in the
 *     length unit of u and l squared: px² — or µm² when the frames carry a pixel size, since u and
 *     l are then converted to µm (the name is kept from when only px existed). With u and l in raw
 *     pixels, u·l is ~10³ px² for cells tens of px wide, and forward Euler with any k in the
 *     paper's bounds [0.001, 0.1] would be unstable; the paper does not state its units. Dividing
 *     by s keeps k in those bounds; k scales with s. The simulator uses the same s.
 * @param border which cells are border cells (inputs only)
 * @param perFov settings that differ for some FOVs (coupling scale, bounds, border), by FOV id
 * @param retireAfterFrames bounded state: a cell not seen for more than this many frames is retired
 *     — its γ leaves {@code consensus.fov}, its RLS filter, CUSUM and stored record are dropped
 *     (tombstoned), and its rows stay in k through the CRLSM's retired sums ({@link
 *     io.cytostream.state.consensus.Retired}). Default 50, well above the tracker's gap closing (a
 *     track id is never reused, so a retired cell cannot come back); 0 keeps every cell for ever.
 */
public record ConsensusSettings(
    CrlsmConfig crlsm,
    CellRls.Config rls,
    int maxFrameGap,
    String signal,
    double couplingScalePx2,
    BorderRule border,
    Map<String, FovOverride> perFov,
    int retireAfterFrames) {

  /**
   * What one FOV sets differently; null fields keep the stage's setting.
   *
   * @param couplingScale s of w = u·l / s (lengthUnit²)
   * @param kMin lower bound of k
   * @param kMax upper bound of k
   * @param gammaMin lower bound of γ
   * @param gammaMax upper bound of γ
   * @param border border cells
   */
  public record FovOverride(
      Double couplingScale,
      Double kMin,
      Double kMax,
      Double gammaMin,
      Double gammaMax,
      BorderRule border) {

    /**
     * Parses {@code key=value} pairs separated by commas: {@code scale=S}, {@code k=LO:HI}, {@code
     * gamma=LO:HI}, {@code border=edge|ring:W|list:ID ID …} (list ids separated by spaces here).
     */
    public static FovOverride parse(String spec) {
      Double scale = null;
      Double kLo = null;
      Double kHi = null;
      Double gLo = null;
      Double gHi = null;
      BorderRule border = null;
      for (String part : spec.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("expected key=value, got " + p);
        }
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).trim();
        switch (key) {
          case "scale" -> scale = Double.parseDouble(value);
          case "k" -> {
            double[] b = range(value);
            kLo = b[0];
            kHi = b[1];
          }
          case "gamma" -> {
            double[] b = range(value);
            gLo = b[0];
            gHi = b[1];
          }
          case "border" -> border = BorderRule.parse(value);
          default ->
              throw new IllegalArgumentException(
                  "unknown FOV setting " + key + " (scale, k, gamma, border)");
        }
      }
      return new FovOverride(scale, kLo, kHi, gLo, gHi, border);
    }
  }

  /** Parses {@code LO:HI}. */
  public static double[] range(String s) {
    String[] p = s.split(":");
    if (p.length != 2) {
      throw new IllegalArgumentException("expected LO:HI, got " + s);
    }
    double lo = Double.parseDouble(p[0].trim());
    double hi = Double.parseDouble(p[1].trim());
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      throw new IllegalArgumentException("expected finite LO <= HI, got " + s);
    }
    return new double[] {lo, hi};
  }

  /**
   * Parses per-FOV settings: {@code FOV:key=value,key=value;FOV:…} (see {@link FovOverride#parse});
   * FOV ids may contain {@code :}, the settings start after the last {@code :} that precedes the
   * first {@code =}.
   */
  public static Map<String, FovOverride> parsePerFov(String spec) {
    Map<String, FovOverride> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String entry : spec.split(";")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      int colon = eq < 0 ? -1 : e.lastIndexOf(':', eq);
      if (colon <= 0) {
        throw new IllegalArgumentException("expected FOV:key=value,..., got " + e);
      }
      out.put(e.substring(0, colon).trim(), FovOverride.parse(e.substring(colon + 1)));
    }
    return out;
  }

  public ConsensusSettings {
    if (!(couplingScalePx2 > 0) || Double.isInfinite(couplingScalePx2)) {
      throw new IllegalArgumentException("couplingScalePx2 must be > 0");
    }
    if (retireAfterFrames != 0 && retireAfterFrames < MIN_RETIRE_AFTER_FRAMES) {
      throw new IllegalArgumentException(
          "retireAfterFrames must be 0 or >= "
              + MIN_RETIRE_AFTER_FRAMES
              + ": "
              + retireAfterFrames);
    }
    if (maxFrameGap < 1) {
      throw new IllegalArgumentException("maxFrameGap must be >= 1");
    }
    if (!"normalized".equals(signal) && !"raw".equals(signal)) {
      throw new IllegalArgumentException("signal must be normalized or raw, got " + signal);
    }
    border = border == null ? BorderRule.edge() : border;
    perFov = perFov == null ? Map.of() : Map.copyOf(perFov);
  }

  /** Default of {@link #retireAfterFrames()}. */
  public static final int DEFAULT_RETIRE_AFTER_FRAMES = 50;

  /**
   * Smallest {@link #retireAfterFrames()} accepted: a daughter takes its parent's filter at its
   * first row, two frames after the parent's last sighting.
   */
  public static final int MIN_RETIRE_AFTER_FRAMES = 3;

  /**
   * The settings without border rule or per-FOV overrides (border cells at the image edge), cells
   * retired after {@link #DEFAULT_RETIRE_AFTER_FRAMES}.
   */
  public ConsensusSettings(
      CrlsmConfig crlsm,
      CellRls.Config rls,
      int maxFrameGap,
      String signal,
      double couplingScalePx2) {
    this(
        crlsm,
        rls,
        maxFrameGap,
        signal,
        couplingScalePx2,
        BorderRule.edge(),
        Map.of(),
        DEFAULT_RETIRE_AFTER_FRAMES);
  }

  /**
   * Paper defaults (eq. 3 on Δy rows, λ = 0.001, k ∈ [0.001, 0.1], γ ∈ [−3e−5, 0.1]), y normalised,
   * border cells at the image edge.
   */
  public static ConsensusSettings defaults() {
    return new ConsensusSettings(
        CrlsmConfig.paper(),
        CellRls.Config.defaults(),
        1,
        "normalized",
        1000.0,
        BorderRule.edge(),
        Map.of(),
        DEFAULT_RETIRE_AFTER_FRAMES);
  }

  /**
   * The settings of one FOV: this stage's, with that FOV's overrides applied (and none left).
   *
   * @throws IllegalArgumentException if the override gives empty or invalid bounds
   */
  public ConsensusSettings forFov(String fov) {
    FovOverride o = perFov.get(fov);
    if (o == null) {
      return perFov.isEmpty() ? this : withPerFov(Map.of());
    }
    CrlsmConfig c =
        crlsm.withBounds(
            o.kMin() != null ? o.kMin() : crlsm.kMin(),
            o.kMax() != null ? o.kMax() : crlsm.kMax(),
            o.gammaMin() != null ? o.gammaMin() : crlsm.gammaMin(),
            o.gammaMax() != null ? o.gammaMax() : crlsm.gammaMax());
    return new ConsensusSettings(
        c,
        rls,
        maxFrameGap,
        signal,
        o.couplingScale() != null ? o.couplingScale() : couplingScalePx2,
        o.border() != null ? o.border() : border,
        Map.of(),
        retireAfterFrames);
  }

  public ConsensusSettings withCrlsm(CrlsmConfig c) {
    return new ConsensusSettings(
        c, rls, maxFrameGap, signal, couplingScalePx2, border, perFov, retireAfterFrames);
  }

  public ConsensusSettings withSignal(String s) {
    return new ConsensusSettings(
        crlsm, rls, maxFrameGap, s, couplingScalePx2, border, perFov, retireAfterFrames);
  }

  public ConsensusSettings withCouplingScale(double px2) {
    return new ConsensusSettings(
        crlsm, rls, maxFrameGap, signal, px2, border, perFov, retireAfterFrames);
  }

  public ConsensusSettings withBorder(BorderRule b) {
    return new ConsensusSettings(
        crlsm, rls, maxFrameGap, signal, couplingScalePx2, b, perFov, retireAfterFrames);
  }

  public ConsensusSettings withPerFov(Map<String, FovOverride> m) {
    return new ConsensusSettings(
        crlsm, rls, maxFrameGap, signal, couplingScalePx2, border, m, retireAfterFrames);
  }

  /**
   * These settings with the named choices applied (null or blank: unchanged): {@code objective}
   * ({@code delta-y} or {@code rate}), {@code estimator} ({@code ls} or {@code iv}), {@code
   * parameterisation} ({@code eq1}, {@code eq2}, {@code eq3}; eq1 needs {@code cell}), {@code
   * border} ({@code edge}, {@code ring:W}, {@code list:ID,…}), coupling scale, bounds ({@code
   * LO:HI}) and per-FOV settings ({@link #parsePerFov}).
   *
   * @throws IllegalArgumentException on a bad name or value
   */
  public ConsensusSettings withNamed(
      String objective,
      String estimator,
      String parameterisation,
      Long cell,
      String borderRule,
      Double couplingScale,
      String kBounds,
      String gammaBounds,
      String fovSettings) {
    CrlsmConfig c = crlsm;
    if (present(objective)) {
      c = c.withObjective(CrlsmConfig.Objective.fromWireName(objective));
    }
    if (present(estimator)) {
      c = c.withEstimator(CrlsmConfig.Estimator.fromWireName(estimator));
    }
    if (present(parameterisation)) {
      CrlsmConfig.Parameterisation p = CrlsmConfig.Parameterisation.fromWireName(parameterisation);
      if (p == CrlsmConfig.Parameterisation.EQ1) {
        if (cell == null) {
          throw new IllegalArgumentException("eq1 models one cell: give its track id");
        }
        c = c.withSingleCell(cell);
      } else {
        c = c.withParameterisation(p);
      }
    }
    if (present(kBounds)) {
      double[] b = range(kBounds);
      c = c.withBounds(b[0], b[1], c.gammaMin(), c.gammaMax());
    }
    if (present(gammaBounds)) {
      double[] b = range(gammaBounds);
      c = c.withBounds(c.kMin(), c.kMax(), b[0], b[1]);
    }
    ConsensusSettings s = withCrlsm(c);
    if (present(borderRule)) {
      s = s.withBorder(BorderRule.parse(borderRule));
    }
    if (couplingScale != null) {
      s = s.withCouplingScale(couplingScale);
    }
    if (present(fovSettings)) {
      s = s.withPerFov(parsePerFov(fovSettings));
    }
    return s;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /** These settings with another retirement idle time (frames; 0 = never retire). */
  public ConsensusSettings withRetireAfterFrames(int frames) {
    return new ConsensusSettings(
        crlsm, rls, maxFrameGap, signal, couplingScalePx2, border, perFov, frames);
  }
}
