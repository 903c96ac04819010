package io.cytostream.ingest.sim;

import java.util.stream.IntStream;

/**
 * The camera's noise and defects on a uint16 little-endian frame (2 bytes per pixel): a pixel of
 * expected value λ ADU becomes {@code clip(round(gain·Poisson(λ/gain) + readNoise·N(0, 1)), 0,
 * max)}; hot pixels and saturated disks are max, where max = 2^bitDepth − 1 (65535 by default,
 * {@link RenderStyle#bitDepth()}). Noise is drawn in strips of {@value #NOISE_STRIP_ROWS} rows, one
 * random stream per frame and strip, in parallel: the result does not depend on the thread count.
 */
final class CameraNoise {
  static final long STREAM_NOISE = 3;
  static final int NOISE_STRIP_ROWS = 16;

  private final SimulationConfig cfg;
  private final int width;
  private final int height;
  private final int max; // ADU

  CameraNoise(SimulationConfig config) {
    this.cfg = config;
    this.width = config.width();
    this.height = config.height();
    this.max = config.style().maxValue();
  }

  /** Photon count of a pixel, drawn from the strip's stream. */
  interface PhotonSource {
    long photons(Rng r, int pixel);
  }

  /** Noise on a piecewise-constant image: a Poisson table per owner, one for background. */
  void expose(int t, byte[] raw, int[] owner, PoissonTable[] photons, PoissonTable background) {
    expose(
        t,
        raw,
        (r, p) -> {
          int o = owner[p];
          return (o > 0 ? photons[o - 1] : background).sample(r.nextDouble());
        });
  }

  /** Noise on an arbitrary expected image, ADU (PTRS Poisson per pixel). */
  void expose(int t, byte[] raw, float[] expected) {
    double gain = cfg.gain();
    expose(t, raw, (r, p) -> r.poisson(expected[p] / gain));
  }

  /** raw = clip(round(gain·photons + readNoise·N(0, 1)), 0, max) for every pixel of frame t. */
  void expose(int t, byte[] raw, PhotonSource source) {
    int strips = (height + NOISE_STRIP_ROWS - 1) / NOISE_STRIP_ROWS;
    double gain = cfg.gain();
    double read = cfg.readNoise();
    IntStream.range(0, strips)
        .parallel()
        .forEach(
            s -> {
              Rng r = Rng.of(cfg.seed(), STREAM_NOISE, ((long) t << 24) | s);
              int from = s * NOISE_STRIP_ROWS * width;
              int to = Math.min(height, (s + 1) * NOISE_STRIP_ROWS) * width;
              for (int p = from; p < to; p++) {
                double v = gain * source.photons(r, p);
                if (read > 0) {
                  v += read * r.gaussian();
                }
                int q = (int) Math.max(0, Math.min(max, Math.floor(v + 0.5)));
                raw[2 * p] = (byte) q;
                raw[2 * p + 1] = (byte) (q >>> 8);
              }
            });
  }

  /**
   * {@code count} hot pixels (at the maximum), or a Poisson number at the configured rate when
   * negative.
   */
  void hotPixels(Rng r, byte[] raw, long count) {
    int pixels = width * height;
    long n = count >= 0 ? count : r.poisson(cfg.hotPixelRate() * pixels);
    for (long i = 0; i < n; i++) {
      int p = r.nextInt(pixels);
      raw[2 * p] = (byte) max;
      raw[2 * p + 1] = (byte) (max >>> 8);
    }
  }

  /** Sets the pixels within {@code radius} px of (cx, cy) to the maximum; returns how many. */
  int saturateDisk(byte[] raw, double cx, double cy, double radius) {
    int count = 0;
    int x0 = Math.max(0, (int) Math.floor(cx - radius));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + radius));
    int y0 = Math.max(0, (int) Math.floor(cy - radius));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + radius));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x - cx;
        double dy = y - cy;
        if (dx * dx + dy * dy <= radius * radius) {
          int p = y * width + x;
          raw[2 * p] = (byte) max;
          raw[2 * p + 1] = (byte) (max >>> 8);
          count++;
        }
      }
    }
    return count;
  }
}
