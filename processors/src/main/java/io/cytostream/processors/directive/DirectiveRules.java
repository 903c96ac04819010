package io.cytostream.processors.directive;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.Directive;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules that turn what the pipeline sees in one field of view into directives to the
 * acquisition. Stateless itself: the FOV's {@link FovState} goes in and a new one comes out, so
 * that a stream processor can keep it in a state store. Inputs, per FOV, in any interleaving:
 *
 * <ul>
 *   <li>an anomaly event ({@link #onEvent}): {@code saturation} → {@link
 *       Directive.Action#LOWER_EXPOSURE} (factor {@link Config#exposureFactor()}); {@code
 *       intensity_collapse} (the frame mean or its sharpness — focus — fell by more than half) →
 *       {@link Directive.Action#REFOCUS}; at least {@link Config#burstSpikes()} {@code spike}
 *       events within {@link Config#burstWindowFrames()} frames → {@link Directive.Action#FASTER}
 *       (interval × {@link Config#fasterIntervalFactor()} for {@link Config#fasterFrames()}
 *       frames);
 *   <li>a frame's observations ({@link #onFrame}): {@link Config#emptyFrames()} consecutive frames
 *       without an interior cell (one not touching the image edge) → {@link Directive.Action#SKIP}
 *       for {@link Config#skipFrames()} time points.
 * </ul>
 *
 * An action is not repeated for a FOV within {@link Config#cooldownFrames()} frames of the frame
 * that last triggered it. Frame numbers are the FOV's frame indices; times are the frames'
 * acquisition times (UTC), passed through to the directive so that a hook can measure the loop's
 * latency.
 */
public final class DirectiveRules {

  /**
   * The rules' settings.
   *
   * @param exposureFactor factor (0, 1) applied to the exposure on saturation (default 0.7)
   * @param burstSpikes spike events that make a burst (default 3)
   * @param burstWindowFrames frames over which they are counted (default 5, the spikes' frames
   *     within {@code f − window + 1 .. f})
   * @param fasterIntervalFactor factor (0, 1) applied to the frame interval in a burst (default
   *     0.5)
   * @param fasterFrames for how many frames to image faster (default 20)
   * @param emptyFrames consecutive frames without interior cells before skipping (default 3)
   * @param skipFrames how many time points to skip (default 10)
   * @param cooldownFrames frames before the same action may be issued again for a FOV (default 5)
   */
  public record Config(
      double exposureFactor,
      int burstSpikes,
      int burstWindowFrames,
      double fasterIntervalFactor,
      int fasterFrames,
      int emptyFrames,
      int skipFrames,
      int cooldownFrames) {

    /** Checks the ranges. */
    public Config {
      if (!(exposureFactor > 0 && exposureFactor < 1)) {
        throw new IllegalArgumentException("exposureFactor must be in (0, 1): " + exposureFactor);
      }
      if (!(fasterIntervalFactor > 0 && fasterIntervalFactor < 1)) {
        throw new IllegalArgumentException(
            "fasterIntervalFactor must be in (0, 1): " + fasterIntervalFactor);
      }
      if (burstSpikes < 1 || burstWindowFrames < 1 || fasterFrames < 1 || emptyFrames < 1) {
        throw new IllegalArgumentException(
            "burstSpikes, burstWindowFrames, fasterFrames and emptyFrames must be >= 1");
      }
      if (skipFrames < 1 || cooldownFrames < 0) {
        throw new IllegalArgumentException("skipFrames must be >= 1, cooldownFrames >= 0");
      }
    }

    /** The defaults above. */
    public static Config defaults() {
      return new Config(0.7, 3, 5, 0.5, 20, 3, 10, 5);
    }
  }

  /**
   * One FOV's memory.
   *
   * @param lastIssued frame at which each action (wire name) was last issued
   * @param spikes recent spike events: frame of each, oldest first (ids in {@code spikeIds})
   * @param spikeIds the ids of those events, same order
   * @param lastFrame last frame observed by {@link #onFrame} (−1 before any)
   * @param emptyRun consecutive observed frames without an interior cell, up to {@code lastFrame}
   */
  public record FovState(
      Map<String, Long> lastIssued,
      List<Long> spikes,
      List<String> spikeIds,
      long lastFrame,
      int emptyRun) {

    /** Copies the collections. */
    public FovState {
      lastIssued = lastIssued == null ? Map.of() : Map.copyOf(lastIssued);
      spikes = spikes == null ? List.of() : List.copyOf(spikes);
      spikeIds = spikeIds == null ? List.of() : List.copyOf(spikeIds);
    }

    /** A FOV never seen. */
    public static FovState empty() {
      return new FovState(Map.of(), List.of(), List.of(), -1, 0);
    }
  }

  /**
   * A frame's observations, as far as the rules need them.
   *
   * @param fov field of view id
   * @param frameIndex the frame's index
   * @param acquisitionTime its acquisition time (may be null)
   * @param interiorCells segmented cells that do not touch the image edge
   */
  public record FrameSummary(
      String fov, long frameIndex, Instant acquisitionTime, int interiorCells) {}

  /**
   * What one input did.
   *
   * @param state the FOV's new state
   * @param directives directives to publish, in order (often none)
   */
  public record Step(FovState state, List<Directive> directives) {}

  private final Config config;

  public DirectiveRules(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /** Applies the event rules to one anomaly event of the FOV. */
  public Step onEvent(FovState state, AnomalyEvent event) {
    AnomalyEvent.Data d = event.data();
    String kind = d.kind() == null ? "" : d.kind().toLowerCase(Locale.ROOT);
    Instant t = event.time();
    switch (kind) {
      case "saturation":
        return issue(
            state,
            new Directive.Data(
                d.fov(),
                Directive.Action.LOWER_EXPOSURE.wireName(),
                d.frame(),
                t,
                kind,
                List.of(event.id()),
                config.exposureFactor(),
                null,
                null,
                String.format(
                    Locale.ROOT,
                    "frame %d saturated (%s %.4g > %.4g): exposure × %.2f",
                    d.frame(),
                    d.statistic(),
                    d.value(),
                    d.threshold(),
                    config.exposureFactor())));
      case "intensity_collapse":
        return issue(
            state,
            new Directive.Data(
                d.fov(),
                Directive.Action.REFOCUS.wireName(),
                d.frame(),
                t,
                kind,
                List.of(event.id()),
                null,
                null,
                null,
                String.format(
                    Locale.ROOT,
                    "frame %d: %s collapsed (%.4g < %.4g)%s",
                    d.frame(),
                    d.statistic(),
                    d.value(),
                    d.threshold(),
                    "sharpness".equals(d.statistic()) ? ": focus lost" : "")));
      case "spike":
        return onSpike(state, event, t);
      default:
        return new Step(state, List.of());
    }
  }

  private Step onSpike(FovState state, AnomalyEvent event, Instant t) {
    long f = event.data().frame();
    long from = f - config.burstWindowFrames() + 1;
    List<Long> frames = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < state.spikes().size(); i++) {
      long g = state.spikes().get(i);
      if (g >= from && g <= f && !state.spikeIds().get(i).equals(event.id())) {
        frames.add(g);
        ids.add(state.spikeIds().get(i));
      }
    }
    frames.add(f);
    ids.add(event.id());
    FovState kept =
        new FovState(state.lastIssued(), frames, ids, state.lastFrame(), state.emptyRun());
    if (frames.size() < config.burstSpikes()) {
      return new Step(kept, List.of());
    }
    Step s =
        issue(
            kept,
            new Directive.Data(
                event.data().fov(),
                Directive.Action.FASTER.wireName(),
                f,
                t,
                "spike",
                ids,
                null,
                config.fasterIntervalFactor(),
                config.fasterFrames(),
                String.format(
                    Locale.ROOT,
                    "%d spikes in frames %d..%d: interval × %.2f for %d frames",
                    frames.size(),
                    Math.max(0, from),
                    f,
                    config.fasterIntervalFactor(),
                    config.fasterFrames())));
    if (s.directives().isEmpty()) {
      return s;
    }
    FovState cleared =
        new FovState(
            s.state().lastIssued(),
            List.of(),
            List.of(),
            s.state().lastFrame(),
            s.state().emptyRun());
    return new Step(cleared, s.directives());
  }

  /** Applies the frame rules to one frame's observations of the FOV. */
  public Step onFrame(FovState state, FrameSummary frame) {
    long f = frame.frameIndex();
    if (f <= state.lastFrame()) {
      return new Step(state, List.of()); // a replayed or late frame: already counted
    }
    int run = 0;
    if (frame.interiorCells() == 0) {
      boolean consecutive = state.lastFrame() >= 0 && f == state.lastFrame() + 1;
      run = consecutive ? state.emptyRun() + 1 : 1;
    }
    FovState next = new FovState(state.lastIssued(), state.spikes(), state.spikeIds(), f, run);
    if (run < config.emptyFrames()) {
      return new Step(next, List.of());
    }
    Step s =
        issue(
            next,
            new Directive.Data(
                frame.fov(),
                Directive.Action.SKIP.wireName(),
                f,
                frame.acquisitionTime(),
                "no_interior_cells",
                List.of(),
                null,
                null,
                config.skipFrames(),
                String.format(
                    Locale.ROOT,
                    "no interior cells in frames %d..%d: skip %d time points",
                    f - run + 1,
                    f,
                    config.skipFrames())));
    if (s.directives().isEmpty()) {
      return s;
    }
    FovState reset =
        new FovState(s.state().lastIssued(), s.state().spikes(), s.state().spikeIds(), f, 0);
    return new Step(reset, s.directives());
  }

  /** Issues {@code d} unless its action is cooling down for the FOV. */
  private Step issue(FovState state, Directive.Data d) {
    Long last = state.lastIssued().get(d.action());
    if (last != null && d.frame() >= last && d.frame() - last < config.cooldownFrames()) {
      return new Step(state, List.of());
    }
    if (last != null && d.frame() < last) {
      return new Step(state, List.of()); // older than what already triggered it
    }
    Map<String, Long> issued = new HashMap<>(state.lastIssued());
    issued.put(d.action(), d.frame());
    FovState next =
        new FovState(issued, state.spikes(), state.spikeIds(), state.lastFrame(), state.emptyRun());
    return new Step(next, List.of(Directive.of(d)));
  }
}
