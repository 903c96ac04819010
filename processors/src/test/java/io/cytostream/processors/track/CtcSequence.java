package io.cytostream.processors.track;

import io.cytostream.processors.track.eval.CtcScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CTC sequence prepared for tracking experiments: per-frame detections from a label-image source
 * (SEG masks or TRA markers), the ground-truth tracks, and the matching of the source labels to the
 * TRA markers, computed once. Since a result mask is the source label image relabelled one-to-one,
 * scoring a tracker run only needs to translate the precomputed matching.
 */
final class CtcSequence {
  /** Where detections come from. */
  enum Source {
    /** {@code NN_GT/SEG/man_segTTT.tif}. */
    SEG,
    /** {@code NN_GT/TRA/man_trackTTT.tif}. */
    TRA
  }

  final Path gtDir;
  final Source source;
  final int frames;
  final List<List<Detection>> detections = new ArrayList<>();
  final List<CtcScorer.FrameMatch> sourceMatch = new ArrayList<>();
  final List<CtcScorer.Track> refTracks;

  CtcSequence(Path gtDir, Source source) {
    this.gtDir = gtDir;
    this.source = source;
    try {
      this.refTracks = CtcScorer.readTracks(gtDir.resolve("TRA/man_track.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.frames = refTracks.stream().mapToInt(CtcScorer.Track::end).max().orElse(-1) + 1;
    for (int t = 0; t < frames; t++) {
      CtcData.LabelImage tra = CtcData.readLabels(traPath(t));
      CtcData.LabelImage src = source == Source.TRA ? tra : CtcData.readLabels(sourcePath(t));
      detections.add(CtcData.detections(src, null));
      sourceMatch.add(CtcScorer.FrameMatch.of(tra.labels(), src.labels()));
    }
  }

  Path traPath(int t) {
    return gtDir.resolve("TRA/man_track" + CtcData.ttt(t) + ".tif");
  }

  Path sourcePath(int t) {
    return source == Source.TRA
        ? traPath(t)
        : gtDir.resolve("SEG/man_seg" + CtcData.ttt(t) + ".tif");
  }

  /** The outcome of one tracker run. */
  record Run(
      CtcTrackTable table,
      List<CtcScorer.FrameMatch> matches,
      CtcScorer.Result aogm,
      List<CtcScorer.Divisions> bc) {
    double bc(int i) {
      return bc.get(i).bc();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(aogm.toString());
      for (int i = 0; i < bc.size(); i++) {
        CtcScorer.Divisions d = bc.get(i);
        sb.append(
            String.format(
                java.util.Locale.ROOT,
                " BC(%d) %.4f (tp %d fp %d fn %d)",
                i,
                d.bc(),
                d.tp(),
                d.fp(),
                d.fn()));
      }
      return sb.toString();
    }
  }

  /** Tracks the whole sequence frame by frame and scores it. */
  Run track(TrackerConfig config) {
    OnlineTracker tracker = new OnlineTracker(config);
    CtcTrackTable table = new CtcTrackTable();
    for (int t = 0; t < frames; t++) {
      table.acceptAll(tracker.push(t, detections.get(t)));
    }
    table.acceptAll(tracker.flush());
    return score(table);
  }

  /** Scores a table produced from this sequence's detections. */
  Run score(CtcTrackTable table) {
    List<CtcScorer.FrameMatch> matches = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      Map<Integer, Integer> map = table.labelMap(t);
      CtcScorer.FrameMatch s = sourceMatch.get(t);
      int[] comp = new int[s.compLabels().length];
      for (int k = 0; k < comp.length; k++) {
        comp[k] = map.getOrDefault(s.compLabels()[k], 0);
      }
      int[] mc = new int[s.mappedComp().length];
      for (int k = 0; k < mc.length; k++) {
        mc[k] = map.getOrDefault(s.mappedComp()[k], 0);
      }
      matches.add(
          new CtcScorer.FrameMatch(
              s.refLabels(),
              java.util.Arrays.stream(comp).filter(c -> c != 0).sorted().toArray(),
              s.mappedRef(),
              mc));
    }
    List<CtcScorer.Track> comp = CtcScorer.fromTable(table.tracks());
    CtcScorer.Result r = CtcScorer.aogm(refTracks, comp, matches);
    List<CtcScorer.Divisions> bc = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bc.add(CtcScorer.divisions(refTracks, comp, matches, i));
    }
    return new Run(table, matches, r, bc);
  }

  /** Writes {@code res_track.txt} and 16-bit {@code maskTTT.tif} (source relabelled) to dir. */
  void writeResult(CtcTrackTable table, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("res_track.txt"), table.render());
      for (int t = 0; t < frames; t++) {
        CtcData.LabelImage src = CtcData.readLabels(sourcePath(t));
        Map<Integer, Integer> map = new HashMap<>(table.labelMap(t));
        int[] out = CtcScorer.relabel(src.labels(), map);
        CtcData.writeLabels16(
            dir.resolve("mask" + CtcData.ttt(t) + ".tif"),
            new CtcData.LabelImage(src.width(), src.height(), out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
