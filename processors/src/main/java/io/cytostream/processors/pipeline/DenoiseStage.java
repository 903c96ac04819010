package io.cytostream.processors.pipeline;

import io.cytostream.processors.denoise.HotPixelDetector;
import io.cytostream.processors.denoise.IntensityNormalizer;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.denoise.RawFrameAssessment;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;

/**
 * The denoise stage alone, as {@link ImageStage} runs it before segmentation: decode, 3×3 median,
 * the hot-pixel and saturation assessment, then log(x+1) and the FOV's interquartile normalisation
 * (DESIGN.md, stage "denoise"). Kafka-free; the FOV's state is the caller's; one instance per
 * thread (as one per stream task). The output plane is the normalised image scaled to uint16
 * ({@code round(v·65535)}, v clamped to [0, 1]; little-endian), so a denoised frame of a uint16
 * camera is as large as its raw frame.
 */
public final class DenoiseStage {
  private final MedianFilter3x3 median;
  private final HotPixelDetector quality;
  private final IntensityNormalizer normalizer;

  /**
   * One frame's outcome.
   *
   * @param state the FOV's updated normalisation state
   * @param quality the raw frame's hot-pixel and saturation figures
   * @param uint16 the normalised plane as uint16 little-endian bytes ({@code width·height·2})
   */
  public record Result(NormalizerState state, RawFrameAssessment quality, byte[] uint16) {}

  /** The stage with the image stages' settings; the median runs on the calling thread. */
  public DenoiseStage(ImagePipeline.Settings settings) {
    this.median = new MedianFilter3x3(1);
    this.quality = settings.hotPixels();
    this.normalizer = settings.normalizer();
  }

  /** A FOV's initial normalisation state. */
  public NormalizerState initialState() {
    return normalizer.initial();
  }

  /**
   * Denoises one raw plane.
   *
   * @param state the FOV's normalisation state ({@link #initialState()} for a new FOV)
   */
  public Result process(
      byte[] pixels, int width, int height, PixelType type, NormalizerState state) {
    FloatImage raw = PlaneDecoder.toFloat(pixels, width, height, type);
    FloatImage med = median.apply(pixels, width, height, type);
    double sat =
        Double.isNaN(quality.saturation())
            ? (type == PixelType.FLOAT32 ? Double.POSITIVE_INFINITY : PlaneDecoder.typeMax(type))
            : quality.saturation();
    RawFrameAssessment q = quality.assess(raw, med, sat);
    IntensityNormalizer.Step step = normalizer.step(state, med);
    return new Result(step.state(), q, toUint16(step.normalized()));
  }

  /** {@code v} in [0, 1] → round(v·65535), little-endian; out-of-range values clamped. */
  static byte[] toUint16(FloatImage img) {
    float[] d = img.data();
    byte[] out = new byte[d.length * 2];
    for (int i = 0, b = 0; i < d.length; i++, b += 2) {
      float v = d[i];
      int u = v >= 1f ? 65535 : v > 0f ? Math.round(v * 65535f) : 0;
      out[b] = (byte) u;
      out[b + 1] = (byte) (u >>> 8);
    }
    return out;
  }
}
