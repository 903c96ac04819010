package io.cytostream.ingest.tiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cytostream.schemas.PixelType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiffSequenceReaderTest {

  private static Path shared(String relative) {
    Path p = Path.of(System.getProperty("cytostream.shared", "../shared")).resolve(relative);
    assumeTrue(Files.exists(p), "shared data missing: " + p);
    return p;
  }

  @Test
  void readsTheCtcSimFolderInFrameOrder() throws IOException {
    try (TiffSequenceReader r = TiffSequenceReader.open(shared("data/ctc/Fluo-N2DH-SIM+/01"))) {
      assertThat(r.frameCount()).isEqualTo(65);
      assertThat(r.frameNumbers().get(0)).isZero();
      assertThat(r.frameNumbers().get(64)).isEqualTo(64);
      long total = 0;
      int expected = 0;
      for (TiffSequenceReader.Frame f : r) {
        assertThat(f.frameNumber()).isEqualTo(expected++);
        assertThat(f.plane().type()).isEqualTo(PixelType.UINT16);
        // 690 rows of 628 pixels
        assertThat(f.plane().width()).isEqualTo(628);
        assertThat(f.plane().height()).isEqualTo(690);
        if (f.frameNumber() == 0) {
          // python3: tifffile.imread(t000.tif after `tiffcp -c none`).astype(np.int64).sum()
          assertThat((long) f.plane().sum()).isEqualTo(43_931_672L);
          assertThat(f.source().getFileName().toString()).isEqualTo("t000.tif");
        }
        total += (long) f.plane().sum();
      }
      // python3: sum over all 65 frames, each decompressed with `tiffcp -c none` and summed with
      // tifffile.imread(f).astype(np.int64).sum()
      assertThat(total).isEqualTo(2_755_444_170L);
    }
  }

  @Test
  void readsTheCtcMscFolder() throws IOException {
    try (TiffSequenceReader r = TiffSequenceReader.open(shared("data/ctc/Fluo-C2DL-MSC/01"))) {
      assertThat(r.frameCount()).isEqualTo(48);
      assertThat(r.frameNumbers().get(47)).isEqualTo(47);
      RawPlane first = r.read(0).plane();
      assertThat(first.width()).isEqualTo(992);
      assertThat(first.height()).isEqualTo(832);
      // python3 + tifffile/numpy on `tiffcp -c none` copies, as above (all 48 frames: 308382082048)
      assertThat((long) first.sum()).isEqualTo(6_378_914_560L);
      assertThat((long) r.read(47).plane().sum()).isEqualTo(6_250_946_048L);
    }
  }

  @Test
  void readsCtcGroundTruthFoldersByPrefix() throws IOException {
    Path tra = shared("data/ctc/Fluo-N2DH-SIM+/01_GT/TRA");
    try (TiffSequenceReader r = TiffSequenceReader.open(tra)) {
      // man_track.txt is not a frame file and is ignored
      assertThat(r.frameCount()).isEqualTo(65);
      assertThat(r.read(0).source().getFileName().toString()).isEqualTo("man_track000.tif");
    }
    try (TiffSequenceReader r =
        TiffSequenceReader.open(shared("data/ctc/Fluo-C2DL-MSC/01_GT/SEG"), "man_seg")) {
      // SEG ground truth exists for 18 frames only; the gaps are kept in the frame numbers
      assertThat(r.frameCount()).isEqualTo(18);
      assertThat(r.frameNumbers().subList(0, 3)).containsExactly(5, 7, 9);
    }
  }

  @Test
  void readsTheMultiPageCalciumMovie() throws IOException {
    Path file = shared("data/calcium-fura2/adu340_4small_TYX_uint16.tif");
    try (TiffSequenceReader r = TiffSequenceReader.open(file)) {
      assertThat(r.frameCount()).isEqualTo(128);
      long total = 0;
      int n = 0;
      for (TiffSequenceReader.Frame f : r) {
        assertThat(f.frameNumber()).isEqualTo(n++);
        assertThat(f.plane().width()).isEqualTo(50);
        assertThat(f.plane().height()).isEqualTo(50);
        assertThat(f.plane().type()).isEqualTo(PixelType.UINT16);
        total += (long) f.plane().sum();
      }
      // python3: a = tifffile.imread(file)  # (128, 50, 50) uint16
      //   a.astype(np.int64).sum() == 465108765; a[0].sum() == 3673971; a[127].sum() == 3576866;
      //   a[5, 10, 20] == 1445 (frame 5, row 10, column 20)
      assertThat(total).isEqualTo(465_108_765L);
      assertThat((long) r.read(0).plane().sum()).isEqualTo(3_673_971L);
      assertThat((long) r.read(127).plane().sum()).isEqualTo(3_576_866L);
      assertThat(r.read(5).plane().valueAt(20, 10)).isEqualTo(1445.0);
    }
  }

  @Test
  void sortsFolderFramesByTheirNumberAndKeepsGaps(@TempDir Path dir) throws IOException {
    for (int t : new int[] {10, 2, 1}) {
      TiffWriter.writeUint16(
          dir.resolve("t" + t + ".tif"),
          2,
          1,
          new short[] {(short) t, 0},
          TiffWriter.Compression.NONE);
    }
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    try (TiffSequenceReader r = TiffSequenceReader.open(dir)) {
      assertThat(r.frameNumbers()).containsExactly(1, 2, 10);
      assertThat(r.stream().map(f -> f.plane().valueAt(0, 0)).toList())
          .containsExactly(1.0, 2.0, 10.0);
    }
  }

  @Test
  void refusesAmbiguousFolders(@TempDir Path dir) throws IOException {
    short[] px = {1};
    TiffWriter.writeUint16(dir.resolve("t000.tif"), 1, 1, px, TiffWriter.Compression.NONE);
    TiffWriter.writeUint16(dir.resolve("mask000.tif"), 1, 1, px, TiffWriter.Compression.NONE);
    assertThatThrownBy(() -> TiffSequenceReader.open(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different prefixes");
    try (TiffSequenceReader r = TiffSequenceReader.open(dir, "mask")) {
      assertThat(r.frameCount()).isEqualTo(1);
    }
    TiffWriter.writeUint16(dir.resolve("t0.tif"), 1, 1, px, TiffWriter.Compression.NONE);
    assertThatThrownBy(() -> TiffSequenceReader.open(dir, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frame 0 appears twice");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> TiffSequenceReader.open(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void decodesLazilyAndNamesTheBadFile(@TempDir Path dir) throws IOException {
    short[] px = {7, 8, 9, 10};
    TiffWriter.writeUint16(dir.resolve("t000.tif"), 2, 2, px, TiffWriter.Compression.NONE);
    Path bad = dir.resolve("t001.tif");
    Files.writeString(bad, "this is not a TIFF");
    try (TiffSequenceReader r = TiffSequenceReader.open(dir)) {
      Iterator<TiffSequenceReader.Frame> it = r.iterator();
      assertThat(it.next().plane().sum()).isEqualTo(34.0);
      assertThatThrownBy(it::next)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(bad.toString());
    }
    assertThatThrownBy(() -> TiffSequenceReader.open(bad))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(bad.toString());
    assertThatThrownBy(() -> TiffSequenceReader.open(dir.resolve("missing.tif")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing.tif");
  }

  @Test
  void refusesColourTiffsNamingTheFile(@TempDir Path dir) throws IOException {
    Path rgb = dir.resolve("rgb.tif");
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    assertThat(ImageIO.write(img, "tiff", rgb.toFile())).isTrue();
    assertThatThrownBy(() -> TiffSequenceReader.readPlane(rgb))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(rgb.toString())
        .hasMessageContaining("samples per pixel");
  }

  @Test
  void readsEightBitAndFloatPlanes(@TempDir Path dir) throws IOException {
    RawPlane u8 = RawPlane.ofUint8(3, 2, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 5});
    for (TiffWriter.Compression c : TiffWriter.Compression.values()) {
      Path a = dir.resolve("u8-" + c + ".tif");
      TiffWriter.write(a, u8, c);
      assertThat(TiffSequenceReader.readPlane(a)).isEqualTo(u8);
    }
    assertThat(TiffSequenceReader.readPlane(dir.resolve("u8-NONE.tif")).valueAt(0, 1))
        .isEqualTo(200.0);
    RawPlane f32 = RawPlane.ofFloat32(2, 2, new float[] {-1.5f, 0f, 3.25f, 1e6f});
    Path f = dir.resolve("f32.tif");
    MinimalTiff.write(f, 2, 2, 32, 3, f32.pixels());
    RawPlane back = TiffSequenceReader.readPlane(f);
    assertThat(back).isEqualTo(f32);
    assertThat(back.toFloatArray()).containsExactly(-1.5f, 0f, 3.25f, 1e6f);
  }

  @Test
  void refusesSignedSamplesNamingTheFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("signed.tif");
    MinimalTiff.write(f, 2, 1, 16, 2, new byte[] {1, 0, (byte) 0xff, (byte) 0xff});
    assertThatThrownBy(() -> TiffSequenceReader.readPlane(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("unsupported sample format");
  }

  @Test
  void theWriterRefusesFloatPlanes(@TempDir Path dir) {
    RawPlane f32 = RawPlane.ofFloat32(1, 1, new float[] {1f});
    assertThatThrownBy(() -> TiffWriter.write(dir.resolve("x.tif"), f32))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
