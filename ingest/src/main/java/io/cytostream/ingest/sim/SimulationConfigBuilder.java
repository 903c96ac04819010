package io.cytostream.ingest.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Mutable builder of a {@link SimulationConfig}, holding the defaults documented there until a
 * setter changes them; every setter returns the builder, {@link #build()} validates. Units as on
 * the record's fields.
 */
public final class SimulationConfigBuilder {
  private int width = 512;
  private int height = 512;
  private int cells = 60;
  private int frames = 100;
  private long seed = 1;
  private double frameIntervalSeconds = 1.0;
  private double driftSpeed = 0.25;
  private double cellJitter = 1.5;
  private double divisionProbability = 5e-4;
  private double k = 0.05;
  private double couplingScale = 1000;
  private int minSharedBorder = 5;
  private int borderMargin = 0;
  private double gammaMin = 0.0;
  private double gammaMax = 0.002;
  private double baselineSignal = 0.4;
  private double inputSpikeRate = 0.005;
  private double inputSpikeAmplitude = 0.5;
  private double renderA = StrictMath.log(400);
  private double renderB = 1.5;
  private double background = 100;
  private double gain = 2.0;
  private double readNoise = 8.0;
  private double hotPixelRate = 1e-5;
  private double gapWidth = 1.5;
  private double cultureRadius = 0.6;
  private List<AnomalySpec> anomalies = new ArrayList<>();
  private RenderStyle style = RenderStyle.DEFAULT;

  SimulationConfigBuilder() {}

  /** A builder holding the values of {@code c}. */
  static SimulationConfigBuilder from(SimulationConfig c) {
    SimulationConfigBuilder b = new SimulationConfigBuilder();
    b.width = c.width();
    b.height = c.height();
    b.cells = c.cells();
    b.frames = c.frames();
    b.seed = c.seed();
    b.frameIntervalSeconds = c.frameIntervalSeconds();
    b.driftSpeed = c.driftSpeed();
    b.cellJitter = c.cellJitter();
    b.divisionProbability = c.divisionProbability();
    b.k = c.k();
    b.couplingScale = c.couplingScale();
    b.minSharedBorder = c.minSharedBorder();
    b.borderMargin = c.borderMargin();
    b.gammaMin = c.gammaMin();
    b.gammaMax = c.gammaMax();
    b.baselineSignal = c.baselineSignal();
    b.inputSpikeRate = c.inputSpikeRate();
    b.inputSpikeAmplitude = c.inputSpikeAmplitude();
    b.renderA = c.renderA();
    b.renderB = c.renderB();
    b.background = c.background();
    b.gain = c.gain();
    b.readNoise = c.readNoise();
    b.hotPixelRate = c.hotPixelRate();
    b.gapWidth = c.gapWidth();
    b.cultureRadius = c.cultureRadius();
    b.anomalies = new ArrayList<>(c.anomalies());
    b.style = c.style();
    return b;
  }

  /** Image size, px. */
  public SimulationConfigBuilder size(int width, int height) {
    this.width = width;
    this.height = height;
    return this;
  }

  /** See {@link SimulationConfig#cells()}. */
  public SimulationConfigBuilder cells(int cells) {
    this.cells = cells;
    return this;
  }

  /** See {@link SimulationConfig#frames()}. */
  public SimulationConfigBuilder frames(int frames) {
    this.frames = frames;
    return this;
  }

  /** See {@link SimulationConfig#seed()}. */
  public SimulationConfigBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** See {@link SimulationConfig#frameIntervalSeconds()}. */
  public SimulationConfigBuilder frameIntervalSeconds(double seconds) {
    this.frameIntervalSeconds = seconds;
    return this;
  }

  /** See {@link SimulationConfig#driftSpeed()}. */
  public SimulationConfigBuilder driftSpeed(double pxPerFrame) {
    this.driftSpeed = pxPerFrame;
    return this;
  }

  /** See {@link SimulationConfig#cellJitter()}. */
  public SimulationConfigBuilder cellJitter(double px) {
    this.cellJitter = px;
    return this;
  }

  /** See {@link SimulationConfig#divisionProbability()}. */
  public SimulationConfigBuilder divisionProbability(double perCellPerFrame) {
    this.divisionProbability = perCellPerFrame;
    return this;
  }

  /** See {@link SimulationConfig#k()}. */
  public SimulationConfigBuilder k(double k) {
    this.k = k;
    return this;
  }

  /** See {@link SimulationConfig#couplingScale()}. */
  public SimulationConfigBuilder couplingScale(double px2) {
    this.couplingScale = px2;
    return this;
  }

  /** See {@link SimulationConfig#minSharedBorder()}. */
  public SimulationConfigBuilder minSharedBorder(int px) {
    this.minSharedBorder = px;
    return this;
  }

  /** See {@link SimulationConfig#borderMargin()}. */
  public SimulationConfigBuilder borderMargin(int px) {
    this.borderMargin = px;
    return this;
  }

  /** See {@link SimulationConfig#gammaMin()} and {@link SimulationConfig#gammaMax()}. */
  public SimulationConfigBuilder gammaRange(double min, double max) {
    this.gammaMin = min;
    this.gammaMax = max;
    return this;
  }

  /** See {@link SimulationConfig#baselineSignal()}. */
  public SimulationConfigBuilder baselineSignal(double signal) {
    this.baselineSignal = signal;
    return this;
  }

  /** See {@link SimulationConfig#inputSpikeRate()}. */
  public SimulationConfigBuilder inputSpikeRate(double perSecond) {
    this.inputSpikeRate = perSecond;
    return this;
  }

  /** See {@link SimulationConfig#inputSpikeAmplitude()}. */
  public SimulationConfigBuilder inputSpikeAmplitude(double signal) {
    this.inputSpikeAmplitude = signal;
    return this;
  }

  /** The render map {@code log(raw + 1) = a + b·y}. */
  public SimulationConfigBuilder renderMap(double a, double b) {
    this.renderA = a;
    this.renderB = b;
    return this;
  }

  /** See {@link SimulationConfig#background()}. */
  public SimulationConfigBuilder background(double adu) {
    this.background = adu;
    return this;
  }

  /** Poisson gain (ADU per photon) and Gaussian read-out σ (ADU). */
  public SimulationConfigBuilder noise(double gain, double readNoise) {
    this.gain = gain;
    this.readNoise = readNoise;
    return this;
  }

  /** See {@link SimulationConfig#hotPixelRate()}. */
  public SimulationConfigBuilder hotPixelRate(double perPixelPerFrame) {
    this.hotPixelRate = perPixelPerFrame;
    return this;
  }

  /** See {@link SimulationConfig#gapWidth()}. */
  public SimulationConfigBuilder gapWidth(double px) {
    this.gapWidth = px;
    return this;
  }

  /** See {@link SimulationConfig#cultureRadius()}. */
  public SimulationConfigBuilder cultureRadius(double fraction) {
    this.cultureRadius = fraction;
    return this;
  }

  /** The style set so far. */
  RenderStyle currentStyle() {
    return style;
  }

  /** See {@link SimulationConfig#style()}. */
  public SimulationConfigBuilder style(RenderStyle style) {
    this.style = style;
    return this;
  }

  /**
   * A noisy camera: gain 8 ADU per photon and read-out σ 30 ADU (the defaults are 2 and 8), so a
   * resting cell pixel's σ is about 3 × the default's.
   */
  public SimulationConfigBuilder noisy() {
    return noise(8.0, 30.0);
  }

  /** Replaces the anomalies. */
  public SimulationConfigBuilder anomalies(List<AnomalySpec> anomalies) {
    this.anomalies = new ArrayList<>(anomalies);
    return this;
  }

  /** Adds one anomaly. */
  public SimulationConfigBuilder anomaly(AnomalySpec anomaly) {
    this.anomalies.add(anomaly);
    return this;
  }

  /**
   * The config.
   *
   * @throws IllegalArgumentException when a value is out of range or the Euler step would be
   *     unstable
   */
  public SimulationConfig build() {
    return new SimulationConfig(
        width,
        height,
        cells,
        frames,
        seed,
        frameIntervalSeconds,
        driftSpeed,
        cellJitter,
        divisionProbability,
        k,
        couplingScale,
        minSharedBorder,
        borderMargin,
        gammaMin,
        gammaMax,
        baselineSignal,
        inputSpikeRate,
        inputSpikeAmplitude,
        renderA,
        renderB,
        background,
        gain,
        readNoise,
        hotPixelRate,
        gapWidth,
        cultureRadius,
        anomalies,
        style);
  }
}
