package io.cytostream.processors.testing;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Random;

/** Small synthetic frames for topology and service tests. */
public final class SyntheticFrames {
  private SyntheticFrames() {}

  /**
   * A 128×96 uint16 frame: three bright disks (radius 9 px, +2000 ADU on a background of 100 ± 5)
   * centred at (30,30), (70,40), (40,70) and moving right by 2 px per frame.
   */
  public static Frame disks(String fov, int t, Random noise) {
    int w = 128;
    int h = 96;
    ByteBuffer b = ByteBuffer.allocate(w * h * 2).order(ByteOrder.LITTLE_ENDIAN);
    int[][] centres = {{30, 30}, {70, 40}, {40, 70}};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 100 + noise.nextGaussian() * 5;
        for (int[] c : centres) {
          double dx = x - (c[0] + 2 * t);
          double dy = y - c[1];
          if (dx * dx + dy * dy < 81) {
            v += 2000;
          }
        }
        b.putShort((short) Math.max(0, Math.min(65535, (int) v)));
      }
    }
    return new Frame(
        FrameHeader.inline(
            fov,
            t,
            Instant.parse("2026-11-23T10:00:00Z").plusSeconds(t),
            w,
            h,
            PixelType.UINT16,
            0.5,
            1.0,
            "test"),
        b.array());
  }
}
