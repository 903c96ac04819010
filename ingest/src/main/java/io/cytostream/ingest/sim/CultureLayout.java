package io.cytostream.ingest.sim;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The culture at frame 0: a smooth random footprint around the image centre (a blob of mean radius
 * {@code cultureRadius} × (W + H)/2 px with two sinusoidal lobes), the cell spacing that puts about
 * {@code cells} cells in the part of the image the footprint covers (× {@link
 * RenderStyle#cellScale()}), and one anchor per cell placed by dart throwing (minimum distance 0.7
 * × spacing) inside the footprint, then relaxed by 20 rounds of repulsion within {@value
 * #REPULSION_RANGE} × spacing. Positions are in px, image coordinates.
 *
 * <p>Draws from the given stream, in order: the footprint (6 draws), then the darts.
 */
final class CultureLayout {
  private static final Logger LOG = LoggerFactory.getLogger(CultureLayout.class);

  /** Anchors closer than this × spacing push each other apart (also during the run). */
  static final double REPULSION_RANGE = 0.85;

  /** Typical distance between neighbouring anchors, px. */
  final double spacing;

  /** The anchors, {x, y} px. */
  final List<double[]> anchors;

  private CultureLayout(double spacing, List<double[]> anchors) {
    this.spacing = spacing;
    this.anchors = anchors;
  }

  /** Lays out the culture of {@code config}, drawing from {@code init}. */
  static CultureLayout lay(SimulationConfig config, Rng init) {
    int width = config.width();
    int height = config.height();
    double cx0 = width / 2.0 + init.uniform(-0.05, 0.05) * width;
    double cy0 = height / 2.0 + init.uniform(-0.05, 0.05) * height;
    double r0 = config.cultureRadius() * (width + height) / 2.0;
    double h1 = init.uniform(0.05, 0.12);
    double p1 = init.uniform(0, 2 * Math.PI);
    double h2 = init.uniform(0.03, 0.08);
    double p2 = init.uniform(0, 2 * Math.PI);
    Footprint fp = new Footprint(cx0, cy0, r0, h1, p1, h2, p2);
    int inside = 0;
    int samples = 128;
    for (int i = 0; i < samples; i++) {
      for (int j = 0; j < samples; j++) {
        if (fp.contains((i + 0.5) * width / samples, (j + 0.5) * height / samples)) {
          inside++;
        }
      }
    }
    double coverage = Math.max(0.05, inside / (double) (samples * samples));
    double spacing =
        StrictMath.sqrt(coverage * width * height / config.cells()) * config.style().cellScale();
    int target = (int) Math.max(1, Math.round(fp.area() / (spacing * spacing)));
    List<double[]> seeds = placeSeeds(fp, target, init, spacing);
    relax(seeds, spacing);
    return new CultureLayout(spacing, seeds);
  }

  /** A smooth blob: radius r0·(1 + h1·sin(2θ + p1) + h2·sin(3θ + p2)) around (cx, cy). */
  private record Footprint(
      double cx, double cy, double r0, double h1, double p1, double h2, double p2) {
    boolean contains(double x, double y) {
      double dx = x - cx;
      double dy = y - cy;
      double th = StrictMath.atan2(dy, dx);
      double r = r0 * (1 + h1 * StrictMath.sin(2 * th + p1) + h2 * StrictMath.sin(3 * th + p2));
      return dx * dx + dy * dy <= r * r;
    }

    double area() {
      return Math.PI * r0 * r0 * (1 + (h1 * h1 + h2 * h2) / 2);
    }

    double maxRadius() {
      return r0 * (1 + h1 + h2);
    }
  }

  /** Dart throwing with a minimum distance of 0.7 × spacing inside the footprint. */
  private static List<double[]> placeSeeds(Footprint fp, int target, Rng r, double spacing) {
    double min = 0.7 * spacing;
    double reach = fp.maxRadius();
    List<double[]> out = new ArrayList<>();
    double[] xs = new double[target];
    double[] ys = new double[target];
    SeedGrid grid = new SeedGrid(0, min, i -> xs[i], i -> ys[i]);
    long attempts = 0;
    long maxAttempts = 200L * target + 1000;
    while (out.size() < target && attempts++ < maxAttempts) {
      double x = fp.cx() + r.uniform(-reach, reach);
      double y = fp.cy() + r.uniform(-reach, reach);
      if (!fp.contains(x, y)) {
        continue;
      }
      boolean[] close = {false};
      grid.forNear(
          x,
          y,
          j -> {
            double dx = xs[j] - x;
            double dy = ys[j] - y;
            if (dx * dx + dy * dy < min * min) {
              close[0] = true;
            }
          });
      if (close[0]) {
        continue;
      }
      xs[out.size()] = x;
      ys[out.size()] = y;
      grid.add(out.size());
      out.add(new double[] {x, y});
    }
    if (out.size() < target) {
      LOG.debug("placed {} of {} seeds", out.size(), target);
    }
    return out;
  }

  /** 20 rounds of strong repulsion so that the first frames do not start with a jolt. */
  private static void relax(List<double[]> seeds, double spacing) {
    int n = seeds.size();
    double range = REPULSION_RANGE * spacing;
    for (int round = 0; round < 20; round++) {
      double[] dx = new double[n];
      double[] dy = new double[n];
      SeedGrid grid = new SeedGrid(n, range, i -> seeds.get(i)[0], i -> seeds.get(i)[1]);
      for (int i = 0; i < n; i++) {
        double[] s = seeds.get(i);
        final int self = i;
        grid.forNear(
            s[0],
            s[1],
            j -> {
              if (j == self) {
                return;
              }
              double ex = s[0] - seeds.get(j)[0];
              double ey = s[1] - seeds.get(j)[1];
              double d = Math.sqrt(ex * ex + ey * ey);
              if (d < range && d > 1e-9) {
                double push = 0.25 * (range - d) / d;
                dx[self] += push * ex;
                dy[self] += push * ey;
              }
            });
      }
      for (int i = 0; i < n; i++) {
        seeds.get(i)[0] += dx[i];
        seeds.get(i)[1] += dy[i];
      }
    }
  }
}
