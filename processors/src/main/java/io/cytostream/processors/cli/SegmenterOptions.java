package io.cytostream.processors.cli;

import io.cytostream.processors.segment.select.SegmenterChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Segmenter options shared by {@code demo}, {@code serve} and {@code process}. */
final class SegmenterOptions {
  @Option(
      names = "--segmenter",
      defaultValue = "${env:CYTOSTREAM_SEGMENTER}",
      paramLabel = "NAME",
      description =
          "Segmenter of every FOV without a --fov-segmenter: classical or model (the learned"
              + " U-Net run through DJL) (default: env CYTOSTREAM_SEGMENTER, else classical;"
              + " the demo's own simulated FOVs: model).")
  String segmenter;

  @Option(
      names = "--fov-segmenter",
      paramLabel = "FOV=NAME",
      split = ",",
      defaultValue = "${env:CYTOSTREAM_FOV_SEGMENTERS}",
      description =
          "Segmenter of one FOV, e.g. --fov-segmenter demo/fov-2=model; repeatable or"
              + " comma-separated (env CYTOSTREAM_FOV_SEGMENTERS).")
  List<String> perFov = new ArrayList<>();

  @Option(
      names = "--segmenter-model",
      paramLabel = "DIR",
      defaultValue = "${env:CYTOSTREAM_SEGMENTER_MODEL}",
      description =
          "SavedModel folder for the model segmenter (default: the model bundled in the jar,"
              + " unet-seg v2; env CYTOSTREAM_SEGMENTER_MODEL).")
  Path modelDir;

  @Option(
      names = "--segmenter-scale",
      paramLabel = "auto|off|T,L,H",
      defaultValue = "${env:CYTOSTREAM_SEGMENTER_SCALE}",
      description =
          "Model segmenter: each FOV's object size is estimated over its calibration frames and"
              + " held; FOVs whose objects measure outside L-H px are resized to T px (auto: the"
              + " bundled model's 60,33,75; off: every FOV at its own scale) (env"
              + " CYTOSTREAM_SEGMENTER_SCALE).")
  String scale;

  /**
   * The validated choice; classical when neither {@code --segmenter} nor {@code
   * CYTOSTREAM_SEGMENTER} names one. A bad name or folder is a parameter error.
   */
  SegmenterChoice choice(CommandLine cl) {
    if (modelDir != null && !Files.isDirectory(modelDir)) {
      throw new CommandLine.ParameterException(
          cl, "--segmenter-model " + modelDir + " is not a directory");
    }
    try {
      Map<String, String> m = new LinkedHashMap<>();
      if (perFov != null) {
        perFov.forEach(p -> m.putAll(SegmenterChoice.parsePerFov(p)));
      }
      return new SegmenterChoice(
          segmenter != null ? segmenter : SegmenterChoice.CLASSICAL,
          m,
          modelDir,
          SegmenterChoice.parseScale(scale));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--segmenter: " + e.getMessage());
    }
  }
}
