package io.cytostream.processors.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;
import io.cytostream.schemas.Json;
import io.cytostream.schemas.LifecycleEvent;
import io.cytostream.schemas.TrackedFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the query API's views (read by the service's interactive queries): per FOV a {@link
 * FovView} in {@value #FOV_STORE} (key = FOV) and per cell a {@link CellView} in {@value
 * #CELL_STORE} (key {@code fov/%019d(track)}, so that one FOV's cells are one prefix). Both stores
 * are changelogged and live in the consensus stage's tasks, partitioned by FOV like {@code tracks}:
 * the instance that owns a FOV's partition answers for the FOV and all its cells.
 *
 * <p>Input: the merged outputs of one {@code tracks} record — its life events, the consensus
 * stage's cell states, estimate and anomaly events, then the tracked frame itself (Kafka Streams
 * forwards a record to a node's children depth first, in the order they were added, and the frame
 * branch is added last). What comes before the frame is held in memory and written with the frame,
 * so that each cell's view is written once per frame. A frame at or before the FOV's latest is a
 * replay and changes nothing.
 *
 * <p>Bounds: {@value #SERIES_POINTS} series points and {@value #CELL_EVENTS} events per cell,
 * {@value #FOV_EVENTS} events per FOV; a cell's view is deleted {@value #RETAIN_FRAMES} frames
 * after its last sighting.
 */
public final class QueryViewProcessor implements Processor<String, ViewInput, Void, Void> {
  /** The FOV views' store (queryable; keep the name stable). */
  public static final String FOV_STORE = "query-fov-view";

  /** The cell views' store (queryable; keep the name stable). */
  public static final String CELL_STORE = "query-cell-view";

  /** Series points kept per cell. */
  public static final int SERIES_POINTS = 64;

  /** Events kept per cell. */
  public static final int CELL_EVENTS = 16;

  /** Events kept per FOV. */
  public static final int FOV_EVENTS = 32;

  /** Frames after its last sighting that a cell's view is kept. */
  public static final long RETAIN_FRAMES = 100;

  /** Views kept deserialised between frames ({@link StoreCache}), per store. */
  static final int CACHED_VIEWS = 8192;

  private final Map<String, Pending> pending = new HashMap<>();
  // the views read back at every frame, without a store read and JSON parse each time
  private final StoreCache<FovView> fovs = new StoreCache<>(CACHED_VIEWS);
  private final StoreCache<CellView> cells = new StoreCache<>(CACHED_VIEWS);

  /** The key of a cell's view: its FOV's prefix, then the zero-padded track id. */
  public static String cellKey(String fov, long track) {
    return fov + "/" + String.format(Locale.ROOT, "%019d", track);
  }

  QueryViewProcessor() {}

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    KeyValueStore<String, FovView> fovStore = context.getStateStore(FOV_STORE);
    KeyValueStore<String, CellView> cellStore = context.getStateStore(CELL_STORE);
    fovs.attach(fovStore);
    cells.attach(cellStore);
    pending.clear();
  }

  @Override
  public void process(Record<String, ViewInput> record) {
    ViewInput in = record.value();
    if (in == null) {
      return;
    }
    if (in.frame() != null) {
      apply(in.frame());
      return;
    }
    if (in.state() != null) {
      pending(in.state().fov()).states.put(in.state().trackId(), in.state());
    } else if (in.estimate() != null) {
      pending(in.estimate().fov()).estimate = in.estimate();
    } else if (in.anomaly() != null) {
      AnomalyEvent e = in.anomaly();
      List<Long> tracks = e.data().trackId() > 0 ? List.of(e.data().trackId()) : List.of();
      pending(e.data().fov()).events.add(new Tagged(Json.mapper().valueToTree(e), tracks));
    } else if (in.lifecycle() != null) {
      LifecycleEvent e = in.lifecycle();
      List<Long> tracks = new ArrayList<>();
      tracks.add(e.data().trackId());
      if (e.data().related() != null) {
        tracks.addAll(e.data().related());
      }
      pending(e.data().fov()).events.add(new Tagged(Json.mapper().valueToTree(e), tracks));
    }
  }

  private Pending pending(String fov) {
    return pending.computeIfAbsent(fov, k -> new Pending());
  }

  private void apply(TrackedFrame tf) {
    String fov = tf.fov();
    Pending p = pending.remove(fov);
    if (p == null) {
      p = new Pending();
    }
    FovView old = fovs.get(fov);
    long f = tf.frameIndex();
    if (old != null && f <= old.lastFrame()) {
      return; // a replayed frame: already in the views
    }
    Map<Long, CellMut> touched = new LinkedHashMap<>();
    for (TrackedFrame.Cell c : tf.cells()) {
      cell(touched, fov, c.trackId(), f).sighted(tf, c);
    }
    for (CellState s : p.states.values()) {
      cell(touched, fov, s.trackId(), f).modelled(s);
    }
    for (Tagged e : p.events) {
      for (long t : e.tracks()) {
        cell(touched, fov, t, f).event(e.json());
      }
    }
    Map<Long, Long> tracks = old == null ? new TreeMap<>() : new TreeMap<>(old.tracks());
    for (CellMut m : touched.values()) {
      cells.put(cellKey(fov, m.track), m.build());
      tracks.merge(m.track, m.lastFrame, Math::max);
    }
    for (Iterator<Map.Entry<Long, Long>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getValue() < f - RETAIN_FRAMES) {
        cells.delete(cellKey(fov, e.getKey()));
        it.remove();
      }
    }
    List<JsonNode> events = new ArrayList<>(old == null ? List.of() : old.events());
    p.events.forEach(e -> events.add(e.json()));
    fovs.put(
        fov,
        new FovView(
            fov,
            old == null ? f : old.firstFrame(),
            f,
            (old == null ? 0 : old.framesSeen()) + 1,
            tf.timeSeconds(),
            tf.acquisitionTime(),
            tf.width(),
            tf.height(),
            tf.cells().size(),
            p.estimate != null ? p.estimate : old == null ? null : old.consensus(),
            tracks,
            tail(events, FOV_EVENTS)));
  }

  private CellMut cell(Map<Long, CellMut> touched, String fov, long track, long frame) {
    return touched.computeIfAbsent(
        track,
        t -> {
          CellView v = cells.get(cellKey(fov, t));
          return new CellMut(v != null ? v : CellView.empty(fov, t, frame));
        });
  }

  static <T> List<T> tail(List<T> list, int max) {
    return list.size() <= max
        ? list
        : new ArrayList<>(list.subList(list.size() - max, list.size()));
  }

  /** What arrived for a FOV before its frame. */
  private static final class Pending {
    final Map<Long, CellState> states = new LinkedHashMap<>();
    final List<Tagged> events = new ArrayList<>();
    ConsensusEstimate estimate;
  }

  /** An event's JSON and the tracks it concerns. */
  private record Tagged(JsonNode json, List<Long> tracks) {}

  /** A cell's view while one frame updates it. */
  private static final class CellMut {
    final String fov;
    final long track;
    long parentTrack;
    long firstFrame;
    long lastFrame;
    double timeSeconds;
    Double centroidX;
    Double centroidY;
    Integer areaPx;
    Double meanIntensity;
    Double intensity;
    Boolean onBorder;
    long rows;
    Double k;
    Double kSe;
    Double gamma;
    Double gammaSe;
    Double innovation;
    Double normalizedInnovation;
    Long innovationFrame;
    Double kConsensus;
    Double gammaConsensus;
    final List<CellView.Point> series;
    final List<JsonNode> events;

    CellMut(CellView v) {
      fov = v.fov();
      track = v.track();
      parentTrack = v.parentTrack();
      firstFrame = v.firstFrame();
      lastFrame = v.lastFrame();
      timeSeconds = v.timeSeconds();
      centroidX = v.centroidX();
      centroidY = v.centroidY();
      areaPx = v.areaPx();
      meanIntensity = v.meanIntensity();
      intensity = v.intensity();
      onBorder = v.onBorder();
      rows = v.rows();
      k = v.k();
      kSe = v.kStandardError();
      gamma = v.gamma();
      gammaSe = v.gammaStandardError();
      innovation = v.innovation();
      normalizedInnovation = v.normalizedInnovation();
      innovationFrame = v.innovationFrame();
      kConsensus = v.kConsensus();
      gammaConsensus = v.gammaConsensus();
      series = new ArrayList<>(v.series());
      events = new ArrayList<>(v.events());
    }

    void sighted(TrackedFrame tf, TrackedFrame.Cell c) {
      if (c.parentTrackId() != 0) {
        parentTrack = c.parentTrackId();
      }
      firstFrame = Math.min(firstFrame, tf.frameIndex());
      lastFrame = Math.max(lastFrame, tf.frameIndex());
      timeSeconds = tf.timeSeconds();
      centroidX = c.centroidX();
      centroidY = c.centroidY();
      areaPx = c.areaPx();
      meanIntensity = c.meanIntensity();
      onBorder = c.onBorder();
    }

    void modelled(CellState s) {
      CellView.Point prev = series.isEmpty() ? null : series.get(series.size() - 1);
      if (prev != null && prev.frame() >= s.frameIndex()) {
        return;
      }
      Double predicted = null;
      if (s.innovation() != null && prev != null) {
        // z_t = (y_t - y_{t-1}) / Δt = φ_t k_i + γ_i + e_t, so the prediction is y_t - Δt e_t
        double dt = s.timeSeconds() - prev.t();
        if (dt > 0) {
          predicted = s.intensity() - dt * s.innovation();
        }
      }
      series.add(new CellView.Point(s.frameIndex(), s.timeSeconds(), s.intensity(), predicted));
      while (series.size() > SERIES_POINTS) {
        series.remove(0);
      }
      intensity = s.intensity();
      rows = s.rows();
      k = s.kCell();
      kSe = s.kCellSe();
      gamma = s.gammaCell();
      gammaSe = s.gammaCellSe();
      if (s.innovation() != null) {
        innovation = s.innovation();
        normalizedInnovation = s.normalizedInnovation();
        innovationFrame = s.frameIndex();
      }
      kConsensus = s.kConsensus();
      gammaConsensus = s.gammaConsensus();
    }

    void event(JsonNode json) {
      events.add(json);
      while (events.size() > CELL_EVENTS) {
        events.remove(0);
      }
    }

    CellView build() {
      return new CellView(
          fov,
          track,
          parentTrack,
          firstFrame,
          lastFrame,
          timeSeconds,
          centroidX,
          centroidY,
          areaPx,
          meanIntensity,
          intensity,
          onBorder,
          rows,
          k,
          kSe,
          gamma,
          gammaSe,
          innovation,
          normalizedInnovation,
          innovationFrame,
          kConsensus,
          gammaConsensus,
          series,
          events);
    }
  }
}
