package io.cytostream.processors.segment.eval;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The fixed held-out split of the openly licensed annotated sets in {@code shared/data/train}
 * (their README): deterministic, so training and every evaluation see the same sides.
 *
 * <ul>
 *   <li>{@code kromp-s-bsst265}: the source's own split ({@code split} column of {@code
 *       manifest.csv}): {@code test} is held out (37 of 79 images).
 *   <li>{@code dsb2018-stage1-fluo}: the 520×696 fields come from the BBBC039 screen and
 *       microscope; they always stay on the training side (never held out), so the BBBC039 screen
 *       is on one side. Every other image: the hash rule below.
 *   <li>every other set and image: held out when {@code CRC32(name) mod 5 == 0} (about 20 %).
 * </ul>
 *
 * Pure functions; thread-safe.
 */
public final class DataSplits {
  /** The share of hash-split images held out is 1 / {@value}. */
  public static final int HASH_MODULUS = 5;

  private DataSplits() {}

  /**
   * Whether an image is held out (validation/test side).
   *
   * @param set the folder name of the set, e.g. {@code bbbc039}
   * @param name the image name (file name without {@code .tif})
   * @param width image width, px
   * @param height image height, px
   * @param sourceSplit the source's own split ({@code train}/{@code test}), or empty
   */
  public static boolean heldOut(
      String set, String name, int width, int height, String sourceSplit) {
    String src = sourceSplit == null ? "" : sourceSplit.trim().toLowerCase(Locale.ROOT);
    if (set.startsWith("kromp") && !src.isEmpty()) {
      return src.equals("test");
    }
    if (set.startsWith("dsb2018") && isBbbc039Screen(width, height)) {
      return false;
    }
    return hashHeldOut(name);
  }

  /** Whether a DSB 2018 field has the size of the BBBC039 screen's fields (696×520). */
  public static boolean isBbbc039Screen(int width, int height) {
    return width == 696 && height == 520;
  }

  /** The hash rule: {@code CRC32(UTF-8 name) mod} {@value #HASH_MODULUS} {@code == 0}. */
  public static boolean hashHeldOut(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % HASH_MODULUS == 0;
  }
}
