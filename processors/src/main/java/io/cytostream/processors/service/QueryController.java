package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.processors.topology.CellView;
import io.cytostream.processors.topology.FovView;
import io.cytostream.schemas.FovId;
import io.cytostream.schemas.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API over the query views: {@code GET /fovs}, {@code /fovs/{fov}}, {@code
 * /fovs/{fov}/cells}, {@code /fovs/{fov}/cells/{track}} and {@code /fovs/{fov}/consensus}, JSON.
 * The FOV id is URL-encoded in the path ({@code demo%2Ffov-1}): Micronaut matches the routes on the
 * raw path, where the id is one segment, and the id is decoded here. A FOV owned by another
 * instance is fetched from it ({@link PeerClient}); {@code GET /fovs} gathers every instance's.
 * Errors are JSON {@code {"status", "error"}}: 400 for a malformed FOV or track, 404 for an unknown
 * one, 503 while the views are not ready or another instance does not answer.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class QueryController {
  private static final ObjectMapper JSON = Json.mapper();

  private final QueryStores stores;
  private final PeerClient peers;

  public QueryController(QueryStores stores, PeerClient peers) {
    this.stores = stores;
    this.peers = peers;
  }

  /** {@code GET /fovs}: every FOV of every instance, by id: {@code [{fov, lastFrame, cells}]}. */
  @Get(uri = "/fovs", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> fovs(HttpRequest<?> request) {
    try {
      List<JsonNode> all = new ArrayList<>();
      for (FovView v : stores.fovs()) {
        all.add(summary(v));
      }
      if (!PeerClient.forwarded(request)) {
        for (HostInfo peer : stores.peers()) {
          PeerClient.Answer a = peers.get(peer, "/fovs");
          if (a.status() != 200) {
            return HttpResponse.<String>status(HttpStatus.valueOf(a.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(a.body());
          }
          JSON.readTree(a.body()).forEach(all::add);
        }
      }
      all.sort(Comparator.comparing(n -> n.get("fov").asText()));
      ArrayNode out = JSON.createArrayNode();
      out.addAll(all);
      return ok(out);
    } catch (QueryStores.UnavailableException e) {
      return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    } catch (IOException e) {
      return error(HttpStatus.SERVICE_UNAVAILABLE, "bad answer from another instance: " + e);
    }
  }

  /**
   * {@code GET /fovs/{fov}}: the FOV's summary, the tracks whose views are kept and its recent
   * events.
   *
   * @param fov the FOV id, URL-encoded ({@code demo%2Ffov-1})
   */
  @Get(uri = "/fovs/{fov}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> fov(HttpRequest<?> request, String fov) {
    return answer(request);
  }

  /**
   * {@code GET /fovs/{fov}/cells}: every kept cell of the FOV (position, area, intensity, k_i and
   * γ_i with standard errors, last innovation), without series.
   *
   * @param fov the FOV id, URL-encoded
   */
  @Get(uri = "/fovs/{fov}/cells", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> cells(HttpRequest<?> request, String fov) {
    return answer(request);
  }

  /**
   * {@code GET /fovs/{fov}/cells/{track}}: one cell with its recent series (y and the model's
   * prediction) and events.
   *
   * @param fov the FOV id, URL-encoded
   * @param track the track id
   */
  @Get(uri = "/fovs/{fov}/cells/{track}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> cell(HttpRequest<?> request, String fov, String track) {
    return answer(request);
  }

  /**
   * {@code GET /fovs/{fov}/consensus}: the FOV's latest consensus (CRLSM) estimate, as on topic
   * {@code consensus.fov}.
   *
   * @param fov the FOV id, URL-encoded
   */
  @Get(uri = "/fovs/{fov}/consensus", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> consensus(HttpRequest<?> request, String fov) {
    return answer(request);
  }

  /**
   * Answers any {@code /fovs/...} request from its raw path, where the encoded FOV is one segment
   * (decoded here, once), whatever Micronaut's binding of {@code {fov}} did with it.
   */
  private HttpResponse<String> answer(HttpRequest<?> request) {
    String raw = request.getUri().getRawPath();
    int at = raw.indexOf("/fovs/");
    Path p = Path.parse(raw.substring(at + "/fovs/".length()));
    if (p.error() != null) {
      return error(HttpStatus.BAD_REQUEST, p.error());
    }
    try {
      Optional<HostInfo> owner = stores.remoteOwner(p.fov());
      if (owner.isPresent()) {
        if (PeerClient.forwarded(request)) {
          return error(
              HttpStatus.SERVICE_UNAVAILABLE,
              "FOV " + p.fov() + " moved to another instance; retry");
        }
        String query = request.getUri().getRawQuery();
        PeerClient.Answer a = peers.get(owner.get(), raw + (query == null ? "" : "?" + query));
        return HttpResponse.<String>status(HttpStatus.valueOf(a.status()))
            .contentType(MediaType.APPLICATION_JSON_TYPE)
            .body(a.body());
      }
      Optional<FovView> fov = stores.fov(p.fov());
      if (fov.isEmpty()) {
        return error(HttpStatus.NOT_FOUND, "unknown FOV " + p.fov());
      }
      return switch (p.what()) {
        case FOV -> ok(detail(fov.get()));
        case CELLS -> ok(cells(fov.get(), stores.cells(p.fov())));
        case CONSENSUS ->
            fov.get().consensus() == null
                ? error(HttpStatus.NOT_FOUND, "no consensus estimate yet for FOV " + p.fov())
                : ok(JSON.valueToTree(fov.get().consensus()));
        case CELL -> {
          Optional<CellView> c = stores.cell(p.fov(), p.track());
          yield c.isEmpty()
              ? error(
                  HttpStatus.NOT_FOUND,
                  "unknown cell " + p.track() + " in FOV " + p.fov() + " (or no longer kept)")
              : ok(JSON.valueToTree(c.get()));
        }
      };
    } catch (QueryStores.UnavailableException e) {
      return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
  }

  /** One FOV in {@code GET /fovs}. */
  static ObjectNode summary(FovView v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("fov", v.fov());
    n.put("lastFrame", v.lastFrame());
    n.put("cells", v.cells());
    n.put("firstFrame", v.firstFrame());
    n.put("framesSeen", v.framesSeen());
    n.put("timeSeconds", v.timeSeconds());
    if (v.acquisitionTime() != null) {
      n.put("acquisitionTime", v.acquisitionTime().toString());
    }
    n.put("width", v.width());
    n.put("height", v.height());
    if (v.consensus() != null) {
      n.put("k", v.consensus().k());
      if (v.consensus().kStandardError() != null) {
        n.put("kStandardError", v.consensus().kStandardError());
      }
    }
    return n;
  }

  /** {@code GET /fovs/{fov}}: the summary, the kept tracks and the FOV's recent events. */
  static ObjectNode detail(FovView v) {
    ObjectNode n = summary(v);
    ArrayNode tracks = n.putArray("tracks");
    v.tracks().forEach((t, last) -> tracks.addObject().put("track", t).put("lastFrame", last));
    n.putArray("events").addAll(v.events());
    return n;
  }

  /** {@code GET /fovs/{fov}/cells}: each kept cell without its series and events. */
  static ObjectNode cells(FovView fov, List<CellView> cells) {
    ObjectNode n = JSON.createObjectNode();
    n.put("fov", fov.fov());
    n.put("lastFrame", fov.lastFrame());
    ArrayNode out = n.putArray("cells");
    for (CellView c : cells) {
      ObjectNode o = JSON.valueToTree(c);
      o.remove("series");
      o.remove("events");
      o.put("present", c.lastFrame() == fov.lastFrame());
      out.add(o);
    }
    return n;
  }

  private static HttpResponse<String> ok(JsonNode body) {
    return HttpResponse.ok(body.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  static HttpResponse<String> error(HttpStatus status, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("status", status.getCode());
    n.put("error", message);
    return HttpResponse.<String>status(status)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(n.toString());
  }

  /** What a {@code /fovs/...} path asks for. */
  enum What {
    FOV,
    CELLS,
    CELL,
    CONSENSUS
  }

  /**
   * A parsed {@code /fovs/...} path.
   *
   * @param fov the FOV id (decoded)
   * @param what what about it
   * @param track the track, for {@link What#CELL}
   * @param error why the path is malformed (null when it is not)
   */
  record Path(String fov, What what, long track, String error) {
    /**
     * Parses the raw (still encoded) path after {@code /fovs/}: the FOV's segments, then nothing,
     * {@code cells}, {@code cells/{track}} or {@code consensus}.
     */
    static Path parse(String rawRest) {
      List<String> seg = new ArrayList<>(Arrays.asList(rawRest.split("/", -1)));
      while (!seg.isEmpty() && seg.get(seg.size() - 1).isEmpty()) {
        seg.remove(seg.size() - 1); // a trailing slash
      }
      What what = What.FOV;
      long track = 0;
      int n = seg.size();
      if (n >= 2 && seg.get(n - 1).equals("cells")) {
        what = What.CELLS;
        n -= 1;
      } else if (n >= 2 && seg.get(n - 1).equals("consensus")) {
        what = What.CONSENSUS;
        n -= 1;
      } else if (n >= 3 && seg.get(n - 2).equals("cells")) {
        what = What.CELL;
        try {
          track = Long.parseLong(seg.get(n - 1));
        } catch (NumberFormatException e) {
          return new Path(null, what, 0, "track must be a number, got '" + seg.get(n - 1) + "'");
        }
        n -= 2;
      }
      List<String> fovParts = new ArrayList<>();
      for (String s : seg.subList(0, n)) {
        try {
          fovParts.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return new Path(null, what, 0, "malformed escape in FOV '" + s + "'");
        }
      }
      String fov = String.join("/", fovParts);
      Optional<String> bad = FovId.violation(fov);
      return bad.isPresent()
          ? new Path(null, what, track, bad.get())
          : new Path(fov, what, track, null);
    }
  }
}
