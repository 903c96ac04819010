package io.cytostream.ingest.sim;

import java.util.List;

/**
 * Draws the culture into a frame: the cells are the regions of a power diagram of their seeds,
 * truncated at {@value #TRUNCATION} × spacing from the seed (× the cell's size factor), with a dark
 * junction band of {@code gapWidth} px along every border between two cells ({@link Tessellation});
 * the label image carries each pixel's track label, junction pixels included. An ordinary cell
 * pixel has expected value λ = exp(a + b·y) − 1 ADU, background and junction pixels {@code
 * background} ADU; {@link CameraNoise} turns expected values into counts; then hot pixels (rate
 * {@code hotPixelRate}, stream {@value #STREAM_HOT}) are set to 65535.
 */
final class FrameRenderer {
  static final double TRUNCATION = 0.75; // × spacing: largest seed-to-pixel distance
  static final long STREAM_HOT = 4;

  private final SimulationConfig cfg;
  private final int width;
  private final int height;
  private final double spacing;
  private final int[] owner; // 1 + cell index, negative on junctions, 0 on background
  private final CameraNoise camera;

  FrameRenderer(SimulationConfig config, double spacing) {
    this.cfg = config;
    this.width = config.width();
    this.height = config.height();
    this.spacing = spacing;
    this.owner = new int[width * height];
    this.camera = new CameraNoise(config);
  }

  /** The camera noise model of this renderer. */
  CameraNoise camera() {
    return camera;
  }

  /** Tessellates the cells at their seeds into the owner map and measures it. */
  LabelStats tessellate(List<Cell> cells) {
    int n = cells.size();
    double[] sx = new double[n];
    double[] sy = new double[n];
    double[] omega = new double[n];
    double[] rmax = new double[n];
    boolean[] ghost = new boolean[n];
    for (int i = 0; i < n; i++) {
      Cell c = cells.get(i);
      sx[i] = c.px;
      sy[i] = c.py;
      omega[i] = c.omega;
      rmax[i] = TRUNCATION * spacing * c.rmaxFactor;
      ghost[i] = c.ghost;
    }
    Tessellation.render(width, height, n, sx, sy, omega, rmax, ghost, cfg.gapWidth(), owner);
    return LabelStats.measure(width, height, n, owner, cfg.borderMargin());
  }

  /** The label image of the last tessellation: each pixel's cell's track label, 0 background. */
  short[] labels(List<Cell> cells) {
    int n = cells.size();
    int[] trackOf = new int[n];
    for (int i = 0; i < n; i++) {
      trackOf[i] = cells.get(i).track;
    }
    short[] labels = new short[width * height];
    for (int p = 0; p < owner.length; p++) {
      int o = owner[p];
      if (o != 0) {
        labels[p] = (short) trackOf[Math.abs(o) - 1];
      }
    }
    return labels;
  }

  /**
   * The noisy uint16 little-endian frame {@code t} of the last tessellation, hot pixels included;
   * with {@code collapse} not NaN, the expected image is blurred (3 box passes of radius {@link
   * AnomalyInjector#COLLAPSE_BLUR_RADIUS}) and scaled by {@code collapse} first.
   */
  byte[] expose(int t, List<Cell> cells, double collapse) {
    int n = cells.size();
    byte[] raw = new byte[2 * width * height];
    if (Double.isNaN(collapse)) {
      PoissonTable[] photons = new PoissonTable[n];
      for (int i = 0; i < n; i++) {
        Cell c = cells.get(i);
        if (c.area > 0) {
          photons[i] = PoissonTable.of(expectedAdu(c.y) / cfg.gain());
        }
      }
      PoissonTable background = PoissonTable.of(cfg.background() / cfg.gain());
      camera.expose(t, raw, owner, photons, background);
    } else {
      float[] expected = new float[width * height];
      for (int p = 0; p < owner.length; p++) {
        int o = owner[p];
        expected[p] = (float) (o > 0 ? expectedAdu(cells.get(o - 1).y) : cfg.background());
      }
      for (int pass = 0; pass < 3; pass++) {
        boxBlur(expected, width, height, AnomalyInjector.COLLAPSE_BLUR_RADIUS);
      }
      for (int p = 0; p < expected.length; p++) {
        expected[p] = (float) (expected[p] * collapse);
      }
      camera.expose(t, raw, expected);
    }
    camera.hotPixels(Rng.of(cfg.seed(), STREAM_HOT, t), raw, -1);
    return raw;
  }

  /**
   * Expected value of an ordinary pixel of a cell with signal y, ADU: exp(a + b·y) − 1, at least 0
   * and at most 131070 (twice the maximum: above, the pixel saturates anyway).
   */
  double expectedAdu(double y) {
    double v = StrictMath.exp(cfg.renderA() + cfg.renderB() * y) - 1;
    return Math.max(0, Math.min(2 * 65535.0, v));
  }

  /** In-place box blur of radius r (window 2r + 1, edges clamped), rows then columns. */
  static void boxBlur(float[] img, int w, int h, int r) {
    float[] line = new float[Math.max(w, h)];
    float norm = 1f / (2 * r + 1);
    for (int y = 0; y < h; y++) {
      blurLine(img, y * w, 1, w, r, norm, line);
    }
    for (int x = 0; x < w; x++) {
      blurLine(img, x, w, h, r, norm, line);
    }
  }

  private static void blurLine(
      float[] img, int off, int stride, int len, int r, float norm, float[] tmp) {
    for (int i = 0; i < len; i++) {
      tmp[i] = img[off + i * stride];
    }
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      sum += tmp[Math.max(0, Math.min(len - 1, i))];
    }
    for (int i = 0; i < len; i++) {
      img[off + i * stride] = (float) (sum * norm);
      sum += tmp[Math.min(len - 1, i + r + 1)] - tmp[Math.max(0, i - r)];
    }
  }
}
