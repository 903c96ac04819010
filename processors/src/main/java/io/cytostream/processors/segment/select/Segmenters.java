package io.cytostream.processors.segment.select;

import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.SegmentationConfig;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.model.ModelSegmenter;
import io.cytostream.processors.segment.model.ScaleCalibratedSegmenter;
import java.util.List;
import java.util.Objects;

/**
 * The segmenters of one service or run, by name ({@code --segmenter}, {@code --fov-segmenter}):
 * {@code classical} ({@link ClassicalSegmenter}) and {@code model} (the learned {@link
 * ModelSegmenter}). The learned model is loaded once, by {@link #open}, so a missing or corrupt
 * model fails start-up with a message naming its path; each stream task then takes its own
 * segmenter from {@link #newSegmenter} (for the model: its own DJL predictor, calibrated per FOV by
 * object size unless the choice's {@code modelScale} is null) and closes it.
 */
public final class Segmenters implements AutoCloseable {
  /** The names known. */
  public static final List<String> NAMES =
      List.of(SegmenterChoice.CLASSICAL, SegmenterChoice.MODEL);

  private final SegmenterChoice choice;
  private final ModelSegmenter model;

  private Segmenters(SegmenterChoice choice, ModelSegmenter model) {
    this.choice = choice;
    this.model = model;
  }

  /**
   * Loads what {@code choice} needs: the learned model when some FOV uses it.
   *
   * @throws io.cytostream.processors.segment.model.ModelLoadException naming the path when the
   *     model or TensorFlow's native library cannot be loaded
   */
  public static Segmenters open(SegmenterChoice choice) {
    Objects.requireNonNull(choice, "choice");
    if (!choice.usesModel()) {
      return new Segmenters(choice, null);
    }
    ModelSegmenter m =
        choice.modelDir() == null
            ? ModelSegmenter.loadBundled()
            : ModelSegmenter.load(choice.modelDir());
    return new Segmenters(choice, m);
  }

  /** Classical segmentation for every FOV; loads nothing. */
  public static Segmenters classical() {
    return new Segmenters(SegmenterChoice.classical(), null);
  }

  /** Which FOV uses which segmenter. */
  public SegmenterChoice choice() {
    return choice;
  }

  /** The loaded learned model, or null when no FOV uses it. */
  public ModelSegmenter model() {
    return model;
  }

  /**
   * A segmenter for one stream task (one thread at a time); the caller closes it.
   *
   * @param name a name from {@link #NAMES} that this choice uses
   * @param config the classical segmenter's settings
   */
  public Segmenter newSegmenter(String name, SegmentationConfig config) {
    switch (name) {
      case SegmenterChoice.CLASSICAL:
        return new ClassicalSegmenter(config);
      case SegmenterChoice.MODEL:
        if (model == null) {
          throw new IllegalStateException("the learned model was not loaded: no FOV uses it");
        }
        return choice.modelScale() == null
            ? model.newWorker()
            : ScaleCalibratedSegmenter.of(model, choice.modelScale());
      default:
        throw new IllegalArgumentException("unknown segmenter '" + name + "'");
    }
  }

  /** Closes the learned model (after every thread has closed its segmenter). */
  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
