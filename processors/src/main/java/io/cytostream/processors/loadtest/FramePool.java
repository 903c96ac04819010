package io.cytostream.processors.loadtest;

import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulatedFrame;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.ingest.tiff.RawPlane;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Simulated frames of one field of view, rendered once before timing starts and played back in a
 * ping-pong order (0, 1, …, P−1, P−2, …, 1, 0, 1, …) so that cells move continuously however many
 * frames are published: the tracker sees motion that reverses, never a jump. Immutable after
 * construction; safe to share between threads.
 */
final class FramePool {
  private final String fov;
  private final List<RawPlane> planes;
  private final double intervalSeconds;

  /**
   * Renders {@code size} frames.
   *
   * @param fov the field of view's id
   * @param seed simulator seed (one per FOV, so FOVs differ)
   * @param width frame width, px
   * @param height frame height, px
   * @param cells cells in the culture
   * @param size frames to render (≥ 2)
   * @param intervalSeconds nominal time between frames, s
   */
  FramePool(
      String fov, long seed, int width, int height, int cells, int size, double intervalSeconds) {
    if (size < 2) {
      throw new IllegalArgumentException("a frame pool needs at least 2 frames, got " + size);
    }
    this.fov = fov;
    this.intervalSeconds = intervalSeconds;
    SimulationConfig sim =
        SimulationConfig.builder()
            .seed(seed)
            .size(width, height)
            .cells(cells)
            .frames(size)
            .frameIntervalSeconds(intervalSeconds)
            .build();
    List<RawPlane> out = new ArrayList<>(size);
    Iterator<SimulatedFrame> it = new CultureSimulator(sim);
    while (it.hasNext() && out.size() < size) {
      SimulatedFrame f = it.next();
      if (!f.dropped()) {
        out.add(f.raw());
      }
    }
    if (out.size() < 2) {
      throw new IllegalStateException("the simulator rendered fewer than 2 frames for " + fov);
    }
    this.planes = List.copyOf(out);
  }

  String fov() {
    return fov;
  }

  int size() {
    return planes.size();
  }

  /** Bytes of pixels per frame. */
  int frameBytes() {
    return planes.get(0).pixels().length;
  }

  /** The plane shown at frame {@code index} (ping-pong over the pool). */
  RawPlane plane(long index) {
    int period = 2 * (planes.size() - 1);
    int p = (int) (index % period);
    return planes.get(p < planes.size() ? p : period - p);
  }

  /** Frame {@code index} stamped as acquired at {@code acquired}. */
  Frame frame(long index, Instant acquired) {
    RawPlane r = plane(index);
    return new Frame(
        FrameHeader.inline(
            fov,
            index,
            acquired,
            r.width(),
            r.height(),
            r.type(),
            null,
            intervalSeconds,
            "loadtest"),
        r.pixels());
  }
}
