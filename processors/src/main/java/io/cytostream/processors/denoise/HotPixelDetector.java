package io.cytostream.processors.denoise;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.OrderStatistics;
import io.cytostream.processors.image.PlaneDecoder;
import io.cytostream.schemas.PixelType;
import java.util.Arrays;

/**
 * Per-frame quality check: hot pixels, saturation, brightness and focus.
 *
 * <p>A pixel is <em>hot</em> when {@code raw − median3x3(raw) > max(k · σ, minAbsolute, 0.5 ·
 * |median3x3(raw)|)} and it also stands above the brightest of its 8 neighbours by more than {@code
 * max(k · σ, minAbsolute)}: an isolated pixel far above the noise and above half the local level
 * (so that neither Poisson noise on bright cells nor a bright pixel beside a dark corner counts).
 * Only bright outliers count: thin dark structures (the line between two cells) are also removed by
 * the median but are not camera defects. σ is a robust noise estimate of the frame, 1.4826 × the
 * median absolute deviation of the residual {@code raw − median3x3} (over at most 65 536 evenly
 * spaced pixels). With the default k = 8 a Gaussian-noise frame has essentially no false hot pixels
 * while an isolated outlier several times the noise is counted. A pixel is <em>saturated</em> when
 * {@code raw >= saturation} (default: the type's maximum, 255 or 65535; no saturation for FLOAT32
 * unless configured) and is not a hot pixel: a hot pixel at the maximum is counted once, as hot, so
 * that a hot-pixel burst does not read as a saturated region.
 *
 * @param k threshold in units of σ (default 8)
 * @param minAbsolute lower bound of the threshold in raw units (default 1, so a noiseless integer
 *     frame does not flag every ±1 step)
 * @param saturation saturation value in raw units; NaN = the pixel type's maximum
 */
public record HotPixelDetector(double k, double minAbsolute, double saturation) {
  private static final int NOISE_SAMPLES = 1 << 16;

  /** A hot pixel stands above its 3×3 median by at least this fraction of the median. */
  static final double RELATIVE = 0.5;

  /** Defaults: k = 8, minAbsolute = 1, saturation at the type maximum. */
  public static HotPixelDetector defaults() {
    return new HotPixelDetector(8, 1, Double.NaN);
  }

  /**
   * Assesses a raw plane (filters it first).
   *
   * @throws io.cytostream.processors.image.InvalidPlaneException for an invalid plane
   */
  public RawFrameAssessment assess(byte[] pixels, int width, int height, PixelType type) {
    FloatImage raw = PlaneDecoder.toFloat(pixels, width, height, type);
    FloatImage med = MedianFilter3x3.parallel().apply(pixels, width, height, type);
    double sat = Double.isNaN(saturation) ? satOf(type) : saturation;
    return assess(raw, med, sat);
  }

  private static double satOf(PixelType t) {
    return t == PixelType.FLOAT32 ? Double.POSITIVE_INFINITY : PlaneDecoder.typeMax(t);
  }

  /**
   * Assesses a frame given its median-filtered version (reuse the denoise output).
   *
   * @param raw raw plane
   * @param median {@link MedianFilter3x3} of {@code raw}
   * @param saturationValue saturation value in raw units (overrides the record's)
   */
  public RawFrameAssessment assess(FloatImage raw, FloatImage median, double saturationValue) {
    float[] r = raw.data();
    float[] m = median.data();
    int n = r.length;
    int w = raw.width();
    if (m.length != n) {
      throw new IllegalArgumentException("raw and median differ in size");
    }
    int stride = Math.max(1, n / NOISE_SAMPLES);
    float[] res = new float[(n + stride - 1) / stride];
    int k = 0;
    for (int i = 0; i < n; i += stride) {
      res[k++] = r[i] - m[i];
    }
    float[] sample = Arrays.copyOf(res, k);
    // the sample's median and its median absolute deviation, by radix selection (no sort)
    float centre = OrderStatistics.selectRadix(sample, k, k / 2);
    for (int i = 0; i < k; i++) {
      sample[i] = Math.abs(sample[i] - centre);
    }
    double sigma = 1.4826 * OrderStatistics.selectRadix(sample, k, k / 2);
    double thr = Math.max(this.k * sigma, minAbsolute);
    int hot = 0;
    int sat = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = r[i];
      double t = Math.max(thr, RELATIVE * Math.abs(m[i]));
      boolean isHot = v - m[i] > t && v - maxNeighbour(r, i, w, n) > thr;
      if (isHot) {
        hot++;
      } else if (v >= saturationValue) {
        // an isolated hot pixel at the maximum is a hot pixel, not a saturated region
        sat++;
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / n;
    return new RawFrameAssessment(
        hot, sat, (double) sat / n, mean, min, max, sigma, thr, sharpness(median, mean(m)), n);
  }

  /** The largest of the up to 8 neighbours of pixel {@code i} (row-major, width {@code w}). */
  private static double maxNeighbour(float[] r, int i, int w, int n) {
    int x = i % w;
    double best = Double.NEGATIVE_INFINITY;
    for (int dy = -w; dy <= w; dy += w) {
      for (int dx = -1; dx <= 1; dx++) {
        int j = i + dy + dx;
        if ((dy != 0 || dx != 0) && j >= 0 && j < n && x + dx >= 0 && x + dx < w) {
          best = Math.max(best, r[j]);
        }
      }
    }
    return best;
  }

  private static double mean(float[] a) {
    double s = 0;
    for (float f : a) {
      s += f;
    }
    return s / a.length;
  }

  /** Mean squared 4-neighbour Laplacian (interior pixels) over the squared mean. */
  static double sharpness(FloatImage img, double mean) {
    int w = img.width();
    int h = img.height();
    if (w < 3 || h < 3 || mean == 0) {
      return 0;
    }
    float[] d = img.data();
    double s = 0;
    for (int y = 1; y < h - 1; y++) {
      int o = y * w;
      for (int x = 1; x < w - 1; x++) {
        int i = o + x;
        double lap = d[i - 1] + d[i + 1] + d[i - w] + d[i + w] - 4.0 * d[i];
        s += lap * lap;
      }
    }
    return s / ((double) (w - 2) * (h - 2)) / (mean * mean);
  }
}
