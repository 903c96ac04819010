package io.cytostream.ingest.sim;

import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.schemas.PixelType;
import java.util.List;

/**
 * Draws the culture into a frame: the cells are the regions of a power diagram of their seeds,
 * truncated at {@link RenderStyle#cellRadius()} (default 0.75) × spacing from the seed (× the
 * cell's size factor), with a dark junction band of {@code gapWidth} px along every border between
 * two cells ({@link Tessellation}); the label image carries each pixel's track label, junction
 * pixels included. An ordinary cell pixel has expected value λ = exp(a + b·y) − 1 ADU, background
 * and junction pixels {@code background} ADU (both × the style's brightness and illumination
 * field); {@link CameraNoise} turns expected values into counts; then hot pixels (rate {@code
 * hotPixelRate}, stream {@value #STREAM_HOT}) are set to 65535.
 */
final class FrameRenderer {
  static final long STREAM_HOT = 4;

  private final SimulationConfig cfg;
  private final int width;
  private final int height;
  private final double spacing;
  private final int[] owner; // 1 + cell index, negative on junctions, 0 on background
  private final CameraNoise camera;
  private final RenderStyle style;

  FrameRenderer(SimulationConfig config, double spacing) {
    this.cfg = config;
    this.width = config.width();
    this.height = config.height();
    this.spacing = spacing;
    this.owner = new int[width * height];
    this.camera = new CameraNoise(config);
    this.style = config.style();
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
      rmax[i] = style.cellRadius() * spacing * c.rmaxFactor;
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
   * AnomalyInjector#COLLAPSE_BLUR_RADIUS}) and scaled by {@code collapse} first; an uneven
   * illumination ({@link RenderStyle}) multiplies the expected image last.
   */
  byte[] expose(int t, List<Cell> cells, double collapse) {
    int n = cells.size();
    byte[] raw = new byte[2 * width * height];
    if (Double.isNaN(collapse) && !style.unevenField()) {
      PoissonTable[] photons = new PoissonTable[n];
      for (int i = 0; i < n; i++) {
        Cell c = cells.get(i);
        if (c.area > 0) {
          photons[i] = PoissonTable.of(expectedAdu(c.y) / cfg.gain());
        }
      }
      PoissonTable background = PoissonTable.of(backgroundAdu() / cfg.gain());
      camera.expose(t, raw, owner, photons, background);
    } else {
      float[] expected = new float[width * height];
      for (int p = 0; p < owner.length; p++) {
        int o = owner[p];
        expected[p] = (float) (o > 0 ? expectedAdu(cells.get(o - 1).y) : backgroundAdu());
      }
      if (!Double.isNaN(collapse)) {
        for (int pass = 0; pass < 3; pass++) {
          boxBlur(expected, width, height, AnomalyInjector.COLLAPSE_BLUR_RADIUS);
        }
        for (int p = 0; p < expected.length; p++) {
          expected[p] = (float) (expected[p] * collapse);
        }
      }
      if (style.unevenField()) {
        illuminate(expected);
      }
      camera.expose(t, raw, expected);
    }
    camera.hotPixels(Rng.of(cfg.seed(), STREAM_HOT, t), raw, -1);
    return raw;
  }

  /** The frame as a plane: UINT16, or UINT8 at a bit depth of 8 (values fit: they were clipped). */
  RawPlane plane(byte[] raw) {
    if (style.bitDepth() != 8) {
      return new RawPlane(width, height, PixelType.UINT16, raw);
    }
    byte[] bytes = new byte[width * height];
    for (int p = 0; p < bytes.length; p++) {
      bytes[p] = raw[2 * p];
    }
    return new RawPlane(width, height, PixelType.UINT8, bytes);
  }

  /** × (1 + g·(2x/(W−1) − 1)) · (1 − v·ρ²), ρ = distance to the centre / half-diagonal. */
  private void illuminate(float[] expected) {
    double g = style.illuminationGradient();
    double v = style.vignetting();
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double half2 = cx * cx + cy * cy;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double f = (1 + g * (2.0 * x / (width - 1) - 1)) * (1 - v * (dx * dx + dy * dy) / half2);
        int p = y * width + x;
        expected[p] = (float) (expected[p] * f);
      }
    }
  }

  /**
   * Expected value of an ordinary pixel of a cell with signal y, ADU: brightness × (exp(a + b·y) −
   * 1), the bracket at least 0 and at most 131070 (twice the maximum: above, the pixel saturates
   * anyway).
   */
  double expectedAdu(double y) {
    double v = StrictMath.exp(cfg.renderA() + cfg.renderB() * y) - 1;
    return Math.max(0, Math.min(2 * 65535.0, v)) * style.brightness();
  }

  /** Expected value of a background or junction pixel, ADU: brightness × background. */
  double backgroundAdu() {
    return cfg.background() * style.brightness();
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
