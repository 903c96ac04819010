package io.cytostream.ingest.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of {@code truth.json}: the config, the model and render definitions, the tracks, the
 * injected anomalies and, per frame, the acquisition time, k and every visible cell's y, role and
 * γ. Read it with {@link #read(Path)} (Jackson; any JSON reader works). Doubles are written so that
 * they read back to the same bits.
 *
 * @param format {@value #FORMAT}
 * @param config the simulation config (NaN magnitudes of anomalies are written as {@code "NaN"})
 * @param model the consensus model as simulated
 * @param render how y became pixels
 * @param tracks the tracks, as in man_track.txt plus cell id and γ
 * @param anomalies every injected anomaly (also those with {@code applied = false})
 * @param frames one entry per frame, dropped frames included
 */
public record SimulationTruth(
    String format,
    SimulationConfig config,
    Model model,
    Render render,
    List<TrackRecord> tracks,
    List<InjectedAnomaly> anomalies,
    List<Frame> frames) {

  /** The format tag of this version. */
  public static final String FORMAT = "cytostream-sim-truth/1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The consensus model as simulated (DESIGN.md section 4), in words precise enough to recompute it
   * from the label images.
   *
   * @param equation the update of an INTERIOR cell
   * @param k coupling at frame 0 (a {@code model_drift} anomaly changes it; see {@link Frame#k()})
   * @param dtSeconds Δt, s
   * @param couplingWeight how w_ij is made from u_ij and l_ij
   * @param couplingScale the divisor of u_ij·l_ij, px²
   * @param sharedBorder how l_ij is counted
   * @param centroidDistance how u_ij is measured
   * @param adjacency Ad(i)
   * @param minSharedBorder the threshold in Ad(i), px
   * @param neighbourCount |N_i|
   * @param interiorRule which cells follow the model
   * @param borderMargin the border zone, px
   * @param inputSignal the prescribed signal of the other cells
   * @param division what daughters inherit
   * @param gammaRange [min, max] of the uniform draw of γ_i, signal units/s
   * @param paperBoundsK the paper's box bounds on k
   * @param paperBoundsGamma the paper's box bounds on γ_i
   * @param maxEulerGain the largest Δt·k·Σ_j w_ij/|N_i| met (stable below 1)
   */
  public record Model(
      String equation,
      double k,
      double dtSeconds,
      String couplingWeight,
      double couplingScale,
      String sharedBorder,
      String centroidDistance,
      String adjacency,
      int minSharedBorder,
      String neighbourCount,
      String interiorRule,
      int borderMargin,
      String inputSignal,
      String division,
      double[] gammaRange,
      double[] paperBoundsK,
      double[] paperBoundsGamma,
      double maxEulerGain) {}

  /**
   * How y became pixel values.
   *
   * @param map the render map
   * @param a its offset
   * @param b its slope
   * @param background expected value of background and junction pixels, ADU
   * @param noise the noise model
   * @param gainAduPerPhoton Poisson gain
   * @param readNoiseAdu Gaussian read-out σ
   * @param hotPixelRate per pixel and frame
   * @param hotPixelValue the value of a hot (and a saturated) pixel
   * @param gapWidthPx width of the junction band
   * @param junction what junction pixels are
   */
  public record Render(
      String map,
      double a,
      double b,
      double background,
      String noise,
      double gainAduPerPhoton,
      double readNoiseAdu,
      double hotPixelRate,
      int hotPixelValue,
      double gapWidthPx,
      String junction) {}

  /**
   * One frame.
   *
   * @param index frame index
   * @param timeSeconds acquisition time, s
   * @param dropped whether the camera dropped it (no raw image)
   * @param k the coupling in force for this frame's step
   * @param cells the visible cells, by label
   */
  public record Frame(
      int index, double timeSeconds, boolean dropped, double k, List<CellRow> cells) {}

  /**
   * One visible cell in one frame (see {@link CellTruth}).
   *
   * @param label track label
   * @param y calcium, signal units
   * @param role how y was produced
   * @param gamma γ_i in force, signal units/s
   * @param excess injected addition to y, signal units
   */
  public record CellRow(int label, double y, CellTruth.Role role, double gamma, double excess) {}

  /** The model definition for {@code config}. */
  public static Model model(SimulationConfig config, double maxEulerGain) {
    return new Model(
        "y_i(t) = y_i(t-1) + dt*(k(t)*phi_i + gamma_i(t)) + excess_i(t),"
            + " phi_i = (1/|N_i|)*sum_{j in Ad(i)} w_ij*(y_j(t-1) - y_i(t-1)), phi_i = 0 if |N_i| = 0;"
            + " for a daughter's first frame y_i(t-1), Ad(i) and w are its parent's",
        config.k(),
        config.frameIntervalSeconds(),
        "w_ij = u_ij*l_ij/couplingScale",
        config.couplingScale(),
        "l_ij = number of unordered 4-adjacent pixel pairs ((x,y),(x+1,y)) or ((x,y),(x,y+1)) in"
            + " the label image of frame t-1 with one pixel labelled i and the other j, junction"
            + " pixels included (the crack-boundary length in px)",
        "u_ij = Euclidean distance in px between the centroids of labels i and j in the label"
            + " image of frame t-1; a centroid is the mean (column, row) index of the label's pixels",
        "Ad(i) = labels j != i, j != 0, with l_ij >= minSharedBorder",
        config.minSharedBorder(),
        "|N_i| = |Ad(i)|",
        "y_i(t) follows the equation (role INTERIOR) when cell i (for a daughter's first frame: its"
            + " parent) has a label in frame t-1 with no pixel at x <= m, y <= m, x >= W-1-m or"
            + " y >= H-1-m (m = borderMargin); otherwise it follows the input signal (role INPUT)",
        config.borderMargin(),
        "y(t) = y(t-1) + beta*(s(t) - y(t-1)), beta = 1 - exp(-dt/2s);"
            + " s(t) = baseline + A1*sin(w1*t*dt + p1) + A2*sin(w2*t*dt + p2) + z(t),"
            + " z(t) = z(t-1)*exp(-dt/8s) + spike, spikes at rate inputSpikeRate of height"
            + " [0.5, 1.5]*inputSpikeAmplitude; baseline = baselineSignal +- 0.05,"
            + " A in [0.02, 0.06], periods 2*pi/w in [60, 300] s",
        "daughters start at the division frame with the parent's y (the parent's step from t-1),"
            + " gamma, input signal and role; the parent's track ends at t-1 and each daughter's"
            + " track, if visible, starts at t with the parent as P",
        new double[] {config.gammaMin(), config.gammaMax()},
        new double[] {0.001, 0.1},
        new double[] {-3e-5, 0.1},
        maxEulerGain);
  }

  /** The render definition for {@code config}. */
  public static Render render(SimulationConfig config) {
    return new Render(
        "expected ADU = exp(a + b*y) - 1 for non-junction cell pixels, i.e. log(raw+1) = a + b*y",
        config.renderA(),
        config.renderB(),
        config.background(),
        "raw = clip(round(gain*Poisson(lambda/gain) + Normal(0, readNoise^2)), 0, 65535);"
            + " mean lambda, variance gain*lambda + readNoise^2; then hot pixels set to 65535",
        config.gain(),
        config.readNoise(),
        config.hotPixelRate(),
        65535,
        config.gapWidth(),
        "pixels within gapWidth/2 of the (power-diagram) border with another cell keep that"
            + " cell's label but have the background's expected value");
  }

  /** The truth of one simulated frame. */
  public static Frame frame(SimulatedFrame f) {
    List<CellRow> rows = new ArrayList<>(f.cells().size());
    for (CellTruth c : f.cells()) {
      rows.add(new CellRow(c.label(), c.y(), c.role(), c.gamma(), c.excess()));
    }
    return new Frame(f.index(), f.timeSeconds(), f.dropped(), f.k(), rows);
  }

  /** Reads a truth.json. */
  public static SimulationTruth read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), SimulationTruth.class);
  }

  /** Writes this as JSON to {@code file}, replacing it. */
  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }
}
