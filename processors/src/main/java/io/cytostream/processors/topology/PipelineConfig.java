package io.cytostream.processors.topology;

import io.cytostream.processors.anomaly.AnomalyConfig;
import io.cytostream.processors.consensus.ConsensusSettings;
import io.cytostream.processors.pipeline.ImagePipeline;
import io.cytostream.processors.segment.SegmentationConfig;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.processors.track.TrackerConfig;
import io.cytostream.schemas.ClaimCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the topology needs besides the {@code StreamsBuilder}: stage settings and metrics.
 * Immutable; {@link #toBuilder()} makes modified copies.
 *
 * @param metrics where the pipeline's meters go
 * @param emitLabels whether label images travel with cells.observed and tracks (CTC masks)
 * @param segmenters the segmenters and which FOV uses which (the learned model already loaded;
 *     whoever opened them closes them after the topology)
 * @param labelSource label images to use instead of segmentation (null = segment)
 * @param defaultIntervalSeconds frame interval in s used when frames carry neither acquisition time
 *     nor interval
 * @param reorderTimeout how long (wall clock) the tracker waits for a missing frame before
 *     declaring a gap, and how long without arrivals before it finalises the frames it holds
 * @param maxReorderFrames how many frames may wait for a missing one before it is declared a gap
 * @param reorderStartupWindow how long (wall clock) after a FOV's first frame the tracker waits for
 *     frames with lower indices before it releases any (0 = none; a FOV that starts with frame 0
 *     never waits): the first frames of a stream may arrive out of order
 * @param pixelRefRoot the directory tree frames by reference ({@code pixelRef}) may be read from;
 *     null = such frames are dead-lettered
 * @param maxPixelRefBytes the largest plane by reference accepted, bytes
 * @param image the denoise and measure settings
 * @param segmentation the classical segmenter's settings
 * @param tracker the linker's settings
 * @param consensus the consensus stage's settings
 * @param anomaly the anomaly tests' thresholds
 * @param frameTap who else sees each frame's planes and final track links (the live view), or
 *     {@link FrameTap#NONE}
 * @param imageParallel run the image stages frame-parallel: a FOV's frames after its calibration
 *     window are spread over every task ({@link CytostreamTopology#parallelImage}); false = each
 *     FOV's frames on its one task, in order
 */
public record PipelineConfig(
    PipelineMetrics metrics,
    boolean emitLabels,
    Segmenters segmenters,
    LabelSource labelSource,
    double defaultIntervalSeconds,
    Duration reorderTimeout,
    int maxReorderFrames,
    Duration reorderStartupWindow,
    Path pixelRefRoot,
    long maxPixelRefBytes,
    ImagePipeline.Settings image,
    SegmentationConfig segmentation,
    TrackerConfig tracker,
    ConsensusSettings consensus,
    AnomalyConfig anomaly,
    FrameTap frameTap,
    boolean imageParallel) {

  public PipelineConfig {
    frameTap = frameTap == null ? FrameTap.NONE : frameTap;
    Objects.requireNonNull(anomaly, "anomaly");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(segmentation, "segmentation");
    Objects.requireNonNull(consensus, "consensus");
    segmenters = segmenters == null ? Segmenters.classical() : segmenters;
    if (!(defaultIntervalSeconds > 0)) {
      throw new IllegalArgumentException(
          "frame interval must be > 0 s, got " + defaultIntervalSeconds);
    }
    if (maxReorderFrames < 0) {
      throw new IllegalArgumentException("maxReorderFrames must be >= 0");
    }
    if (maxPixelRefBytes <= 0) {
      throw new IllegalArgumentException("maxPixelRefBytes must be > 0");
    }
    Objects.requireNonNull(reorderStartupWindow, "reorderStartupWindow");
    if (reorderStartupWindow.isNegative()) {
      throw new IllegalArgumentException("reorderStartupWindow must be >= 0");
    }
  }

  /** The default {@link #reorderStartupWindow()}. */
  public static final Duration DEFAULT_STARTUP_WINDOW = Duration.ofSeconds(2);

  /** Defaults: no-op metrics, no label images on the wire, classical segmentation, 1 s frames. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(
        PipelineMetrics.noop(),
        false,
        Segmenters.classical(),
        null,
        1.0,
        Duration.ofSeconds(30),
        8,
        DEFAULT_STARTUP_WINDOW,
        null,
        ClaimCheck.DEFAULT_MAX_REF_BYTES,
        ImagePipeline.Settings.defaults(),
        SegmentationConfig.defaults(),
        TrackerConfig.defaults(),
        ConsensusSettings.defaults(),
        AnomalyConfig.defaults(),
        FrameTap.NONE,
        false);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public PipelineConfig withMetrics(PipelineMetrics m) {
    return toBuilder().metrics(m).build();
  }

  public PipelineConfig withEmitLabels(boolean e) {
    return toBuilder().emitLabels(e).build();
  }

  public PipelineConfig withSegmenters(Segmenters s) {
    return toBuilder().segmenters(s).build();
  }

  public PipelineConfig withFrameTap(FrameTap t) {
    return toBuilder().frameTap(t).build();
  }

  public PipelineConfig withReorder(Duration timeout, int maxFrames) {
    return toBuilder().reorderTimeout(timeout).maxReorderFrames(maxFrames).build();
  }

  public PipelineConfig withImageParallel(boolean p) {
    return toBuilder().imageParallel(p).build();
  }

  public PipelineConfig withReorderStartupWindow(Duration window) {
    return toBuilder().reorderStartupWindow(window).build();
  }

  /** Frames by reference read from under {@code root} (null: refused), up to {@code maxBytes}. */
  public PipelineConfig withPixelRefs(Path root, long maxBytes) {
    return toBuilder().pixelRefRoot(root).maxPixelRefBytes(maxBytes).build();
  }

  /** A mutable copy to change several settings at once. */
  public static final class Builder {
    private PipelineMetrics metrics;
    private boolean emitLabels;
    private Segmenters segmenters;
    private LabelSource labelSource;
    private double defaultIntervalSeconds;
    private Duration reorderTimeout;
    private int maxReorderFrames;
    private Duration reorderStartupWindow;
    private Path pixelRefRoot;
    private long maxPixelRefBytes;
    private ImagePipeline.Settings image;
    private SegmentationConfig segmentation;
    private TrackerConfig tracker;
    private ConsensusSettings consensus;
    private AnomalyConfig anomaly;
    private FrameTap frameTap;
    private boolean imageParallel;

    private Builder(PipelineConfig c) {
      metrics = c.metrics;
      emitLabels = c.emitLabels;
      segmenters = c.segmenters;
      labelSource = c.labelSource;
      defaultIntervalSeconds = c.defaultIntervalSeconds;
      reorderTimeout = c.reorderTimeout;
      maxReorderFrames = c.maxReorderFrames;
      reorderStartupWindow = c.reorderStartupWindow;
      pixelRefRoot = c.pixelRefRoot;
      maxPixelRefBytes = c.maxPixelRefBytes;
      image = c.image;
      segmentation = c.segmentation;
      tracker = c.tracker;
      consensus = c.consensus;
      anomaly = c.anomaly;
      frameTap = c.frameTap;
      imageParallel = c.imageParallel;
    }

    public Builder metrics(PipelineMetrics v) {
      metrics = v;
      return this;
    }

    public Builder emitLabels(boolean v) {
      emitLabels = v;
      return this;
    }

    public Builder segmenters(Segmenters v) {
      segmenters = v;
      return this;
    }

    public Builder labelSource(LabelSource v) {
      labelSource = v;
      return this;
    }

    public Builder defaultIntervalSeconds(double v) {
      defaultIntervalSeconds = v;
      return this;
    }

    public Builder reorderTimeout(Duration v) {
      reorderTimeout = v;
      return this;
    }

    public Builder maxReorderFrames(int v) {
      maxReorderFrames = v;
      return this;
    }

    public Builder reorderStartupWindow(Duration v) {
      reorderStartupWindow = v;
      return this;
    }

    public Builder pixelRefRoot(Path v) {
      pixelRefRoot = v;
      return this;
    }

    public Builder maxPixelRefBytes(long v) {
      maxPixelRefBytes = v;
      return this;
    }

    public Builder image(ImagePipeline.Settings v) {
      image = v;
      return this;
    }

    public Builder segmentation(SegmentationConfig v) {
      segmentation = v;
      return this;
    }

    public Builder tracker(TrackerConfig v) {
      tracker = v;
      return this;
    }

    public Builder consensus(ConsensusSettings v) {
      consensus = v;
      return this;
    }

    public Builder anomaly(AnomalyConfig v) {
      anomaly = v;
      return this;
    }

    public Builder frameTap(FrameTap v) {
      frameTap = v;
      return this;
    }

    public Builder imageParallel(boolean v) {
      imageParallel = v;
      return this;
    }

    public PipelineConfig build() {
      return new PipelineConfig(
          metrics,
          emitLabels,
          segmenters,
          labelSource,
          defaultIntervalSeconds,
          reorderTimeout,
          maxReorderFrames,
          reorderStartupWindow,
          pixelRefRoot,
          maxPixelRefBytes,
          image,
          segmentation,
          tracker,
          consensus,
          anomaly,
          frameTap,
          imageParallel);
    }
  }
}
