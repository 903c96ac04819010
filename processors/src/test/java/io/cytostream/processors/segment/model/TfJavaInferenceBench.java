package io.cytostream.processors.segment.model;

import java.nio.file.Path;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The protocol of {@link ModelInferenceBench} on the same SavedModel through TF Java 1.0.0 directly
 * ({@code org.tensorflow:tensorflow-core-api}, a session on the loaded bundle, no DJL), with the
 * same post-processing for the end-to-end figure. Run it on a class path without DJL's jars (DJL
 * binds TF Java 1.0.0-rc.1 and its own native library): {@code scripts/bench-inference}.
 *
 * <p>Usage: {@code TfJavaInferenceBench MODEL_DIR INTRA INTER [REPS]} (0 = TensorFlow's default).
 */
public final class TfJavaInferenceBench {
  private TfJavaInferenceBench() {}

  /** Entry point, see the class comment. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int intra = Integer.parseInt(args[1]);
    int inter = Integer.parseInt(args[2]);
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    ConfigProto.Builder cfg = ConfigProto.newBuilder();
    if (intra > 0) {
      cfg.setIntraOpParallelismThreads(intra);
    }
    if (inter > 0) {
      cfg.setInterOpParallelismThreads(inter);
    }
    try (SavedModelBundle b =
        SavedModelBundle.loader(dir.toString())
            .withTags("serve")
            .withConfigProto(cfg.build())
            .load()) {
      Operand<TFloat32> x = b.graph().operation("input").output(0);
      Operand<TFloat32> prob = b.graph().operation("output").output(0);
      Tiler.Net net =
          (in, n, h, w) -> {
            try (TFloat32 t =
                    TFloat32.tensorOf(Shape.of(n, h, w, 1), DataBuffers.of(in, true, false));
                Result r = b.session().runner().feed(x, t).fetch(prob).run()) {
              float[] o = new float[n * h * w * 2];
              ((TFloat32) r.get(0)).copyTo(DataBuffers.of(o, false, false));
              return o;
            }
          };
      Tiler tiler = Tiler.defaults();
      MapPostProcessor post = MapPostProcessor.defaults();
      ModelInferenceBench.run(
          "tfjava_intra" + intra + "_inter" + inter,
          net,
          img -> {
            float[][] m = tiler.maps(net, img.data(), img.width(), img.height());
            return post.labels(m[0], m[1], img.width(), img.height());
          },
          reps);
    }
  }
}
