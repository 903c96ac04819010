package io.cytostream.processors.segment.model;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.Segmenter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The learned segmenter: a U-Net SavedModel (input {@code input} N×H×W×1 normalised planes, output
 * {@code output} N×H×W×2 foreground/boundary probabilities) run through DJL's TensorFlow engine,
 * then {@link MapPostProcessor}. Planes larger than the {@link Tiler}'s limit are tiled with
 * overlap.
 *
 * <p><b>Threads.</b> The loaded model is shared; a DJL {@link Predictor} is not thread-safe, so
 * each thread segments through its own {@link Worker}: a stream processor calls {@link
 * #newWorker()} in {@code init} and closes the worker in {@code close}.
 *
 * <p><b>Memory.</b> Every call's native tensors live in the predictor context's NDManager, which
 * DJL closes after the call; only float[] copies leave it.
 *
 * <p><b>Offline.</b> {@link TensorFlowNatives#configure()} sets {@code ai.djl.offline=true} and
 * points {@code TENSORFLOW_LIBRARY_PATH} at the {@code tensorflow-core-native:1.0.0-rc.1} library
 * the build unpacked beside the jar, unless the user set them.
 */
public final class ModelSegmenter implements AutoCloseable {
  /** The bundled model's resource folder. */
  public static final String BUNDLED = "models/unet-seg/2/";

  private static final List<String> FILES =
      List.of(
          "saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001");

  private final Path path;
  private final ZooModel<Tile, float[]> model;
  private final Tiler tiler;
  private final MapPostProcessor post;

  /** A batch of same-size planes for the network. */
  public record Tile(float[] data, int n, int h, int w) {}

  private ModelSegmenter(Path path, ZooModel<Tile, float[]> model, Tiler t, MapPostProcessor p) {
    this.path = path;
    this.model = model;
    this.tiler = t;
    this.post = p;
  }

  /**
   * Loads a SavedModel directory and checks it with one small inference.
   *
   * @throws ModelLoadException naming the path when it is missing or not a loadable model
   */
  public static ModelSegmenter load(Path dir, Tiler tiler, MapPostProcessor post) {
    Path abs = dir.toAbsolutePath();
    if (!Files.isRegularFile(abs.resolve("saved_model.pb"))) {
      throw new ModelLoadException(
          "segmenter model not found: "
              + abs
              + " (expected a TensorFlow SavedModel folder with saved_model.pb and variables/)",
          null);
    }
    TensorFlowNatives.configure();
    ZooModel<Tile, float[]> m = null;
    try {
      Criteria<Tile, float[]> c =
          Criteria.builder()
              .setTypes(Tile.class, float[].class)
              .optEngine("TensorFlow")
              .optModelPath(abs)
              .optOption("Tags", "serve")
              .optOption("SignatureDefKey", "serving_default")
              .optTranslator(new MapTranslator())
              .build();
      m = c.loadModel();
      ModelSegmenter s = new ModelSegmenter(abs, m, tiler, post);
      try (Worker w = s.newWorker()) {
        int n = tiler.multiple() * 2;
        float[] o = w.run(new float[n * n], 1, n, n);
        if (o.length != 2 * n * n) {
          throw new IllegalStateException(
              "output has " + o.length + " values, expected 2 per pixel");
        }
      }
      return s;
    } catch (ModelNotFoundException
        | MalformedModelException
        | IOException
        | RuntimeException
        | LinkageError e) {
      if (m != null) {
        m.close();
      }
      throw new ModelLoadException(
          "cannot load segmenter model from " + abs + ": " + e.getMessage(), e);
    }
  }

  /** {@link #load(Path, Tiler, MapPostProcessor)} with the defaults. */
  public static ModelSegmenter load(Path dir) {
    return load(dir, Tiler.defaults(), MapPostProcessor.defaults());
  }

  /**
   * The model bundled in this jar ({@value #BUNDLED}), copied to a fresh temporary folder (TF reads
   * SavedModels from files only) and loaded.
   */
  public static ModelSegmenter loadBundled() {
    try {
      Path dir = Files.createTempDirectory("cytostream-unet-seg-");
      dir.toFile().deleteOnExit();
      for (String f : FILES) {
        try (InputStream in =
            ModelSegmenter.class.getClassLoader().getResourceAsStream(BUNDLED + f)) {
          if (in == null) {
            throw new ModelLoadException(
                "segmenter model not found on the classpath: " + BUNDLED + f, null);
          }
          Path t = dir.resolve(f);
          Files.createDirectories(t.getParent());
          Files.copy(in, t, StandardCopyOption.REPLACE_EXISTING);
          t.toFile().deleteOnExit();
        }
      }
      dir.resolve("variables").toFile().deleteOnExit();
      return load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model folder. */
  public Path path() {
    return path;
  }

  /** The tiling of large planes. */
  public Tiler tiler() {
    return tiler;
  }

  /** The post-processing of the maps. */
  public MapPostProcessor post() {
    return post;
  }

  /** A predictor for one thread; close it when the thread is done. */
  public Worker newWorker() {
    return new Worker(model.newPredictor());
  }

  /** Closes the model; close the workers first. */
  @Override
  public void close() {
    model.close();
  }

  /** One thread's segmenter: a DJL predictor plus the tiling and post-processing. */
  public final class Worker implements Segmenter, AutoCloseable {
    private final Predictor<Tile, float[]> predictor;

    private Worker(Predictor<Tile, float[]> predictor) {
      this.predictor = predictor;
    }

    /** Raw network output for n planes of h×w (h, w multiples of 8): n×h×w×2, channel fastest. */
    public float[] run(float[] input, int n, int h, int w) {
      try {
        return predictor.predict(new Tile(input, n, h, w));
      } catch (TranslateException e) {
        throw new IllegalStateException("segmenter inference failed: " + e.getMessage(), e);
      }
    }

    /** The foreground and boundary maps of a plane. */
    public float[][] maps(FloatImage normalized) {
      return tiler.maps(this::run, normalized.data(), normalized.width(), normalized.height());
    }

    @Override
    public LabelImage segment(FloatImage normalized) {
      float[][] m = maps(normalized);
      return post.labels(m[0], m[1], normalized.width(), normalized.height());
    }

    @Override
    public void close() {
      predictor.close();
    }
  }

  /** Float arrays in and out; the tensors live in the per-call context manager. */
  private static final class MapTranslator implements Translator<Tile, float[]> {
    @Override
    public NDList processInput(TranslatorContext ctx, Tile t) {
      return new NDList(ctx.getNDManager().create(t.data(), new Shape(t.n(), t.h(), t.w(), 1)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      return list.get(0).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
      return null;
    }
  }
}
