package io.cytostream.processors.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.processors.image.LabelContours;
import io.cytostream.schemas.Json;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * The live view: the page at {@code /view} (its scripts under {@code /view/}, uPlot vendored at
 * build time), and what it draws from the frames {@link LatestFrames} holds:
 *
 * <ul>
 *   <li>{@code GET /view/frames}: per FOV held here, the frame shown ({@link
 *       LatestFrames.Summary}), a JSON array;
 *   <li>{@code GET /view/stream}: Server-Sent Events {@code event: frame} with such a summary each
 *       time a FOV shows a new frame, and {@code event: ping} every 15 s;
 *   <li>{@code GET /fovs/{fov}/frame.png[?frame=N]}: that frame's normalised plane, 8-bit grey;
 *   <li>{@code GET /fovs/{fov}/contours[?frame=N]}: its cells' outlines and track ids: {@code
 *       {"fov","frame","width","height","tracked","cells":[{"label","track","contour":[x0,y0,
 *       ...]}]}} (pixel-corner coordinates, px; {@code track} null until the links are final).
 * </ul>
 *
 * FOV ids are URL-encoded in paths ({@code demo%2Ffov-1}). Unknown FOVs or frames no longer held:
 * 404 with a JSON error. Only the FOVs this instance processes are held.
 */
@Controller
public class ViewController {
  private final LatestFrames frames;

  public ViewController(LatestFrames frames) {
    this.frames = frames;
  }

  @Get(value = "/view", produces = MediaType.TEXT_HTML)
  public HttpResponse<byte[]> page() {
    try (InputStream in = ViewController.class.getResourceAsStream("/view/index.html")) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.TEXT_HTML_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get(value = "/view/frames", produces = MediaType.APPLICATION_JSON)
  public String held() throws JsonProcessingException {
    return Json.mapper().writeValueAsString(frames.summaries());
  }

  @Get(value = "/view/stream", produces = MediaType.TEXT_EVENT_STREAM)
  public Flux<Event<String>> stream() {
    Flux<Event<String>> shown =
        frames.updates().onBackpressureLatest().map(s -> Event.of(json(s)).name("frame"));
    Flux<Event<String>> ping =
        Flux.interval(Duration.ofSeconds(15)).map(i -> Event.of("{}").name("ping"));
    return Flux.merge(shown, ping);
  }

  private static String json(Object o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Get("/fovs/{fov}/frame.png")
  public HttpResponse<?> png(
      @PathVariable String fov, @QueryValue(defaultValue = "-1") long frame) {
    Optional<LatestFrames.Held> h = frames.frame(fov, frame);
    if (h.isEmpty()) {
      return notHeld(fov, frame);
    }
    return HttpResponse.ok(h.get().png())
        .contentType(MediaType.IMAGE_PNG_TYPE)
        .header("X-Frame-Index", Long.toString(h.get().frameIndex()))
        .header("Cache-Control", "no-store");
  }

  @Get(value = "/fovs/{fov}/contours", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<?> contours(
      @PathVariable String fov, @QueryValue(defaultValue = "-1") long frame)
      throws JsonProcessingException {
    Optional<LatestFrames.Held> found = frames.frame(fov, frame);
    if (found.isEmpty()) {
      return notHeld(fov, frame);
    }
    LatestFrames.Held h = found.get();
    Map<Integer, Long> tracks = h.trackByLabel();
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("fov", h.fov());
    root.put("frame", h.frameIndex());
    root.put("width", h.width());
    root.put("height", h.height());
    root.put("tracked", tracks != null);
    ArrayNode cells = root.putArray("cells");
    for (LabelContours.Contour c : h.contours()) {
      ObjectNode cell = cells.addObject();
      cell.put("label", c.label());
      Long track = tracks == null ? null : tracks.get(c.label());
      if (track == null) {
        cell.putNull("track");
      } else {
        cell.put("track", track);
      }
      ArrayNode xy = cell.putArray("contour");
      for (int v : c.xy()) {
        xy.add(v);
      }
    }
    return HttpResponse.ok(Json.mapper().writeValueAsString(root))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static HttpResponse<?> notHeld(String fov, long frame) {
    ObjectNode err = Json.mapper().createObjectNode();
    err.put(
        "error",
        frame >= 0
            ? "frame " + frame + " of FOV '" + fov + "' is not held (any more)"
            : "no frame of FOV '" + fov + "' is held by this instance");
    return HttpResponse.status(HttpStatus.NOT_FOUND)
        .body(err.toString())
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
