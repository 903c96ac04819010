package io.cytostream.ml.pinn;

import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The paper's PINN for the consensus model (Section 2.3, eqs. 21–22; hyper-parameters of Sections
 * 3.2 and 4), in TF Java: a fully connected network t ↦ ŷ(t) ∈ ℝ^G (one output per modelled cell;
 * {@code hidden} layers of {@code width} tanh units, the paper's 4 × 32) trained with the trainable
 * coupling k and feeds γ_1 … γ_G on the loss
 *
 * <pre>
 *   L = L_data + L_F
 *   L_data = mean_{t,i} (ŷ_i(t) − y_i(t))²
 *   L_F    = mean_{t,i} (dŷ_i/dt − k (X_i(t) − S_i(t) ŷ_i(t)) − γ_i)²
 * </pre>
 *
 * over the observed (t, i) (a mask leaves out cells absent at t), with S_i = (1/|N_i|) Σ_j w_ij and
 * X_i = (1/|N_i|) Σ_j w_ij x_j the measured neighbours' input (the paper's x^j), so that the
 * residual is the model's eq. (3): ẏ_i = (k/|N_i|) Σ_j w_ij (x_j − y_i) + γ_i, per second as in eq.
 * (21). The paper sums over cells and averages over time; the mean over both used here only
 * rescales both terms by 1/G.
 *
 * <p>Network: input τ = (t − t_0)/(t_end − t_0) ∈ [0, 1]; output ŷ_i = m_i + s_i·(h W + b)_i with
 * m_i, s_i the mean and s.d. of cell i's observed y (fixed; without this output scaling the paper's
 * learning rate needs thousands of steps only to move the bias to y ≈ 0.4, and the network had not
 * fitted the data after 500 epochs). dŷ/dt is exact: the forward-mode derivative of the tanh
 * network, propagated layer by layer in the graph (dh_l/dτ = (1 − h_l²) ⊙ (dh_{l−1}/dτ W_l)),
 * divided by t_end − t_0. Optionally ({@link Config#residualInNetworkTime}) the residual is taken
 * per unit of τ instead (dŷ/dτ − (t_end − t_0)·f), which weights L_F by (t_end − t_0)²: on the
 * simulator that drove the network to a flat trace with k ≈ 0, so the default is per second.
 *
 * <p>Training: Adam (lr 0.001), batches of {@code batch} time points (the paper's 20) shuffled per
 * epoch, {@code epochs} epochs (the paper's 500); the paper's extra points from linear
 * interpolation between frames are not made (its 2 610 points came from 361 frames). k starts at
 * {@code k0} and every γ_i at 0; neither is bounded (the paper's PINN has no box). Weights:
 * Glorot-uniform from the seed. Float32, one session on one thread.
 *
 * <p>Units: t in s, y and x in signal units, w dimensionless, k in 1/s, γ in signal units per s.
 */
public final class ConsensusPinn {

  /**
   * Hyper-parameters.
   *
   * @param hidden hidden layers (paper: 4)
   * @param width units per hidden layer (paper: 32)
   * @param learningRate Adam's learning rate (paper: 0.001)
   * @param batch time points per batch (paper: 20 for one cell, 80 for groups)
   * @param epochs passes over the time points (paper: 500)
   * @param k0 initial k, 1/s
   * @param residualInNetworkTime L_F per unit of network time τ instead of per second
   * @param seed weights and batch order
   */
  public record Config(
      int hidden,
      int width,
      double learningRate,
      int batch,
      int epochs,
      double k0,
      boolean residualInNetworkTime,
      long seed) {

    /**
     * The paper's: 4 × 32, lr 0.001, batch 20, 500 epochs; k_0 = 0.01 (mid-box, log scale); the
     * residual per second.
     */
    public static Config paper(long seed) {
      return new Config(4, 32, 0.001, 20, 500, 0.01, false, seed);
    }

    /** This configuration with another number of epochs. */
    public Config withEpochs(int e) {
      return new Config(hidden, width, learningRate, batch, e, k0, residualInNetworkTime, seed);
    }

    /** This configuration with the residual in network time (true) or per second (false). */
    public Config withResidualInNetworkTime(boolean tau) {
      return new Config(hidden, width, learningRate, batch, epochs, k0, tau, seed);
    }
  }

  /**
   * The data: T time points of G cells.
   *
   * @param timeSeconds t of each point, s, increasing (length T)
   * @param y measured y [T][G]
   * @param coupling S_i(t) [T][G], dimensionless
   * @param drive X_i(t) [T][G], signal units
   * @param observed whether cell i is observed (with neighbours) at t [T][G]
   */
  public record Data(
      double[] timeSeconds,
      double[][] y,
      double[][] coupling,
      double[][] drive,
      boolean[][] observed) {

    /** Number of cells G. */
    public int cells() {
      return y.length == 0 ? 0 : y[0].length;
    }
  }

  /**
   * The trained parameters.
   *
   * @param k learned coupling, 1/s
   * @param gamma learned γ_i per cell (in the data's column order), signal units per s
   * @param dataLoss L_data over all points at the end
   * @param physicsLoss L_F over all points at the end
   * @param steps Adam steps taken
   * @param seconds wall time of building and training, s
   */
  public record Fit(
      double k, double[] gamma, double dataLoss, double physicsLoss, long steps, double seconds) {}

  private ConsensusPinn() {}

  /** Trains the PINN on the data and returns k, γ_i and the final losses. */
  public static Fit train(Data d, Config c) {
    long t0 = System.nanoTime();
    int n = d.timeSeconds().length;
    int g = d.cells();
    if (n < 2 || g < 1) {
      throw new IllegalArgumentException("need at least 2 time points and 1 cell");
    }
    double tStart = d.timeSeconds()[0];
    double span = d.timeSeconds()[n - 1] - tStart;
    float[] tau = new float[n];
    float[] y = new float[n * g];
    float[] s = new float[n * g];
    float[] x = new float[n * g];
    float[] m = new float[n * g];
    for (int t = 0; t < n; t++) {
      tau[t] = (float) ((d.timeSeconds()[t] - tStart) / span);
      for (int i = 0; i < g; i++) {
        boolean ok = d.observed()[t][i];
        y[t * g + i] = ok ? (float) d.y()[t][i] : 0f;
        s[t * g + i] = ok ? (float) d.coupling()[t][i] : 0f;
        x[t * g + i] = ok ? (float) d.drive()[t][i] : 0f;
        m[t * g + i] = ok ? 1f : 0f;
      }
    }
    float[] mean = new float[g];
    float[] spread = new float[g];
    for (int i = 0; i < g; i++) {
      double sum = 0;
      double sq = 0;
      int cnt = 0;
      for (int t = 0; t < n; t++) {
        if (d.observed()[t][i]) {
          sum += d.y()[t][i];
          sq += d.y()[t][i] * d.y()[t][i];
          cnt++;
        }
      }
      double mu = cnt > 0 ? sum / cnt : 0;
      double var = cnt > 1 ? Math.max(sq / cnt - mu * mu, 0) : 0;
      mean[i] = (float) mu;
      spread[i] = (float) Math.max(Math.sqrt(var), 1e-3);
    }
    Random rnd = new Random(c.seed());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> pTau =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> pY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, g)));
      Placeholder<TFloat32> pS = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, g)));
      Placeholder<TFloat32> pX = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, g)));
      Placeholder<TFloat32> pM = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, g)));

      // forward pass with the exact derivative dh/dτ carried along
      Operand<TFloat32> h = pTau;
      Operand<TFloat32> dh = null;
      int in = 1;
      for (int l = 0; l < c.hidden(); l++) {
        Variable<TFloat32> w = glorot(tf, rnd, in, c.width());
        Variable<TFloat32> b = zeros(tf, c.width());
        Operand<TFloat32> a = tf.math.tanh(tf.math.add(tf.linalg.matMul(h, w), b));
        Operand<TFloat32> slope = tf.math.sub(tf.constant(1f), tf.math.square(a));
        // dh_0/dτ = 1: the first layer's pre-activation derivative is W_1 (broadcast over rows)
        Operand<TFloat32> dPre = dh == null ? w : tf.linalg.matMul(dh, w);
        dh = tf.math.mul(slope, dPre);
        h = a;
        in = c.width();
      }
      Variable<TFloat32> wOut = glorot(tf, rnd, in, g);
      Variable<TFloat32> bOut = zeros(tf, g);
      // outputs in each cell's own scale: ŷ_i = mean_i + sd_i · (h W + b)_i (fixed from the data)
      Operand<TFloat32> mu = tf.constant(Shape.of(g), DataBuffers.of(mean, true, false));
      Operand<TFloat32> sd = tf.constant(Shape.of(g), DataBuffers.of(spread, true, false));
      Operand<TFloat32> yHat =
          tf.math.add(mu, tf.math.mul(sd, tf.math.add(tf.linalg.matMul(h, wOut), bOut)));
      // the residual per unit of network time τ (dŷ/dτ − span·f) or per second (dŷ/dt − f)
      double scale = c.residualInNetworkTime() ? 1.0 : 1.0 / span;
      Operand<TFloat32> dyDt =
          tf.math.mul(tf.math.mul(sd, tf.linalg.matMul(dh, wOut)), tf.constant((float) scale));

      Variable<TFloat32> k = tf.variable(tf.constant((float) c.k0()));
      Variable<TFloat32> gamma =
          tf.variable(tf.constant(Shape.of(g), DataBuffers.of(new float[g], true, false)));
      Operand<TFloat32> rhs =
          tf.math.mul(
              tf.math.add(tf.math.mul(k, tf.math.sub(pX, tf.math.mul(pS, yHat))), gamma),
              tf.constant((float) (scale * span)));
      Operand<TFloat32> count =
          tf.math.maximum(tf.sum(pM, tf.constant(new int[] {0, 1})), tf.constant(1f));
      Operand<TFloat32> dataLoss =
          tf.math.div(
              tf.sum(
                  tf.math.mul(pM, tf.math.square(tf.math.sub(yHat, pY))),
                  tf.constant(new int[] {0, 1})),
              count);
      Operand<TFloat32> physLoss =
          tf.math.div(
              tf.sum(
                  tf.math.mul(pM, tf.math.square(tf.math.sub(dyDt, rhs))),
                  tf.constant(new int[] {0, 1})),
              count);
      Operand<TFloat32> loss = tf.math.add(dataLoss, physLoss);
      Op minimize = new Adam(graph, (float) c.learningRate()).minimize(loss);

      ConfigProto cfg =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(1)
              .setInterOpParallelismThreads(1)
              .build();
      try (Session sess = new Session(graph, cfg)) {
        sess.initialize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        long steps = 0;
        int bs = Math.min(c.batch(), n);
        float[] bt = new float[bs];
        float[] by = new float[bs * g];
        float[] bsv = new float[bs * g];
        float[] bx = new float[bs * g];
        float[] bm = new float[bs * g];
        for (int e = 0; e < c.epochs(); e++) {
          shuffle(order, rnd);
          for (int start = 0; start + bs <= n; start += bs) {
            for (int r = 0; r < bs; r++) {
              int t = order[start + r];
              bt[r] = tau[t];
              System.arraycopy(y, t * g, by, r * g, g);
              System.arraycopy(s, t * g, bsv, r * g, g);
              System.arraycopy(x, t * g, bx, r * g, g);
              System.arraycopy(m, t * g, bm, r * g, g);
            }
            try (TFloat32 ft = TFloat32.tensorOf(Shape.of(bs, 1), DataBuffers.of(bt, true, false));
                TFloat32 fy = TFloat32.tensorOf(Shape.of(bs, g), DataBuffers.of(by, true, false));
                TFloat32 fs = TFloat32.tensorOf(Shape.of(bs, g), DataBuffers.of(bsv, true, false));
                TFloat32 fx = TFloat32.tensorOf(Shape.of(bs, g), DataBuffers.of(bx, true, false));
                TFloat32 fm = TFloat32.tensorOf(Shape.of(bs, g), DataBuffers.of(bm, true, false))) {
              sess.runner()
                  .feed(pTau, ft)
                  .feed(pY, fy)
                  .feed(pS, fs)
                  .feed(pX, fx)
                  .feed(pM, fm)
                  .addTarget(minimize)
                  .run()
                  .close();
            }
            steps++;
          }
        }
        // final losses over all points, and the parameters
        try (TFloat32 ft = TFloat32.tensorOf(Shape.of(n, 1), DataBuffers.of(tau, true, false));
            TFloat32 fy = TFloat32.tensorOf(Shape.of(n, g), DataBuffers.of(y, true, false));
            TFloat32 fs = TFloat32.tensorOf(Shape.of(n, g), DataBuffers.of(s, true, false));
            TFloat32 fx = TFloat32.tensorOf(Shape.of(n, g), DataBuffers.of(x, true, false));
            TFloat32 fm = TFloat32.tensorOf(Shape.of(n, g), DataBuffers.of(m, true, false));
            Result r =
                sess.runner()
                    .feed(pTau, ft)
                    .feed(pY, fy)
                    .feed(pS, fs)
                    .feed(pX, fx)
                    .feed(pM, fm)
                    .fetch(dataLoss)
                    .fetch(physLoss)
                    .fetch(k)
                    .fetch(gamma)
                    .run()) {
          double dl = ((TFloat32) r.get(0)).getFloat();
          double pl = ((TFloat32) r.get(1)).getFloat();
          double kv = ((TFloat32) r.get(2)).getFloat();
          float[] gv = new float[g];
          ((TFloat32) r.get(3)).copyTo(DataBuffers.of(gv, false, false));
          double[] gd = new double[g];
          for (int i = 0; i < g; i++) {
            gd[i] = gv[i];
          }
          return new Fit(kv, gd, dl, pl, steps, (System.nanoTime() - t0) / 1e9);
        }
      }
    }
  }

  private static Variable<TFloat32> glorot(Ops tf, Random rnd, int in, int out) {
    float[] w = new float[in * out];
    double lim = Math.sqrt(6.0 / (in + out));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((2 * rnd.nextDouble() - 1) * lim);
    }
    return tf.variable(tf.constant(Shape.of(in, out), DataBuffers.of(w, true, false)));
  }

  private static Variable<TFloat32> zeros(Ops tf, int n) {
    return tf.variable(tf.constant(Shape.of(n), DataBuffers.of(new float[n], true, false)));
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
