package io.cytostream.ingest.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Everything that defines a simulated movie; with the same config (seed included) {@link
 * CultureSimulator} produces the same frames, bit for bit. Build one with {@link #builder()} (a
 * {@link SimulationConfigBuilder}); {@link #defaults()} is a 512×512, 60-cell, 100-frame culture.
 *
 * <p>Units: px (pixels), frame (one frame interval), s (seconds), ADU (camera analog-digital units,
 * the uint16 pixel value), signal units (the calcium variable y of the consensus model, DESIGN.md
 * section 4). The defaults keep the Euler step stable: the per-cell gain Δt·k·Σ_j w_ij/|N_i| of
 * interior cells averages 0.18 (largest 0.27) at the 512² defaults and 0.35 (largest 0.6) at 2048²
 * with 500 cells; the constructor refuses configs whose estimate
 * Δt·k·0.85·(W·H/cells)·cellScale²/couplingScale reaches 1 (cellScale of {@link RenderStyle}).
 *
 * @param width image width, px (default 512; 16..16384)
 * @param height image height, px (default 512; 16..16384)
 * @param cells number of cells in the field of view at frame 0, approximately (default 60): the
 *     cell spacing is chosen so that this many fit in the part of the image the culture covers;
 *     cells cut by the image edge come on top, and the culture extends beyond the image (a {@link
 *     RenderStyle#cellScale()} s makes cells s× wider and about cells/s² of them)
 * @param frames number of frames (time steps) to simulate (default 100)
 * @param seed random seed (default 1)
 * @param frameIntervalSeconds Δt between frames, s (default 1.0); also the Euler step
 * @param driftSpeed RMS speed of the whole culture's smooth drift, px/frame (default 0.25); the
 *     drift is a sum of slow sinusoids, so the culture wanders but stays in place on average
 * @param cellJitter RMS displacement of each cell's seed around its anchor, px (default 1.5), an
 *     Ornstein–Uhlenbeck process with a correlation time of 30 frames
 * @param divisionProbability probability per cell and frame that a cell divides (default 5e-4: a
 *     few divisions in 100 frames of 60 cells); cells younger than 20 frames or crowded (a
 *     neighbour seed closer than 0.6 of the cell spacing) do not divide
 * @param k the true coupling of the consensus model, per s per unit of coupling weight (default
 *     0.05; the paper's bounds are [0.001, 0.1])
 * @param couplingScale px² dividing u_ij·l_ij to give the coupling weight w_ij (default 1000): u·l
 *     in raw px² (~2500 for default cells) would make any k in the paper's bounds unstable
 * @param minSharedBorder minimum shared border l_ij, px, for two cells to be neighbours (default 5)
 * @param borderMargin a cell with a pixel within this many px of the image edge is an input
 *     (border) cell; 0 (default) means a pixel on the outermost row or column
 * @param gammaMin lower end of the uniform range of the feed term γ_i, signal units/s (default 0)
 * @param gammaMax upper end of that range (default 0.002; the paper's bounds are [−3e−5, 0.1])
 * @param baselineSignal mean resting level of the input (border) cells' prescribed signal, signal
 *     units (default 0.4; each cell's level is drawn within ±0.05 of it)
 * @param inputSpikeRate rate of calcium spikes in the prescribed signal of input cells, per cell
 *     per s (default 0.005)
 * @param inputSpikeAmplitude mean spike height in the prescribed signal, signal units (default 0.5;
 *     each spike is drawn in [0.5, 1.5] × this)
 * @param renderA render map offset a in {@code log(raw + 1) = a + b·y} (default ln 400)
 * @param renderB render map slope b (default 1.5); a cell pixel's expected value is {@code exp(a +
 *     b·y) − 1} ADU (y = 0.4 gives 728 ADU, saturation at y ≈ 3.4)
 * @param background expected value of background and junction pixels, ADU (default 100)
 * @param gain Poisson gain, ADU per photon (default 2.0): a pixel of expected value λ ADU is {@code
 *     gain · Poisson(λ / gain)} plus read-out noise, so its variance is {@code gain·λ + readNoise²}
 * @param readNoise Gaussian read-out noise σ, ADU (default 8)
 * @param hotPixelRate probability per pixel and frame of a hot pixel at 65535 (default 1e-5)
 * @param gapWidth width of the dark junction band drawn between neighbouring cells, px (default
 *     1.5; 0 disables it); junction pixels keep their cell's label but have background intensity
 * @param cultureRadius mean radius of the culture footprint as a fraction of (width + height)/2
 *     (default 0.6: the culture covers the middle and runs off the image edges, the corners are
 *     background)
 * @param anomalies anomalies to inject (default none)
 * @param style optional looks of the images (default {@link RenderStyle#DEFAULT}, the standard
 *     output; null means the default); written to truth.json only when not the default
 */
public record SimulationConfig(
    int width,
    int height,
    int cells,
    int frames,
    long seed,
    double frameIntervalSeconds,
    double driftSpeed,
    double cellJitter,
    double divisionProbability,
    double k,
    double couplingScale,
    int minSharedBorder,
    int borderMargin,
    double gammaMin,
    double gammaMax,
    double baselineSignal,
    double inputSpikeRate,
    double inputSpikeAmplitude,
    double renderA,
    double renderB,
    double background,
    double gain,
    double readNoise,
    double hotPixelRate,
    double gapWidth,
    double cultureRadius,
    List<AnomalySpec> anomalies,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RenderStyle.OmitDefault.class)
        RenderStyle style) {

  /** Estimated Euler gain above which a config is refused. */
  static final double MAX_ESTIMATED_GAIN = 1.0;

  /** Validates every field; see the record description for the ranges. */
  public SimulationConfig {
    anomalies = List.copyOf(Objects.requireNonNull(anomalies, "anomalies"));
    style = style == null ? RenderStyle.DEFAULT : style;
    check(width >= 16 && width <= 16384, "width must be in 16..16384");
    check(height >= 16 && height <= 16384, "height must be in 16..16384");
    check(cells >= 1, "cells must be >= 1");
    check(frames >= 1, "frames must be >= 1");
    check(finite(frameIntervalSeconds) && frameIntervalSeconds > 0, "frameIntervalSeconds > 0");
    check(finite(driftSpeed) && driftSpeed >= 0, "driftSpeed >= 0");
    check(finite(cellJitter) && cellJitter >= 0, "cellJitter >= 0");
    check(divisionProbability >= 0 && divisionProbability <= 1, "divisionProbability in [0, 1]");
    check(finite(k) && k >= 0, "k >= 0");
    check(finite(couplingScale) && couplingScale > 0, "couplingScale > 0");
    check(minSharedBorder >= 1, "minSharedBorder >= 1");
    check(borderMargin >= 0 && 2 * borderMargin < Math.min(width, height), "borderMargin range");
    check(finite(gammaMin) && finite(gammaMax) && gammaMin <= gammaMax, "gammaMin <= gammaMax");
    check(finite(baselineSignal), "baselineSignal finite");
    check(finite(inputSpikeRate) && inputSpikeRate >= 0, "inputSpikeRate >= 0");
    check(finite(inputSpikeAmplitude), "inputSpikeAmplitude finite");
    check(finite(renderA), "renderA finite");
    check(finite(renderB) && renderB > 0, "renderB > 0 (the render map must be increasing)");
    check(finite(background) && background >= 0 && background <= 65535, "background in ADU");
    check(finite(gain) && gain > 0, "gain > 0");
    check(finite(readNoise) && readNoise >= 0, "readNoise >= 0");
    check(hotPixelRate >= 0 && hotPixelRate <= 1, "hotPixelRate in [0, 1]");
    check(gapWidth >= 0 && gapWidth <= 4, "gapWidth in [0, 4] px");
    check(finite(cultureRadius) && cultureRadius > 0, "cultureRadius > 0");
    double maxK = k;
    for (AnomalySpec a : anomalies) {
      check(a.frame() < frames, a.type().wireName() + " at frame " + a.frame() + " >= frames");
      if (a.type() == AnomalyType.MODEL_DRIFT) {
        maxK = Math.max(maxK, Double.isNaN(a.magnitude()) ? 2 * k : a.magnitude());
      }
    }
    double eulerGain =
        estimatedEulerGain(width, height, cells, frameIntervalSeconds, maxK, couplingScale)
            * style.cellScale()
            * style.cellScale();
    check(
        eulerGain < MAX_ESTIMATED_GAIN,
        "unstable Euler step: estimated dt*k*mean(u*l)/couplingScale = "
            + eulerGain
            + " (>= 1); lower k or dt, or raise couplingScale or cells");
  }

  /**
   * Δt·k·E[u·l]/couplingScale for hexagonal cells of area W·H/cells, counting the border as
   * 4-connected pixel pairs (about 1.27 × the Euclidean length): u·l ≈ 0.85·A.
   */
  static double estimatedEulerGain(
      int width, int height, int cells, double dt, double k, double couplingScale) {
    double area = (double) width * height / cells;
    return dt * k * 0.85 * area / couplingScale;
  }

  private static boolean finite(double v) {
    return Double.isFinite(v);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The default config (see the field descriptions). */
  public static SimulationConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static SimulationConfigBuilder builder() {
    return new SimulationConfigBuilder();
  }

  /** A builder holding this config's values. */
  public SimulationConfigBuilder toBuilder() {
    return SimulationConfigBuilder.from(this);
  }
}
