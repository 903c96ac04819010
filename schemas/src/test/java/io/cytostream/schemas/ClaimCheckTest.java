package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames by reference: written by the producer's side, read and verified by the service's. */
class ClaimCheckTest {
  private static final long MAX = ClaimCheck.DEFAULT_MAX_REF_BYTES;

  static Frame frame(int w, int h) {
    byte[] px = new byte[w * h * 2];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 31);
    }
    return new Frame(
        new FrameHeader(1, "exp/pos1", 7, null, w, h, "uint16", null, null, null, null), px);
  }

  private static DeadLetterKind kindOf(Runnable r) {
    try {
      r.run();
    } catch (FrameRejectedException e) {
      return e.kind();
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void aStoredFrameLoadsBackByteForByteAndSurvivesTheEnvelope(@TempDir Path root) throws Exception {
    Frame f = frame(64, 32);
    Frame byRef = ClaimCheck.store(f, root);
    assertThat(byRef.pixels()).isEmpty();
    FrameHeader.PixelRef ref = byRef.header().pixelRef();
    assertThat(ref.byteLength()).isEqualTo(64 * 32 * 2);
    assertThat(ref.sha256()).isEqualTo(ClaimCheck.sha256(f.pixels())).hasSize(64);
    assertThat(ref.uri()).startsWith("file:/");
    assertThat(byRef.validationError()).isEmpty();
    Frame decoded = FrameCodec.decode(FrameCodec.encode(byRef));
    Frame loaded = ClaimCheck.load(decoded, root, MAX);
    assertThat(loaded.pixels()).isEqualTo(f.pixels());
    assertThat(loaded.header().pixelRef()).isEqualTo(ref);
    assertThat(loaded.validationError()).isEmpty();
    try (var files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aChangedFileIsAChecksumMismatchAndAMissingOneIsNotFound(@TempDir Path root)
      throws Exception {
    Frame byRef = ClaimCheck.store(frame(8, 8), root);
    Path file = Path.of(java.net.URI.create(byRef.header().pixelRef().uri()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[5] ^= 1;
    Files.write(file, bytes);
    assertThat(kindOf(() -> ClaimCheck.load(byRef, root, MAX)))
        .isEqualTo(DeadLetterKind.PIXEL_REF_CHECKSUM_MISMATCH);
    Files.write(file, new byte[10]);
    assertThat(kindOf(() -> ClaimCheck.load(byRef, root, MAX)))
        .as("truncated")
        .isEqualTo(DeadLetterKind.PIXEL_REF_CHECKSUM_MISMATCH);
    Files.delete(file);
    assertThat(kindOf(() -> ClaimCheck.load(byRef, root, MAX)))
        .isEqualTo(DeadLetterKind.PIXEL_REF_NOT_FOUND);
  }

  @Test
  void pathsOutsideTheAllowedRootAreRefusedAlsoThroughDotDotAndSymlinks(@TempDir Path tmp)
      throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Frame elsewhere = ClaimCheck.store(frame(4, 4), outside);
    assertThat(kindOf(() -> ClaimCheck.load(elsewhere, root, MAX)))
        .isEqualTo(DeadLetterKind.PIXEL_REF_OUTSIDE_ROOT);
    Path real = Path.of(java.net.URI.create(elsewhere.header().pixelRef().uri()));
    String dotdot =
        root.toUri() + "../outside/" + real.getParent().getFileName() + "/" + real.getFileName();
    assertThat(kindOf(() -> ClaimCheck.load(withUri(elsewhere, dotdot), root, MAX)))
        .isEqualTo(DeadLetterKind.PIXEL_REF_OUTSIDE_ROOT);
    Path link = root.resolve("link.raw");
    Files.createSymbolicLink(link, real);
    assertThat(
            kindOf(() -> ClaimCheck.load(withUri(elsewhere, link.toUri().toString()), root, MAX)))
        .as("a symbolic link out of the root")
        .isEqualTo(DeadLetterKind.PIXEL_REF_OUTSIDE_ROOT);
  }

  @Test
  void malformedReferencesAreBadPixelRefs(@TempDir Path root) {
    Frame byRef = ClaimCheck.store(frame(4, 4), root);
    assertThat(kindOf(() -> ClaimCheck.load(byRef, null, MAX)))
        .as("no root configured")
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    assertThat(kindOf(() -> ClaimCheck.load(withUri(byRef, "s3://bucket/key"), root, MAX)))
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    assertThat(kindOf(() -> ClaimCheck.load(withUri(byRef, "file://otherhost/x.raw"), root, MAX)))
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    assertThat(kindOf(() -> ClaimCheck.load(withUri(byRef, "::not a uri"), root, MAX)))
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    Frame badSha =
        new Frame(
            header(byRef, new FrameHeader.PixelRef(byRef.header().pixelRef().uri(), "ABC", 32)),
            new byte[0]);
    assertThat(kindOf(() -> ClaimCheck.load(badSha, root, MAX)))
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    Frame both = new Frame(byRef.header(), new byte[32]);
    assertThat(kindOf(() -> ClaimCheck.load(both, root, MAX)))
        .as("inline pixels as well")
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    assertThat(kindOf(() -> ClaimCheck.load(byRef, root, 16)))
        .as("over the service's limit")
        .isEqualTo(DeadLetterKind.BAD_PIXEL_REF);
    FrameHeader.PixelRef r = byRef.header().pixelRef();
    Frame wrongLength =
        new Frame(header(byRef, new FrameHeader.PixelRef(r.uri(), r.sha256(), 30)), new byte[0]);
    assertThat(wrongLength.rejection().orElseThrow().kind())
        .isEqualTo(DeadLetterKind.WRONG_BYTE_COUNT);
  }

  static Frame withUri(Frame f, String uri) {
    FrameHeader.PixelRef r = f.header().pixelRef();
    return new Frame(
        header(f, new FrameHeader.PixelRef(uri, r.sha256(), r.byteLength())), new byte[0]);
  }

  static FrameHeader header(Frame f, FrameHeader.PixelRef ref) {
    FrameHeader h = f.header();
    return new FrameHeader(
        h.schemaVersion(),
        h.fov(),
        h.frameIndex(),
        h.acquisitionTime(),
        h.width(),
        h.height(),
        h.pixelType(),
        h.pixelSizeUm(),
        h.intervalSeconds(),
        h.channel(),
        ref);
  }
}
