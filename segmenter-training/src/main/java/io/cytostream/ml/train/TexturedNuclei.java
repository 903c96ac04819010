package io.cytostream.ml.train;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.GaussianBlur;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic fluorescence images of large, internally textured objects with exact labels: the part
 * of the simulator's domain randomisation that the annotated CC0 sets lack (their median object
 * diameters are 16–28 px, their nuclei mostly smooth). Each image is {@value #SIDE}² px; its
 * objects share one typical diameter drawn log-uniform in {@value #MIN_D}–{@value #MAX_D} px.
 *
 * <p>Per image, one of three layouts: separated nuclei (background between them), crowded nuclei
 * (some touching, a shared border where they meet) and irregular cells (elongated, lobed, dimmer,
 * with a stronger texture and a soft edge). Per object: an ellipse (axis ratio 0.55–1, cells 0.3–1)
 * with a radial outline perturbed by harmonics 2–5; the label of a pixel is the object with the
 * smallest normalised radial distance below 1, so touching objects meet along a line. Intensity: a
 * per-object level (0.25–1 of the brightest, cells 0.15–0.6), times a multi-scale texture (blurred
 * noise at σ 1–2 and 3–6 px, amplitude 0.1–0.6), plus bright and dark spots (nucleoli,
 * chromocentres: σ 1.5–5 px), dark inner lines and grooves (chords of width 1–2 px, depth 0.1–0.4
 * of the level) that do not split the object, and an edge falloff of 1–4 px. The background is a
 * dim level with optional faint texture; the whole plane is blurred (σ 0.5–1.5) and carries
 * Poisson-like noise in counts (100 + 1500·signal). The {@link Augmenter} then re-images it like
 * any other sample. No real image is used.
 */
final class TexturedNuclei {
  static final int SIDE = 256;
  static final double MIN_D = 36;
  static final double MAX_D = 84;

  private TexturedNuclei() {}

  /** {@code count} images from {@code seed} (set name {@link TrainingData#SIM}). */
  static List<Sample> render(long seed, int count) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Random rnd =
          new Random(new SplittableRandom(seed).split().nextLong() + 0x9E3779B97F4A7C15L * (i + 1));
      out.add(one(rnd, i % 3));
    }
    return out;
  }

  /** One image: layout 0 separated nuclei, 1 crowded nuclei, 2 irregular cells. */
  static Sample one(Random rnd, int layout) {
    int w = SIDE;
    int h = SIDE;
    int n = w * h;
    double d = Math.exp(Math.log(MIN_D) + rnd.nextDouble() * Math.log(MAX_D / MIN_D));
    boolean cells = layout == 2;
    double gapLo = layout == 0 ? 1.08 : 0.7;
    double gapHi = layout == 0 ? 1.5 : 0.95;
    List<double[]> objs = new ArrayList<>();
    int want = (int) Math.ceil((layout == 0 ? 0.45 : 0.8) * w * h / (Math.PI * d * d / 4));
    for (int tries = 0; tries < 600 && objs.size() < want; tries++) {
      double a = d / 2 * (0.8 + 0.4 * rnd.nextDouble());
      double ratio = cells ? 0.3 + 0.7 * rnd.nextDouble() : 0.55 + 0.45 * rnd.nextDouble();
      double b = a * ratio;
      a /= Math.sqrt(ratio);
      b /= Math.sqrt(ratio);
      double cx = -0.3 * d + rnd.nextDouble() * (w + 0.6 * d);
      double cy = -0.3 * d + rnd.nextDouble() * (h + 0.6 * d);
      double gap = gapLo + (gapHi - gapLo) * rnd.nextDouble();
      boolean ok = true;
      for (double[] o : objs) {
        double dist = Math.hypot(cx - o[0], cy - o[1]);
        if (dist < gap * (Math.sqrt(a * b) + Math.sqrt(o[2] * o[3]))) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        continue;
      }
      double[] o = new double[16];
      o[0] = cx;
      o[1] = cy;
      o[2] = a;
      o[3] = b;
      o[4] = rnd.nextDouble() * Math.PI;
      double amp = cells ? 0.06 + 0.1 * rnd.nextDouble() : 0.01 + 0.05 * rnd.nextDouble();
      for (int k = 0; k < 4; k++) {
        o[5 + 2 * k] = amp * rnd.nextGaussian() / (1 + 0.5 * k);
        o[6 + 2 * k] = rnd.nextDouble() * 2 * Math.PI;
      }
      o[13] = cells ? 0.15 + 0.45 * rnd.nextDouble() : 0.25 + 0.75 * rnd.nextDouble();
      o[14] = (cells ? 0.25 : 0.1) + (cells ? 0.4 : 0.5) * rnd.nextDouble();
      o[15] = 1 + 3 * rnd.nextDouble();
      objs.add(o);
    }
    int[] lab = new int[n];
    float[] rho = new float[n];
    Arrays.fill(rho, 9);
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        int i = yy * w + xx;
        for (int k = 0; k < objs.size(); k++) {
          double r = radial(objs.get(k), xx, yy);
          if (r < 1 && r < rho[i]) {
            rho[i] = (float) r;
            lab[i] = k + 1;
          }
        }
      }
    }
    float[] fine = noise(rnd, w, h, 1 + rnd.nextDouble());
    float[] coarse = noise(rnd, w, h, 3 + 3 * rnd.nextDouble());
    double mixFine = rnd.nextDouble();
    float[] sig = new float[n];
    double bgLevel = 0.02 + 0.1 * rnd.nextDouble();
    double bgTex = rnd.nextDouble() < 0.4 ? 0.05 * rnd.nextDouble() : 0;
    for (int i = 0; i < n; i++) {
      double tex = mixFine * fine[i] + (1 - mixFine) * coarse[i];
      if (lab[i] == 0) {
        sig[i] = (float) Math.max(0, bgLevel + bgTex * coarse[i]);
        continue;
      }
      double[] o = objs.get(lab[i] - 1);
      double edgePx = (1 - rho[i]) * Math.sqrt(o[2] * o[3]);
      double fall = Math.min(1, 0.35 + 0.65 * edgePx / o[15]);
      double v = o[13] * Math.max(0.05, 1 + o[14] * tex) * fall;
      sig[i] = (float) Math.max(bgLevel * 1.05, bgLevel + v);
    }
    for (int k = 0; k < objs.size(); k++) {
      spotsAndLines(rnd, objs.get(k), k + 1, lab, sig, w, h, cells);
    }
    double blur = 0.5 + rnd.nextDouble();
    sig = GaussianBlur.blur(new FloatImage(w, h, sig), blur).data();
    float[] raw = new float[n];
    for (int i = 0; i < n; i++) {
      double lambda = 100 + 1500 * Math.max(0, sig[i]);
      raw[i] = (float) Math.max(0, lambda + Math.sqrt(lambda) * rnd.nextGaussian());
    }
    return Sample.of(TrainingData.SIM, raw, lab, w, h);
  }

  /** Normalised radial distance of (x, y) from object o (1 on its outline). */
  private static double radial(double[] o, double x, double y) {
    double dx = x - o[0];
    double dy = y - o[1];
    if (Math.abs(dx) > 2 * o[2] + 2 || Math.abs(dy) > 2 * o[2] + 2) {
      return 9;
    }
    double c = Math.cos(o[4]);
    double s = Math.sin(o[4]);
    double u = (dx * c + dy * s) / o[2];
    double v = (-dx * s + dy * c) / o[3];
    double theta = Math.atan2(v, u);
    double r = 1;
    for (int k = 0; k < 4; k++) {
      r += o[5 + 2 * k] * Math.cos((k + 2) * theta + o[6 + 2 * k]);
    }
    return Math.hypot(u, v) / Math.max(0.3, r);
  }

  /** Bright/dark spots and dark inner lines inside object {@code id} (its labels unchanged). */
  private static void spotsAndLines(
      Random rnd, double[] o, int id, int[] lab, float[] sig, int w, int h, boolean cells) {
    int spots = rnd.nextInt(7);
    double size = Math.sqrt(o[2] * o[3]);
    for (int s = 0; s < spots; s++) {
      double ang = rnd.nextDouble() * 2 * Math.PI;
      double rr = 0.7 * size * Math.sqrt(rnd.nextDouble());
      double sx = o[0] + rr * Math.cos(ang);
      double sy = o[1] + rr * Math.sin(ang);
      double sigma = 1.5 + 3.5 * rnd.nextDouble();
      double amp = (rnd.nextBoolean() ? 1 : -0.7) * (0.2 + 0.5 * rnd.nextDouble()) * o[13];
      stamp(lab, sig, w, h, id, sx, sy, sigma, amp, 0, 0);
    }
    int lines = cells ? rnd.nextInt(2) : rnd.nextInt(4);
    for (int l = 0; l < lines; l++) {
      double ang = rnd.nextDouble() * Math.PI;
      double off = (rnd.nextDouble() * 2 - 1) * 0.5 * size;
      double width = 0.6 + 0.8 * rnd.nextDouble();
      double depth = (0.1 + 0.3 * rnd.nextDouble()) * o[13];
      double nx = -Math.sin(ang);
      double ny = Math.cos(ang);
      double x0 = o[0] + off * nx;
      double y0 = o[1] + off * ny;
      double len = (0.3 + 0.6 * rnd.nextDouble()) * size;
      stamp(lab, sig, w, h, id, x0, y0, width, -depth, ang, len);
    }
  }

  /**
   * Adds a Gaussian spot (len 0) or a line segment of half-length len along angle ang, profile σ,
   * amplitude amp, to the pixels of object id.
   */
  private static void stamp(
      int[] lab,
      float[] sig,
      int w,
      int h,
      int id,
      double cx,
      double cy,
      double sigma,
      double amp,
      double ang,
      double len) {
    int r = (int) Math.ceil(3 * sigma + len);
    double ux = Math.cos(ang);
    double uy = Math.sin(ang);
    for (int y = Math.max(0, (int) cy - r); y <= Math.min(h - 1, (int) cy + r); y++) {
      for (int x = Math.max(0, (int) cx - r); x <= Math.min(w - 1, (int) cx + r); x++) {
        int i = y * w + x;
        if (lab[i] != id) {
          continue;
        }
        double dx = x - cx;
        double dy = y - cy;
        double along = dx * ux + dy * uy;
        double across = -dx * uy + dy * ux;
        double a = Math.max(0, Math.abs(along) - len);
        double d2 = len > 0 ? across * across + a * a : dx * dx + dy * dy;
        sig[i] = (float) Math.max(0.01, sig[i] + amp * Math.exp(-d2 / (2 * sigma * sigma)));
      }
    }
  }

  /** Zero-mean, unit-ish white noise blurred at σ px and rescaled to about ±1. */
  private static float[] noise(Random rnd, int w, int h, double sigma) {
    float[] z = new float[w * h];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rnd.nextGaussian();
    }
    float[] b = GaussianBlur.blur(new FloatImage(w, h, z), sigma).data();
    double ss = 0;
    for (float v : b) {
      ss += v * v;
    }
    double sd = Math.sqrt(ss / b.length) + 1e-9;
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) Math.max(-2, Math.min(2, b[i] / (2 * sd)));
    }
    return b;
  }
}
