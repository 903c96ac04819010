package io.cytostream.processors.evaluate;

import io.cytostream.ingest.sim.AnomalySpec;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.sim.SimulationConfigBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code evaluate} runs: CTC sequences, held-out images of the annotated training sets ({@link
 * HeldOutImages}) and simulated cultures. {@link #ci()} is small enough for CI; {@link #full()} is
 * everything.
 *
 * @param name the panel's name
 * @param sequences CTC sequences (under {@code ../shared/data/ctc})
 * @param heldOut held-out image sets
 * @param cultures simulated cultures
 */
public record Panel(
    String name, List<CtcCase> sequences, List<HeldOutCase> heldOut, List<SimCase> cultures) {

  /**
   * A CTC sequence.
   *
   * @param name its name in tables
   * @param dataset the folder under {@code ctc/}, e.g. {@code Fluo-N2DH-SIM+}
   * @param sequence e.g. {@code 01}
   * @param frames frames to run (the first ones), 0 = all
   * @param idealLabels the ground-truth folder used as ideal segmentation ({@code SEG} where every
   *     frame is annotated, else {@code TRA}: markers, so SEG is not reported for that run)
   */
  public record CtcCase(
      String name, String dataset, String sequence, int frames, String idealLabels) {}

  /**
   * Held-out images of one training set.
   *
   * @param set the set's folder under {@code train/}, e.g. {@code bbbc039}
   * @param limit at most this many held-out images (by name), 0 = all
   */
  public record HeldOutCase(String set, int limit) {}

  /**
   * A simulated culture.
   *
   * @param style its rendering style
   * @param seed simulator seed
   * @param size width = height, px
   * @param cells cells at frame 0
   * @param frames frames
   * @param anomalies whether every anomaly kind is injected ({@link #schedule}); else clean
   */
  public record SimCase(
      SimStyle style, long seed, int size, int cells, int frames, boolean anomalies) {

    /** The culture's name in tables, e.g. {@code confluent s3 anomalies}. */
    public String name() {
      return String.format(
          Locale.ROOT, "%s s%d %s", style.label(), seed, anomalies ? "anomalies" : "clean");
    }

    /** The simulator's config. */
    public SimulationConfig config() {
      SimulationConfigBuilder b =
          style.apply(
              SimulationConfig.builder().seed(seed).size(size, size).cells(cells).frames(frames));
      if (anomalies) {
        List<AnomalySpec> specs = new ArrayList<>();
        schedule().forEach((type, frame) -> specs.add(AnomalySpec.of(type, frame)));
        b.anomalies(specs);
      }
      return b.build();
    }
  }

  /**
   * The injection schedule of an anomaly culture (≥ 95 frames): every kind once, 6 or more frames
   * apart so that the 3-frame windows do not overlap, the signal tests after their warm-up (the
   * normalisation settles in 10 frames, the spike test needs 30 rows); the aberrant cell from frame
   * 1, since a cell's own γ can only be judged once its filter has rows.
   */
  public static Map<AnomalyType, Integer> schedule() {
    Map<AnomalyType, Integer> m = new LinkedHashMap<>();
    m.put(AnomalyType.ABERRANT_CELL, 1);
    m.put(AnomalyType.HOT_PIXEL_BURST, 30);
    m.put(AnomalyType.SATURATION, 36);
    m.put(AnomalyType.AREA_CHANGE, 42);
    m.put(AnomalyType.DROPPED_FRAME, 48);
    m.put(AnomalyType.SPIKE, 55);
    m.put(AnomalyType.TRACK_LOST, 62);
    m.put(AnomalyType.MODEL_DRIFT, 70);
    m.put(AnomalyType.INTENSITY_COLLAPSE, 85);
    return m;
  }

  /** Frames an anomaly culture needs. */
  public static final int ANOMALY_FRAMES = 95;

  /**
   * The small panel CI runs: SIM+ 01's first 20 frames, 6 held-out DSB images, one anomaly culture
   * and one clean culture (256², 95 and 60 frames).
   */
  public static Panel ci() {
    return new Panel(
        "ci",
        List.of(new CtcCase("Fluo-N2DH-SIM+ 01 (frames 0-19)", "Fluo-N2DH-SIM+", "01", 20, "SEG")),
        List.of(new HeldOutCase("dsb2018-stage1-fluo", 6)),
        List.of(
            new SimCase(SimStyle.CONFLUENT, 3, 256, 15, ANOMALY_FRAMES, true),
            new SimCase(SimStyle.CONFLUENT, 11, 256, 15, 60, false)));
  }

  /**
   * Everything: both CTC sequences whole, every held-out image of the three sets, and per style one
   * anomaly culture and one clean culture (384², 34 cells: the simulator's default density; 95 and
   * 100 frames).
   */
  public static Panel full() {
    List<SimCase> sims = new ArrayList<>();
    for (SimStyle style : SimStyle.values()) {
      sims.add(new SimCase(style, 3, 384, 34, ANOMALY_FRAMES, true));
      sims.add(new SimCase(style, 11, 384, 34, 100, false));
    }
    List<HeldOutCase> held = new ArrayList<>();
    for (String set : HeldOutImages.SETS) {
      held.add(new HeldOutCase(set, 0));
    }
    return new Panel(
        "full",
        List.of(
            new CtcCase("Fluo-N2DH-SIM+ 01", "Fluo-N2DH-SIM+", "01", 0, "SEG"),
            new CtcCase("Fluo-C2DL-MSC 01", "Fluo-C2DL-MSC", "01", 0, "TRA")),
        held,
        sims);
  }

  /** The simulated cultures of {@link #full()} alone (the anomaly figures). */
  public static Panel simulated() {
    Panel f = full();
    return new Panel("sim", List.of(), List.of(), f.cultures());
  }

  /**
   * The learned segmenter's object-size calibration (issue 9): SIM+ 01 and MSC 01 whole, and a
   * clean confluent culture whose cells are twice the simulator's default diameter (512², 15 cells,
   * 40 frames), far from the model's training scale.
   */
  public static Panel scale() {
    Panel f = full();
    return new Panel(
        "scale",
        f.sequences(),
        List.of(),
        List.of(new SimCase(SimStyle.CONFLUENT, 11, 512, 15, 40, false)));
  }

  /** The panel of a name: {@code ci}, {@code full}, {@code sim} or {@code scale}. */
  public static Panel named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "ci" -> ci();
      case "full" -> full();
      case "sim" -> simulated();
      case "scale" -> scale();
      default ->
          throw new IllegalArgumentException("unknown panel '" + name + "' (ci, full, sim, scale)");
    };
  }
}
