package io.cytostream.ml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A small U-Net in TF Java graph ops: {@code levels} poolings, {@code base·2^l} channels at level l
 * (capped at {@code 4·base}), 3×3 convolutions with ReLU, nearest-neighbour upsampling, skip
 * concatenation, one convolution per decoder level, a 1×1 head with two logits (foreground, cell
 * boundary). Input NHWC with one channel; H and W must be multiples of 2^levels. Weights are
 * He-normal from a seeded {@link Random}, biases zero.
 */
final class UNet {
  private final Ops tf;
  private final Random rnd;
  private final List<Variable<TFloat32>> vars = new ArrayList<>();
  private long params;

  UNet(Ops tf, long seed) {
    this.tf = tf;
    this.rnd = new Random(seed);
  }

  /** Number of trainable values. */
  long params() {
    return params;
  }

  /** Builds the network on {@code x} and returns the logits (N,H,W,2). */
  Operand<TFloat32> logits(Operand<TFloat32> x, int base, int levels) {
    List<Operand<TFloat32>> skips = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    Operand<TFloat32> h = conv(x, 1, base, 3, true);
    int c = base;
    skips.add(h);
    widths.add(c);
    for (int l = 1; l <= levels; l++) {
      h = pool(h);
      int nc = Math.min(base << l, 4 * base);
      h = conv(h, c, nc, 3, true);
      h = conv(h, nc, nc, 3, true);
      c = nc;
      if (l < levels) {
        skips.add(h);
        widths.add(c);
      }
    }
    for (int l = levels - 1; l >= 0; l--) {
      h = up(h);
      h = tf.concat(List.of(h, skips.get(l)), tf.constant(3));
      int nc = Math.max(base, Math.min(base << l, 4 * base));
      h = conv(h, c + widths.get(l), nc, 3, true);
      c = nc;
    }
    return conv(h, c, 2, 1, false);
  }

  private Operand<TFloat32> conv(Operand<TFloat32> x, int cin, int cout, int k, boolean relu) {
    float std = (float) Math.sqrt(2.0 / (k * k * cin));
    float[] w = new float[k * k * cin * cout];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * std);
    }
    Variable<TFloat32> wv =
        tf.variable(tf.constant(Shape.of(k, k, cin, cout), DataBuffers.of(w, true, false)));
    Variable<TFloat32> bv =
        tf.variable(tf.constant(Shape.of(cout), DataBuffers.of(new float[cout], true, false)));
    vars.add(wv);
    vars.add(bv);
    params += w.length + cout;
    Operand<TFloat32> y = tf.nn.biasAdd(tf.nn.conv2d(x, wv, List.of(1L, 1L, 1L, 1L), "SAME"), bv);
    return relu ? tf.nn.relu(y) : y;
  }

  private Operand<TFloat32> pool(Operand<TFloat32> x) {
    Operand<TInt32> k = tf.constant(new int[] {1, 2, 2, 1});
    return tf.nn.maxPool(x, k, k, "SAME");
  }

  private Operand<TFloat32> up(Operand<TFloat32> x) {
    Operand<TInt32> hw =
        tf.math.mul(
            tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2})),
            tf.constant(2));
    return tf.image.resizeNearestNeighbor(x, hw);
  }
}
