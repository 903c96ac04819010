package io.cytostream.processors.anomaly;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Thresholds of the anomaly detectors. {@link #documented()} holds the values chosen by hand
 * (documented below); {@link #defaults()}, which the service and {@code process} use, replaces the
 * thresholds of the per-cell tests by those of the shipped calibration, {@code
 * calibrated-thresholds.properties} next to this class: each set from a target false-alarm rate
 * measured through the whole chain on clean simulated cultures ({@code ./cytostream evaluate
 * --calibrate}, {@link io.cytostream.processors.evaluate.Calibration}). Keys of that file are the
 * builder's setter names ({@code spikeThreshold}, {@code aberrantThreshold}, {@code
 * cusumThreshold}, {@code areaChangeZ}, {@code trackLostMinRelativeArea}; {@code
 * areaChangeFraction} and {@code trackLostMinFrames} are accepted too); a missing file or key keeps
 * the documented value.
 *
 * @param spikeThreshold a cell's excess over the field's consensus at the same frame, in field σ
 *     ({@link FieldResidualTest}: u minus the cell's own feed level), above which the frame is an
 *     unexplained spike (documented 5; the shipped calibration sets it, 34.3: the clean
 *     uneven-illumination cultures' worst segmentation glitches reach 30–49 σ, the other styles' 13
 *     σ, the injected spikes 170–390 σ)
 * @param spikeWarmupRows rows a cell's own RLS filter must have absorbed before its outlier rule
 *     ({@link SpikeDetector}, {@link AnomalyPipeline#ROW_OUTLIER_SIGMAS}) applies (default 30: σ̂
 *     from fewer rows has heavy Student-t tails)
 * @param aberrantThreshold robust z of a cell's feed against the field's ({@link
 *     FieldResidualTest}: (γ̂_i − median γ̂) / max(1.4826 MAD γ̂, SE_i)) above which the cell is
 *     aberrant (documented 8, Iglewicz–Hoaglin's outlier label is 3.5 and events should be rare;
 *     the shipped calibration sets it)
 * @param aberrantWarmupRows rows a cell needed before the own-history aberrant test ({@link
 *     AberrantCellDetector}, no longer run by the pipeline) compared its k_i, γ_i (default 50)
 * @param aberrantMinCells fewest warm cells for that test's culture median (default 8)
 * @param cusumSlack CUSUM reference value κ in σ units (default 1: tuned to shifts of about 2σ)
 * @param cusumThreshold CUSUM decision interval h in σ units (default 6: Siegmund's in-control run
 *     length ≈ 4·10^5 rows per side for Gaussian residuals; a 4σ shift is found in 2–3 rows, a 2σ
 *     shift in about 6)
 * @param driftWarmupRows rows before the CUSUM runs (default 30)
 * @param areaChangeFraction relative area change |a_t/a_prev − 1| above which an area change is
 *     reported (default 0.5)
 * @param areaChangeSightings consecutive sightings the changed area must hold before it is reported
 *     (default 2: a one-frame segmentation glitch — a merge or split that is gone at the next frame
 *     — is not a biological area change; 1 reports at the first sighting)
 * @param areaChangeZ when above 0, an area change must also exceed this many σ of the track's
 *     segmentation noise: z = |ln(a / a_ref)| / σ, σ the larger of the track's own jitter of ln
 *     area between consecutive frames and the field's median jitter (at least 0.02), so that a
 *     change is judged against how steady the segmentation of this cell and field is (documented
 *     default 0: off; the calibration sets it)
 * @param trackMemoryFrames frames a track's last area is remembered after it was last seen (default
 *     10, longer than the tracker's gap closing)
 * @param trackLostMinFrames a lost track is reported when it was longer than this many frames
 *     (first to last sighting; documented default 0: every loss)
 * @param trackLostMinRelativeArea a lost track is reported when its typical area was more than this
 *     share of the field's median typical area (statistic {@code relative_area}: a piece of a cell
 *     that the segmenter cut off and lost again is a fraction of a cell, a cell that vanishes is a
 *     whole one; documented default 0: every loss; the calibration sets it)
 * @param hotPixelFactor a burst is a hot-pixel count above factor × running median + min excess
 *     (default 5)
 * @param hotPixelMinExcess see {@code hotPixelFactor} (default 20 pixels)
 * @param saturationFraction saturated-pixel fraction above which a frame is saturated (default
 *     0.002, hot pixels not counted: one clipped small nucleus, 0.8 % of a 384² field in the
 *     simulated sparse culture, already spoils that cell's intensity; 0.01 missed it)
 * @param collapseFraction a frame mean or sharpness below (1 − this) × its running median is a
 *     collapse (default 0.5: a drop of more than 50 %)
 * @param qualityWindow frames in the running medians (default 31)
 * @param qualityWarmupFrames frames before the running-median tests start (default 5)
 */
public record AnomalyConfig(
    double spikeThreshold,
    long spikeWarmupRows,
    double aberrantThreshold,
    long aberrantWarmupRows,
    int aberrantMinCells,
    double cusumSlack,
    double cusumThreshold,
    long driftWarmupRows,
    double areaChangeFraction,
    int areaChangeSightings,
    double areaChangeZ,
    long trackMemoryFrames,
    double trackLostMinFrames,
    double trackLostMinRelativeArea,
    double hotPixelFactor,
    double hotPixelMinExcess,
    double saturationFraction,
    double collapseFraction,
    int qualityWindow,
    int qualityWarmupFrames) {

  /** The shipped calibration's resource name (next to this class). */
  public static final String CALIBRATION_RESOURCE = "calibrated-thresholds.properties";

  private static final Properties CALIBRATED = loadCalibration();

  private static Properties loadCalibration() {
    Properties p = new Properties();
    try (InputStream in = AnomalyConfig.class.getResourceAsStream(CALIBRATION_RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CALIBRATION_RESOURCE, e);
    }
    return p;
  }

  /**
   * The defaults: the documented values with the shipped calibration's thresholds ({@link
   * #CALIBRATION_RESOURCE}) in place.
   */
  public static AnomalyConfig defaults() {
    return builder().build();
  }

  /** The values chosen by hand, without the calibration (documented on the parameters). */
  public static AnomalyConfig documented() {
    return new Builder().build();
  }

  /** A builder that starts from {@link #defaults()}; set only what differs. */
  public static Builder builder() {
    return new Builder().calibrated(CALIBRATED);
  }

  /** The calibrated values of the shipped file, by key (empty without one). */
  public static Map<String, Double> calibration() {
    Map<String, Double> m = new TreeMap<>();
    for (String k : CALIBRATED.stringPropertyNames()) {
      m.put(k, Double.parseDouble(CALIBRATED.getProperty(k).trim()));
    }
    return m;
  }

  /** A builder that starts from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.spikeThreshold = spikeThreshold;
    b.spikeWarmupRows = spikeWarmupRows;
    b.aberrantThreshold = aberrantThreshold;
    b.aberrantWarmupRows = aberrantWarmupRows;
    b.aberrantMinCells = aberrantMinCells;
    b.cusumSlack = cusumSlack;
    b.cusumThreshold = cusumThreshold;
    b.driftWarmupRows = driftWarmupRows;
    b.areaChangeFraction = areaChangeFraction;
    b.areaChangeSightings = areaChangeSightings;
    b.areaChangeZ = areaChangeZ;
    b.trackMemoryFrames = trackMemoryFrames;
    b.trackLostMinFrames = trackLostMinFrames;
    b.trackLostMinRelativeArea = trackLostMinRelativeArea;
    b.hotPixelFactor = hotPixelFactor;
    b.hotPixelMinExcess = hotPixelMinExcess;
    b.saturationFraction = saturationFraction;
    b.collapseFraction = collapseFraction;
    b.qualityWindow = qualityWindow;
    b.qualityWarmupFrames = qualityWarmupFrames;
    return b;
  }

  /** A copy with another {@code areaChangeSightings}. */
  public AnomalyConfig withAreaChangeSightings(int sightings) {
    return toBuilder().areaChangeSightings(sightings).build();
  }

  /**
   * Builds an {@link AnomalyConfig} by name, starting from the documented defaults (see the
   * record's parameters for each value's meaning and unit).
   */
  public static final class Builder {
    private double spikeThreshold = 5.0;
    private long spikeWarmupRows = 30;
    private double aberrantThreshold = 8.0;
    private long aberrantWarmupRows = 50;
    private int aberrantMinCells = 8;
    private double cusumSlack = 1.0;
    private double cusumThreshold = 6.0;
    private long driftWarmupRows = 30;
    private double areaChangeFraction = 0.5;
    private int areaChangeSightings = 2;
    private double areaChangeZ = 0;
    private long trackMemoryFrames = 10;
    private double trackLostMinFrames = 0;
    private double trackLostMinRelativeArea = 0;
    private double hotPixelFactor = 5.0;
    private double hotPixelMinExcess = 20;
    private double saturationFraction = 0.002;
    private double collapseFraction = 0.5;
    private int qualityWindow = 31;
    private int qualityWarmupFrames = 5;

    private Builder() {}

    /**
     * Sets the thresholds named in {@code p} (keys: the setter names of the calibrated tests).
     *
     * @throws IllegalArgumentException for an unknown key or a value that is not a number
     */
    public Builder calibrated(Properties p) {
      for (String key : p.stringPropertyNames()) {
        double v = Double.parseDouble(p.getProperty(key).trim());
        switch (key) {
          case "spikeThreshold" -> spikeThreshold = v;
          case "aberrantThreshold" -> aberrantThreshold = v;
          case "cusumThreshold" -> cusumThreshold = v;
          case "areaChangeFraction" -> areaChangeFraction = v;
          case "areaChangeZ" -> areaChangeZ = v;
          case "trackLostMinFrames" -> trackLostMinFrames = v;
          case "trackLostMinRelativeArea" -> trackLostMinRelativeArea = v;
          default -> throw new IllegalArgumentException("unknown calibrated threshold " + key);
        }
      }
      return this;
    }

    /** Sets {@link AnomalyConfig#spikeThreshold()}. */
    public Builder spikeThreshold(double v) {
      spikeThreshold = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#spikeWarmupRows()}. */
    public Builder spikeWarmupRows(long v) {
      spikeWarmupRows = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#aberrantThreshold()}. */
    public Builder aberrantThreshold(double v) {
      aberrantThreshold = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#aberrantWarmupRows()}. */
    public Builder aberrantWarmupRows(long v) {
      aberrantWarmupRows = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#aberrantMinCells()}. */
    public Builder aberrantMinCells(int v) {
      aberrantMinCells = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#cusumSlack()}. */
    public Builder cusumSlack(double v) {
      cusumSlack = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#cusumThreshold()}. */
    public Builder cusumThreshold(double v) {
      cusumThreshold = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#driftWarmupRows()}. */
    public Builder driftWarmupRows(long v) {
      driftWarmupRows = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#areaChangeFraction()}. */
    public Builder areaChangeFraction(double v) {
      areaChangeFraction = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#areaChangeSightings()}. */
    public Builder areaChangeSightings(int v) {
      areaChangeSightings = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#areaChangeZ()}. */
    public Builder areaChangeZ(double v) {
      areaChangeZ = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#trackMemoryFrames()}. */
    public Builder trackMemoryFrames(long v) {
      trackMemoryFrames = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#trackLostMinFrames()}. */
    public Builder trackLostMinFrames(double v) {
      trackLostMinFrames = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#trackLostMinRelativeArea()}. */
    public Builder trackLostMinRelativeArea(double v) {
      trackLostMinRelativeArea = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#hotPixelFactor()}. */
    public Builder hotPixelFactor(double v) {
      hotPixelFactor = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#hotPixelMinExcess()}. */
    public Builder hotPixelMinExcess(double v) {
      hotPixelMinExcess = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#saturationFraction()}. */
    public Builder saturationFraction(double v) {
      saturationFraction = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#collapseFraction()}. */
    public Builder collapseFraction(double v) {
      collapseFraction = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#qualityWindow()}. */
    public Builder qualityWindow(int v) {
      qualityWindow = v;
      return this;
    }

    /** Sets {@link AnomalyConfig#qualityWarmupFrames()}. */
    public Builder qualityWarmupFrames(int v) {
      qualityWarmupFrames = v;
      return this;
    }

    /** The configuration. */
    public AnomalyConfig build() {
      return new AnomalyConfig(
          spikeThreshold,
          spikeWarmupRows,
          aberrantThreshold,
          aberrantWarmupRows,
          aberrantMinCells,
          cusumSlack,
          cusumThreshold,
          driftWarmupRows,
          areaChangeFraction,
          areaChangeSightings,
          areaChangeZ,
          trackMemoryFrames,
          trackLostMinFrames,
          trackLostMinRelativeArea,
          hotPixelFactor,
          hotPixelMinExcess,
          saturationFraction,
          collapseFraction,
          qualityWindow,
          qualityWarmupFrames);
    }
  }
}
