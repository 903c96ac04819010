package io.cytostream.processors.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.processors.denoise.MedianFilter3x3;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.segment.ClassicalSegmenter;
import io.cytostream.processors.segment.CtcData;
import io.cytostream.processors.segment.SegmentHierarchy;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Output regression guard for the image kernels: SHA-256 digests of everything the image stage
 * produces — the {@code cells.observed} messages as serialised (cells, pairs, label image,
 * candidates, quality), the normalised planes, the single-level labels of {@link
 * ClassicalSegmenter#segment} and the candidate hierarchy of {@link ClassicalSegmenter#hierarchy} —
 * on simulated frames and on the first frames of CTC Fluo-N2DH-SIM+ 01. The digests were recorded
 * on main at a29596f, before the kernels were optimised: an optimisation must keep every output
 * bit; an intended change of the output must update the digests and say so in its commit (the
 * simulated observations changed with the confluent foreground, {@code ConfluentForeground}, and
 * again when a hot pixel at the maximum stopped counting as saturated, {@code HotPixelDetector}).
 */
class ImageOutputRegressionTest {

  static final String SIMULATED_OBSERVATIONS =
      "9abaa0644fd56f87dc1c42d958c54cffad99e22f2730bfb1026317a19caaf941";
  static final String SIMULATED_SEGMENT =
      "4aaa32207c0f06435d7e6c6ba2c84ae252150870d11a384abbe2fd19c4a082a2";
  static final String SIM_PLUS_HIERARCHY =
      "bf89000339d081441bbcb9d705a6971d5c44f5e96ccfba4eee40ccfe4cdb6dcc";

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void put(MessageDigest d, int[] a) {
    ByteBuffer b = ByteBuffer.allocate(4 * a.length + 4);
    b.putInt(a.length);
    for (int v : a) {
      b.putInt(v);
    }
    d.update(b.array());
  }

  static void put(MessageDigest d, float[] a) {
    ByteBuffer b = ByteBuffer.allocate(4 * a.length);
    for (float v : a) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    d.update(b.array());
  }

  static void put(MessageDigest d, SegmentHierarchy hierarchy) {
    LabelImage leaves = hierarchy.leaves();
    put(d, new int[] {leaves.width(), leaves.height(), leaves.count()});
    put(d, leaves.labels());
    for (SegmentHierarchy.Group g : hierarchy.groups()) {
      put(d, g.members());
      put(d, new int[] {g.preferred() ? 1 : 0});
    }
  }

  /** Eleven 320×288 frames with 40 cells: the normaliser settles on the tenth. */
  @Test
  void simulatedFramesThroughTheImagePipeline() {
    SimulationConfig sim =
        SimulationConfig.builder()
            .seed(11)
            .size(320, 288)
            .cells(40)
            .frames(11)
            .frameIntervalSeconds(1)
            .build();
    ClassicalSegmenter seg = new ClassicalSegmenter();
    ImagePipeline pipeline = new ImagePipeline(ImagePipeline.Settings.defaults(), seg);
    NormalizerState state = pipeline.initialState();
    MessageDigest obsDigest = sha256();
    MessageDigest segDigest = sha256();
    var ser = Topics.CELLS_OBSERVED.valueSerde().serializer();
    Iterator<SimulatedFrame> it = new CultureSimulator(sim);
    int frames = 0;
    int cells = 0;
    while (it.hasNext()) {
      SimulatedFrame f = it.next();
      if (f.dropped()) {
        continue;
      }
      RawPlane r = f.raw();
      Frame frame =
          new Frame(
              FrameHeader.inline(
                  "fov-1",
                  frames,
                  Instant.ofEpochSecond(1_700_000_000L + frames),
                  r.width(),
                  r.height(),
                  r.type(),
                  0.65,
                  1.0,
                  "test"),
              r.pixels());
      ImagePipeline.Result res = pipeline.process(frame, state, null, 1, true);
      state = res.normalizer();
      FrameObservations obs = res.observations();
      cells += obs.cells().size();
      obsDigest.update(ser.serialize(Topics.CELLS_OBSERVED.name(), obs));
      put(obsDigest, res.normalized().data());
      put(obsDigest, res.labels().labels());
      LabelImage single = seg.segment(res.normalized());
      put(segDigest, new int[] {single.count()});
      put(segDigest, single.labels());
      frames++;
    }
    assertThat(frames).isEqualTo(11);
    assertThat(cells).as("cells found over the frames").isGreaterThan(11 * 20);
    assertThat(HexFormat.of().formatHex(obsDigest.digest())).isEqualTo(SIMULATED_OBSERVATIONS);
    assertThat(HexFormat.of().formatHex(segDigest.digest())).isEqualTo(SIMULATED_SEGMENT);
  }

  /** The first two frames of SIM+ 01 (skips without the shared data). */
  @Test
  void simPlusFramesThroughTheSegmenter() {
    Path dir = CtcData.sharedData().resolve("ctc/Fluo-N2DH-SIM+/01");
    Assumptions.assumeTrue(Files.isDirectory(dir), "shared CTC data absent: skipping");
    ClassicalSegmenter seg = new ClassicalSegmenter();
    MedianFilter3x3 median = new MedianFilter3x3(1);
    MessageDigest d = sha256();
    for (int t = 0; t < 2; t++) {
      FloatImage raw = CtcData.readFloat(dir.resolve(String.format("t%03d.tif", t)));
      FloatImage med = median.apply(raw);
      put(d, med.data());
      // a fixed affine map of the log plane stands in for the per-FOV normalisation
      float[] z = new float[med.size()];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) ((Math.log1p(Math.max(med.data()[i], 0f)) - 4.0) / 2.0);
      }
      FloatImage normalized = new FloatImage(med.width(), med.height(), z);
      put(d, seg.hierarchy(normalized));
      put(d, seg.segment(normalized).labels());
      put(d, ClassicalSegmenter.flattenRowsCols(normalized).data());
    }
    assertThat(HexFormat.of().formatHex(d.digest())).isEqualTo(SIM_PLUS_HIERARCHY);
  }
}
