package io.cytostream.ml.train;

import io.cytostream.processors.segment.model.Tiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The training loop (TF Java, CPU): builds the U-Net graph with its loss (sigmoid cross-entropy on
 * the foreground and boundary maps, boundary positives weighted ×3, multiplied by the loss mask),
 * runs Adam on batches from a {@link BatchSampler}, exports a SavedModel (tags {@code serve},
 * signature {@code serving_default}: input {@code input} float32 N×H×W×1, output {@code output}
 * float32 N×H×W×2 probabilities) and {@code reference.json}, then hands the trained network to a
 * callback (validation) before the session closes.
 */
final class Trainer {
  /** What to do with the trained network while its session is open. */
  interface AfterTraining {
    void accept(Tiler.Net net) throws IOException;
  }

  /**
   * Hyper-parameters of one run.
   *
   * @param steps Adam steps
   * @param seed seed of the weights and the batches
   * @param base channels of the first level
   * @param levels poolings
   * @param batch crops per step
   * @param crop crop side, px (a multiple of 2^levels)
   * @param lr Adam learning rate
   * @param maxSeconds wall-clock budget of the loop, s: training stops after the step that exceeds
   *     it (a shared machine's speed varies; the step reached is printed)
   */
  record Config(
      int steps,
      long seed,
      int base,
      int levels,
      int batch,
      int crop,
      float lr,
      double maxSeconds) {}

  private Trainer() {}

  /**
   * Trains, exports to {@code out/savedmodel} and {@code out/reference.json}, then {@code after}.
   */
  static void train(Config c, BatchSampler sampler, Path out, AfterTraining after)
      throws IOException {
    long t0 = System.nanoTime();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x =
          tf.withName("input")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      Placeholder<TFloat32> y =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 2)));
      Placeholder<TFloat32> k =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      UNet net = new UNet(tf, c.seed());
      Operand<TFloat32> z = net.logits(x, c.base(), c.levels());
      Operand<TFloat32> prob = tf.withName("output").math.sigmoid(z);
      Operand<TFloat32> bce =
          tf.math.add(
              tf.math.sub(tf.math.maximum(z, tf.constant(0f)), tf.math.mul(z, y)),
              tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
      Operand<TFloat32> weight =
          tf.math.add(tf.constant(1f), tf.math.mul(y, tf.constant(new float[] {0f, 2f})));
      Operand<TFloat32> loss =
          tf.math.mean(
              tf.math.mul(tf.math.mul(bce, weight), k), tf.constant(new int[] {0, 1, 2, 3}));
      Op minimize = new Adam(g, c.lr()).minimize(loss);
      System.out.printf(
          Locale.ROOT,
          "U-Net base %d levels %d: %d parameters%n",
          c.base(),
          c.levels(),
          net.params());
      ConfigProto cfg =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(2)
              .setInterOpParallelismThreads(1)
              .build();
      try (Session sess = new Session(g, cfg)) {
        sess.initialize();
        loop(c, sampler, sess, x, y, k, minimize, loss);
        Tiler.Net tfNet = (in, n, h, w) -> run(sess, x, prob, in, n, h, w);
        Files.createDirectories(out);
        Path sm = out.resolve("savedmodel");
        Signature sig =
            Signature.builder()
                .key("serving_default")
                .input("input", x)
                .output("output", prob)
                .build();
        SavedModelBundle.exporter(sm.toString()).withSession(sess).withSignature(sig).export();
        ReferenceExport.write(out.resolve("reference.json"), tfNet, c.seed());
        System.out.printf(Locale.ROOT, "exported %s (%.1f s)%n", sm, secs(t0));
        after.accept(tfNet);
      }
    }
  }

  private static void loop(
      Config c,
      BatchSampler sampler,
      Session sess,
      Placeholder<TFloat32> x,
      Placeholder<TFloat32> y,
      Placeholder<TFloat32> k,
      Op minimize,
      Operand<TFloat32> loss) {
    int batch = c.batch();
    int crop = c.crop();
    Random rnd = new Random(c.seed() ^ 0x5DEECE66DL);
    float[] bx = new float[batch * crop * crop];
    float[] by = new float[batch * crop * crop * 2];
    float[] bk = new float[batch * crop * crop];
    long tt = System.nanoTime();
    double avg = 0;
    Shape one = Shape.of(batch, crop, crop, 1);
    int done = 0;
    for (int step = 1; step <= c.steps(); step++) {
      sampler.fill(rnd, bx, by, bk, batch, crop);
      try (TFloat32 tx = TFloat32.tensorOf(one, DataBuffers.of(bx, true, false));
          TFloat32 ty =
              TFloat32.tensorOf(Shape.of(batch, crop, crop, 2), DataBuffers.of(by, true, false));
          TFloat32 tk = TFloat32.tensorOf(one, DataBuffers.of(bk, true, false));
          Result r =
              sess.runner()
                  .feed(x, tx)
                  .feed(y, ty)
                  .feed(k, tk)
                  .addTarget(minimize)
                  .fetch(loss)
                  .run()) {
        float l = ((TFloat32) r.get(0)).getFloat();
        avg = step == 1 ? l : 0.98 * avg + 0.02 * l;
      }
      done = step;
      boolean outOfTime = secs(tt) > c.maxSeconds();
      if (step % 50 == 0 || step == c.steps() || outOfTime) {
        System.out.printf(
            Locale.ROOT, "step %d loss %.4f (%.2f s/step)%n", step, avg, secs(tt) / step);
      }
      if (outOfTime) {
        System.out.printf(Locale.ROOT, "time budget reached at step %d%n", step);
        break;
      }
    }
    System.out.printf(Locale.ROOT, "training: %d steps in %.1f s%n", done, secs(tt));
  }

  /** Runs the graph's {@code prob} on an N×H×W×1 input; returns N×H×W×2. */
  static float[] run(
      Session sess, Operand<TFloat32> x, Operand<TFloat32> prob, float[] in, int n, int h, int w) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, h, w, 1), DataBuffers.of(in, true, false));
        Result r = sess.runner().feed(x, t).fetch(prob).run()) {
      float[] o = new float[n * h * w * 2];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(o, false, false));
      return o;
    }
  }

  /** Seconds since {@code t0} (a {@link System#nanoTime()} reading). */
  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
