package io.cytostream.processors.denoise;

import io.cytostream.processors.image.FloatImage;

/**
 * Per-FOV interquartile normalisation of median-filtered planes (DESIGN.md section 3; calcium paper
 * section 3.1, eq. 23): {@code v = log(max(x, 0) + 1)} (natural log, x in raw counts), then {@code
 * (v - lo) / (hi - lo)} with {@code lo = q1 - 2 IQR}, {@code hi = q3 + 2 IQR}, IQR = q3 - q1, and
 * q1, q3 the quartiles of v over all pixels of a calibration window.
 *
 * <p><b>Estimation.</b> v is counted into a fixed histogram of {@code bins} equal bins over {@code
 * [vMin, vMax]} (defaults 4096 bins over [0, 16], i.e. raw values up to ≈ 8.9e6, bin width 0.0039
 * in v ≈ 0.4 % in intensity; values outside go to the end bins); quartiles are read from the
 * cumulative histogram with linear interpolation inside a bin. {@link #update} folds a frame in;
 * the quartiles are those of all pixels of all frames seen so far.
 *
 * <p><b>Calibration window.</b> For the first {@code calibrationFrames} frames (default 10) the
 * scale is the estimate so far and {@link NormalizerState#frozen()} is false (not settled): frame 0
 * is normalised by its own quartiles, frame 1 by those of frames 0–1, and so on. After the window
 * the state is frozen: {@link #update} returns it unchanged (default, {@code ema = 0}), so the map
 * is one fixed affine map of v per FOV. With {@code ema > 0} the quartiles of each later frame move
 * q1 and q3 by the exponential rule {@code q ← (1 - ema) q + ema q_frame} (a slow drift correction;
 * the histogram is then no longer kept).
 *
 * <p>If IQR is 0 (e.g. a constant plane), the spread used is one bin width, so the output stays
 * finite. Pure functions; thread-safe.
 *
 * @param calibrationFrames frames in the calibration window, at least 1
 * @param bins histogram bins, at least 16
 * @param vMin lower end of the histogram in v units
 * @param vMax upper end of the histogram in v units
 * @param ema exponential factor for frames after the window, in [0, 1); 0 = frozen
 */
public record IntensityNormalizer(
    int calibrationFrames, int bins, double vMin, double vMax, double ema) {

  /** Validates the parameters. */
  public IntensityNormalizer {
    if (calibrationFrames < 1 || bins < 16 || !(vMax > vMin) || !(ema >= 0 && ema < 1)) {
      throw new IllegalArgumentException("bad normaliser parameters");
    }
  }

  /** Defaults: 10 calibration frames, 4096 bins over v in [0, 16], frozen afterwards. */
  public static IntensityNormalizer defaults() {
    return new IntensityNormalizer(10, 4096, 0, 16, 0);
  }

  /** The state before any frame. */
  public NormalizerState initial() {
    return new NormalizerState(0, 0, new long[bins], false, 0, 0, 0, 1);
  }

  /** {@code v = log(max(x, 0) + 1)} per pixel. */
  public static FloatImage logPlane(FloatImage raw) {
    float[] s = raw.data();
    float[] v = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      v[i] = (float) Math.log1p(Math.max(s[i], 0f));
    }
    return new FloatImage(raw.width(), raw.height(), v);
  }

  /**
   * Folds one frame's log plane into the state.
   *
   * @param s current state (from {@link #initial()} or a previous update)
   * @param logPlane {@link #logPlane} of the median-filtered frame
   * @return the new state ({@code s} itself when frozen and {@code ema = 0})
   */
  public NormalizerState update(NormalizerState s, FloatImage logPlane) {
    if (s.frozen() && ema == 0) {
      return s;
    }
    long[] frameHist = histogram(logPlane.data());
    if (s.frozen()) {
      double fq1 = quantile(frameHist, logPlane.size(), 0.25);
      double fq3 = quantile(frameHist, logPlane.size(), 0.75);
      double q1 = (1 - ema) * s.q1() + ema * fq1;
      double q3 = (1 - ema) * s.q3() + ema * fq3;
      return state(s.frames() + 1, s.pixels(), new long[0], true, q1, q3)
          .withObjectSize(s.objectSize());
    }
    if (s.histogram().length != bins) {
      throw new IllegalArgumentException("state histogram has " + s.histogram().length + " bins");
    }
    long[] hist = s.histogram().clone();
    for (int i = 0; i < bins; i++) {
      hist[i] += frameHist[i];
    }
    long pixels = s.pixels() + logPlane.size();
    int frames = s.frames() + 1;
    double q1 = quantile(hist, pixels, 0.25);
    double q3 = quantile(hist, pixels, 0.75);
    boolean frozen = frames >= calibrationFrames;
    return state(frames, pixels, frozen && ema > 0 ? new long[0] : hist, frozen, q1, q3)
        .withObjectSize(s.objectSize());
  }

  private NormalizerState state(
      int frames, long pixels, long[] hist, boolean frozen, double q1, double q3) {
    double iqr = Math.max(q3 - q1, (vMax - vMin) / bins);
    return new NormalizerState(frames, pixels, hist, frozen, q1, q3, q1 - 2 * iqr, q3 + 2 * iqr);
  }

  /**
   * Normalises a log plane with the state's scale: {@code (v - lo) / (hi - lo)}.
   *
   * @throws IllegalStateException when no frame has been folded in yet
   */
  public FloatImage normalizeLog(NormalizerState s, FloatImage logPlane) {
    if (!s.hasScale()) {
      throw new IllegalStateException("no frame folded in yet: call update first");
    }
    float lo = (float) s.lo();
    float inv = (float) (1.0 / (s.hi() - s.lo()));
    float[] v = logPlane.data();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (v[i] - lo) * inv;
    }
    return new FloatImage(logPlane.width(), logPlane.height(), out);
  }

  /** Normalises a median-filtered plane (raw units): log, then the state's scale. */
  public FloatImage apply(NormalizerState s, FloatImage medianFiltered) {
    return normalizeLog(s, logPlane(medianFiltered));
  }

  /** The result of {@link #step}: the new state and the normalised plane. */
  public record Step(NormalizerState state, FloatImage normalized) {}

  /** Folds a median-filtered frame in and normalises it with the updated scale. */
  public Step step(NormalizerState s, FloatImage medianFiltered) {
    FloatImage v = logPlane(medianFiltered);
    NormalizerState next = update(s, v);
    return new Step(next, normalizeLog(next, v));
  }

  long[] histogram(float[] v) {
    long[] h = new long[bins];
    double scale = bins / (vMax - vMin);
    for (float f : v) {
      int b = (int) ((f - vMin) * scale);
      h[b < 0 ? 0 : (b >= bins ? bins - 1 : b)]++;
    }
    return h;
  }

  /** The p-quantile (v units) of a histogram of {@code n} samples, linear inside a bin. */
  double quantile(long[] h, long n, double p) {
    double target = p * n;
    double width = (vMax - vMin) / bins;
    long cum = 0;
    for (int i = 0; i < h.length; i++) {
      if (h[i] > 0 && cum + h[i] >= target) {
        double frac = (target - cum) / h[i];
        return vMin + (i + frac) * width;
      }
      cum += h[i];
    }
    return vMax;
  }
}
