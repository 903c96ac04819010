package io.cytostream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Frames by reference (claim check, {@code pixelRef} in the header; {@code schemas/README.md}): the
 * pixel plane is written to a file on storage that producer and service share, the record carries
 * its {@code file:} URI, SHA-256 and length, and the service reads it back and verifies it.
 *
 * <p>Both sides live here so that they agree byte for byte: {@link #store} (the producer's side)
 * writes the plane (to a temporary name first, then renames, so a reader never sees half a file)
 * and returns the frame by reference; {@link #load} (the service's side) checks the reference,
 * refuses a path outside its allowed root (after resolving {@code ..} and symbolic links), a
 * missing file, a length other than the header's plane size or {@code byteLength}, and a checksum
 * mismatch, each with its {@link DeadLetterKind}.
 */
public final class ClaimCheck {
  /** Frames whose plane exceeds this many bytes do not fit in a record: 2048×2048 float32. */
  public static final long INLINE_LIMIT_BYTES = 16L * 1024 * 1024;

  /** The service's default limit on a plane by reference: 256 MiB (e.g. 8192×8192 float32). */
  public static final long DEFAULT_MAX_REF_BYTES = 256L * 1024 * 1024;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private ClaimCheck() {}

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /**
   * Writes the frame's plane under {@code dir} and returns the same frame by reference (header with
   * {@code pixelRef}, empty pixel section). The file is {@code dir/<fov with / as
   * _>/<frameIndex>-<first 16 hex of the SHA-256>.raw}.
   */
  public static Frame store(Frame frame, Path dir) {
    byte[] pixels = frame.pixels();
    String sha = sha256(pixels);
    FrameHeader h = frame.header();
    Path folder = dir.toAbsolutePath().normalize().resolve(h.fov().replace('/', '_'));
    Path file =
        folder.resolve(
            String.format(Locale.ROOT, "%d-%s.raw", h.frameIndex(), sha.substring(0, 16)));
    try {
      Files.createDirectories(folder);
      Path tmp = Files.createTempFile(folder, ".part-", ".tmp");
      Files.write(tmp, pixels);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the frame's plane to " + file, e);
    }
    FrameHeader ref =
        new FrameHeader(
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
            new FrameHeader.PixelRef(file.toUri().toString(), sha, pixels.length));
    return new Frame(ref, new byte[0]);
  }

  /**
   * Reads and verifies the plane of a frame by reference.
   *
   * @param frame a decoded frame whose header has a {@code pixelRef}
   * @param allowedRoot the only directory tree the service reads from; null = frames by reference
   *     are refused
   * @param maxBytes the largest plane accepted
   * @return the same frame with its plane inline (the header keeps its {@code pixelRef})
   * @throws FrameRejectedException {@link DeadLetterKind#BAD_PIXEL_REF} for a malformed or
   *     unsupported reference, {@link DeadLetterKind#PIXEL_REF_OUTSIDE_ROOT}, {@link
   *     DeadLetterKind#PIXEL_REF_NOT_FOUND}, {@link DeadLetterKind#PIXEL_REF_CHECKSUM_MISMATCH}
   */
  public static Frame load(Frame frame, Path allowedRoot, long maxBytes) {
    FrameHeader h = frame.header();
    FrameHeader.PixelRef ref = h.pixelRef();
    if (ref == null) {
      return frame;
    }
    if (frame.pixels().length > 0) {
      throw bad(
          "a frame by reference must have an empty pixel section, got "
              + frame.pixels().length
              + " bytes");
    }
    if (allowedRoot == null) {
      throw bad("frames by reference are not enabled on this service (no allowed root set)");
    }
    if (ref.sha256() == null || !SHA256_HEX.matcher(ref.sha256()).matches()) {
      throw bad("pixelRef.sha256 must be 64 lower-case hex digits, got '" + ref.sha256() + "'");
    }
    long expected =
        frame.pixelType().map(t -> (long) h.width() * h.height() * t.bytesPerPixel()).orElse(-1L);
    if (expected >= 0 && ref.byteLength() != expected) {
      throw new FrameRejectedException(
          DeadLetterKind.WRONG_BYTE_COUNT,
          "pixelRef.byteLength "
              + ref.byteLength()
              + " does not match "
              + h.width()
              + "x"
              + h.height()
              + " "
              + h.pixelType()
              + " ("
              + expected
              + " bytes)");
    }
    if (ref.byteLength() > maxBytes || ref.byteLength() > Integer.MAX_VALUE - 16) {
      throw bad(
          "pixelRef.byteLength "
              + ref.byteLength()
              + " exceeds this service's limit of "
              + maxBytes
              + " bytes");
    }
    Path path = path(ref.uri());
    Path real;
    Path root;
    try {
      root = allowedRoot.toRealPath();
    } catch (IOException e) {
      throw bad("the service's allowed root " + allowedRoot + " does not exist");
    }
    if (!path.normalize().startsWith(root)
        && !path.normalize().startsWith(allowedRoot.toAbsolutePath().normalize())) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_OUTSIDE_ROOT,
          "pixelRef " + ref.uri() + " is outside the allowed root " + allowedRoot);
    }
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_NOT_FOUND, "pixelRef " + ref.uri() + ": no such file");
    } catch (IOException e) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_NOT_FOUND, "pixelRef " + ref.uri() + ": " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_OUTSIDE_ROOT,
          "pixelRef "
              + ref.uri()
              + " resolves to "
              + real
              + ", outside the allowed root "
              + allowedRoot);
    }
    byte[] pixels;
    try {
      if (!Files.isRegularFile(real)) {
        throw new FrameRejectedException(
            DeadLetterKind.PIXEL_REF_NOT_FOUND, "pixelRef " + ref.uri() + " is not a regular file");
      }
      long size = Files.size(real);
      if (size != ref.byteLength()) {
        throw new FrameRejectedException(
            DeadLetterKind.PIXEL_REF_CHECKSUM_MISMATCH,
            "pixelRef "
                + ref.uri()
                + " has "
                + size
                + " bytes, the header says "
                + ref.byteLength());
      }
      try (InputStream in = Files.newInputStream(real)) {
        pixels = in.readNBytes((int) size);
      }
    } catch (IOException e) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_NOT_FOUND, "pixelRef " + ref.uri() + ": " + e.getMessage());
    }
    String sha = sha256(pixels);
    if (!sha.equals(ref.sha256())) {
      throw new FrameRejectedException(
          DeadLetterKind.PIXEL_REF_CHECKSUM_MISMATCH,
          "pixelRef "
              + ref.uri()
              + ": SHA-256 "
              + sha
              + " does not match the header's "
              + ref.sha256());
    }
    return new Frame(h, pixels);
  }

  /** The local path of a {@code file:} URI. */
  private static Path path(String uri) {
    URI u;
    try {
      u = new URI(uri);
    } catch (Exception e) {
      throw bad("pixelRef.uri is not a URI: '" + uri + "'");
    }
    if (u.getScheme() == null || !u.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
      throw bad(
          "pixelRef.uri must be a file: URI on storage the service shares, got '" + uri + "'");
    }
    if (u.getAuthority() != null
        && !u.getAuthority().isEmpty()
        && !u.getAuthority().equals("localhost")) {
      throw bad("pixelRef.uri names another host: '" + uri + "'");
    }
    try {
      return Path.of(new URI("file", null, u.getPath(), null));
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      throw bad("pixelRef.uri is not a local file path: '" + uri + "'");
    }
  }

  private static FrameRejectedException bad(String reason) {
    return new FrameRejectedException(DeadLetterKind.BAD_PIXEL_REF, reason);
  }
}
