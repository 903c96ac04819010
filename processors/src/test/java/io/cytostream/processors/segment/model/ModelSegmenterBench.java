package io.cytostream.processors.segment.model;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.Segmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Frames per second of the model segmenter (DJL inference + tiling + post-processing) and of the
 * classical one at 512², 1024², 2048², single caller thread; then the process RSS over a long run
 * of 512² frames (native memory must stay flat). Synthetic planes: background 0.35 with noise and
 * ~1 cell per 40×40 px. Run: {@code scripts/bench-segmenter}.
 */
public final class ModelSegmenterBench {
  private ModelSegmenterBench() {}

  /** Entry point; optional arg: frames of the long run (default 1000). */
  public static void main(String[] args) throws IOException {
    int longRun = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (ModelSegmenter m = ModelSegmenter.loadBundled();
        ModelSegmenter.Worker w = m.newWorker()) {
      Segmenter classical = new ClassicalSegmenter();
      for (int size : new int[] {512, 1024, 2048}) {
        FloatImage img = plane(size, 7);
        int n = size == 512 ? 40 : size == 1024 ? 10 : 4;
        double fm = fps(w, img, n);
        double fc = fps(classical, img, n);
        System.out.printf(
            Locale.ROOT,
            "%d x %d: model %.2f frames/s, classical %.2f frames/s (%d cells)%n",
            size,
            size,
            fm,
            fc,
            w.segment(img).count());
      }
      FloatImage img = plane(512, 11);
      long t0 = System.nanoTime();
      for (int i = 1; i <= longRun; i++) {
        w.segment(img);
        if (i % (longRun / 5) == 0) {
          System.out.printf(
              Locale.ROOT,
              "long run: %d frames, RSS %d MB, heap used %d MB, %.1f s%n",
              i,
              rssMb(),
              (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
              (System.nanoTime() - t0) / 1e9);
        }
      }
    }
  }

  static double fps(Segmenter s, FloatImage img, int n) {
    for (int i = 0; i < 2; i++) {
      s.segment(img);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      s.segment(img);
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** Resident set size of this process, MB (Linux). */
  static long rssMb() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) >> 10;
      }
    }
    return -1;
  }

  /** A synthetic normalised plane with bright discs. */
  static FloatImage plane(int size, long seed) {
    Random r = new Random(seed);
    float[] d = new float[size * size];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (0.35 + 0.03 * r.nextGaussian());
    }
    int cells = size * size / 1600;
    for (int c = 0; c < cells; c++) {
      int cx = r.nextInt(size);
      int cy = r.nextInt(size);
      int rad = 6 + r.nextInt(8);
      float v = (float) (0.2 + 0.3 * r.nextDouble());
      for (int y = Math.max(0, cy - rad); y < Math.min(size, cy + rad); y++) {
        for (int x = Math.max(0, cx - rad); x < Math.min(size, cx + rad); x++) {
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) {
            d[y * size + x] += v;
          }
        }
      }
    }
    return new FloatImage(size, size, d);
  }
}
