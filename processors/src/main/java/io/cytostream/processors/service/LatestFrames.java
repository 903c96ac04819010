package io.cytostream.processors.service;

import io.cytostream.processors.image.FloatImage;
import io.cytostream.processors.image.LabelContours;
import io.cytostream.processors.image.LabelImage;
import io.cytostream.processors.topology.FrameTap;
import io.cytostream.schemas.TrackedFrame;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The live view's memory: for each FOV this instance processes, references to the last few frames'
 * normalised planes and label images (as the image stage left them, nothing copied), and each
 * frame's label → track id map once the tracker made it final. Bounded: at most {@code
 * cytostream.view.fovs} FOVs (the least recently used is forgotten) and {@code
 * cytostream.view.frames-per-fov} frames per FOV. Rendering (PNG, outlines) happens on request, at
 * most once per frame. {@link #updates()} announces each FOV's newly shown frame (for the page's
 * SSE stream). Thread-safe: the stream threads feed it, HTTP threads read it.
 */
@Singleton
public class LatestFrames implements FrameTap {
  /** A held frame; its rendering is cached on first use. */
  public static final class Held {
    private final String fov;
    private final long frameIndex;
    private final FloatImage normalized;
    private final LabelImage labels;
    private volatile Map<Integer, Long> trackByLabel;
    private volatile byte[] png;
    private volatile List<LabelContours.Contour> contours;

    Held(String fov, long frameIndex, FloatImage normalized, LabelImage labels) {
      this.fov = fov;
      this.frameIndex = frameIndex;
      this.normalized = normalized;
      this.labels = labels;
    }

    public String fov() {
      return fov;
    }

    public long frameIndex() {
      return frameIndex;
    }

    public int width() {
      return labels.width();
    }

    public int height() {
      return labels.height();
    }

    /** Label → track id, or null while the frame's links are not final yet. */
    public Map<Integer, Long> trackByLabel() {
      return trackByLabel;
    }

    /** The normalised plane as an 8-bit grey PNG (rendered once). */
    public byte[] png() {
      byte[] p = png;
      if (p == null) {
        p = FrameImages.png(normalized);
        png = p;
      }
      return p;
    }

    /** The cells' outlines (traced once). */
    public List<LabelContours.Contour> contours() {
      List<LabelContours.Contour> c = contours;
      if (c == null) {
        c = LabelContours.of(labels);
        contours = c;
      }
      return c;
    }
  }

  /**
   * What the view lists for a FOV.
   *
   * @param fov the FOV id
   * @param frame the frame the view shows (the newest with final track ids, else the newest)
   * @param newestFrame the newest frame held
   * @param tracked whether {@code frame} has its track ids
   * @param width frame width, px
   * @param height frame height, px
   * @param cells cells in {@code frame}
   */
  public record Summary(
      String fov,
      long frame,
      long newestFrame,
      boolean tracked,
      int width,
      int height,
      int cells) {}

  private final int framesPerFov;
  // best effort: a subscriber that does not keep up misses updates rather than slowing the stream
  private final Sinks.Many<Summary> updates = Sinks.many().multicast().directBestEffort();
  private final LinkedHashMap<String, ArrayDeque<Held>> byFov;

  public LatestFrames(
      @Value("${cytostream.view.fovs:16}") int maxFovs,
      @Value("${cytostream.view.frames-per-fov:6}") int framesPerFov) {
    if (maxFovs < 1 || framesPerFov < 1) {
      throw new IllegalArgumentException("cytostream.view.fovs and frames-per-fov must be >= 1");
    }
    this.framesPerFov = framesPerFov;
    this.byFov =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Held>> eldest) {
            return size() > maxFovs;
          }
        };
  }

  @Override
  public synchronized void imaged(
      String fov, long frameIndex, FloatImage normalized, LabelImage labels) {
    ArrayDeque<Held> frames = byFov.computeIfAbsent(fov, k -> new ArrayDeque<>());
    boolean first = frames.isEmpty();
    frames.removeIf(h -> h.frameIndex == frameIndex); // a frame processed again (a retry)
    Held held = new Held(fov, frameIndex, normalized, labels);
    if (frames.isEmpty() || frames.peekLast().frameIndex < frameIndex) {
      frames.addLast(held);
    } else { // late or replayed: keep the deque in frame order
      List<Held> all = new ArrayList<>(frames);
      all.add(held);
      all.sort((a, b) -> Long.compare(a.frameIndex, b.frameIndex));
      frames.clear();
      frames.addAll(all);
    }
    while (frames.size() > framesPerFov) {
      frames.removeFirst();
    }
    if (first) { // a FOV appears
      updates.tryEmitNext(summary(fov, frames));
    }
  }

  @Override
  public synchronized void tracked(String fov, TrackedFrame frame) {
    ArrayDeque<Held> frames = byFov.get(fov);
    if (frames == null || frame.cells() == null) {
      return;
    }
    Held match = null;
    for (Held h : frames) {
      if (h.frameIndex == frame.frameIndex()) {
        match = h;
      }
    }
    if (match == null) {
      return;
    }
    Map<Integer, Long> map = new HashMap<>();
    for (TrackedFrame.Cell c : frame.cells()) {
      map.put(c.label(), c.trackId());
    }
    match.trackByLabel = Collections.unmodifiableMap(map);
    // frames older than the newest tracked one will not be shown any more
    for (Iterator<Held> it = frames.iterator(); it.hasNext(); ) {
      if (it.next().frameIndex < frame.frameIndex()) {
        it.remove();
      }
    }
    updates.tryEmitNext(summary(fov, frames));
  }

  /**
   * Each FOV's newly shown frame, as it happens (its first frame, then each frame whose track ids
   * became final); emitted on the stream threads, dropped for a subscriber without demand.
   */
  public Flux<Summary> updates() {
    return updates.asFlux();
  }

  /**
   * The frame to show for {@code fov}: {@code frame} when it is held, else (frame &lt; 0) the
   * newest held frame with track ids, else the newest held frame.
   */
  public synchronized Optional<Held> frame(String fov, long frame) {
    ArrayDeque<Held> frames = byFov.get(fov);
    if (frames == null || frames.isEmpty()) {
      return Optional.empty();
    }
    if (frame >= 0) {
      return frames.stream().filter(h -> h.frameIndex == frame).findFirst();
    }
    return Optional.of(shown(frames));
  }

  /** One summary per FOV held, in FOV order. */
  public synchronized List<Summary> summaries() {
    List<Summary> out = new ArrayList<>();
    for (Map.Entry<String, ArrayDeque<Held>> e : byFov.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      out.add(summary(e.getKey(), e.getValue()));
    }
    out.sort((a, b) -> a.fov().compareTo(b.fov()));
    return out;
  }

  private static Summary summary(String fov, ArrayDeque<Held> frames) {
    Held h = shown(frames);
    return new Summary(
        fov,
        h.frameIndex,
        frames.peekLast().frameIndex,
        h.trackByLabel != null,
        h.width(),
        h.height(),
        h.labels.count());
  }

  private static Held shown(ArrayDeque<Held> frames) {
    Iterator<Held> it = frames.descendingIterator();
    while (it.hasNext()) {
      Held h = it.next();
      if (h.trackByLabel != null) {
        return h;
      }
    }
    return frames.peekLast();
  }
}
