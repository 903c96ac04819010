package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.ingest.sim.AnomalySpec;
import io.cytostream.ingest.sim.AnomalyType;
import io.cytostream.ingest.sim.CultureSimulator;
import io.cytostream.ingest.sim.SimulationConfig;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import io.cytostream.schemas.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view in a real browser: the service on the embedded broker, the simulator publishing a
 * FOV in-process, then headless Chromium (Debian package {@code chromium}) loads {@code /view} with
 * a cell selected and the test reads back what the page drew (the data attributes view.js sets on
 * {@code <body>}): as many outlines as the service has cells for the frame shown, and the selected
 * cell's trace with as many points as the query API's series. Saves a screenshot to {@code
 * target/view/view.png}, and also to the path in the system property {@code
 * cytostream.view.screenshot} when given (how {@code docs/view.png} is made, README "Watch it").
 * Skipped only when no Chromium is installed ({@code .ci/run} installs it).
 */
class ViewBrowserTest {
  private static final String FOV = "view/sim";

  /** Even-odd test of (x, y) against an outline {@code [x0, y0, x1, y1, ...]}. */
  static boolean inside(JsonNode xy, double x, double y) {
    boolean hit = false;
    int n = xy.size();
    for (int i = 0, j = n - 2; i < n; j = i, i += 2) {
      double xi = xy.get(i).asDouble();
      double yi = xy.get(i + 1).asDouble();
      double xj = xy.get(j).asDouble();
      double yj = xy.get(j + 1).asDouble();
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
        hit = !hit;
      }
    }
    return hit;
  }

  /** A pixel centre inside the outline, in image px (the one nearest its box's centre). */
  static double[] pointInside(JsonNode xy) {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < xy.size(); i += 2) {
      minX = Math.min(minX, xy.get(i).asDouble());
      maxX = Math.max(maxX, xy.get(i).asDouble());
      minY = Math.min(minY, xy.get(i + 1).asDouble());
      maxY = Math.max(maxY, xy.get(i + 1).asDouble());
    }
    double cx = (minX + maxX) / 2;
    double cy = (minY + maxY) / 2;
    double[] best = null;
    for (double y = minY + 0.5; y < maxY; y++) {
      for (double x = minX + 0.5; x < maxX; x++) {
        if (inside(xy, x, y)
            && (best == null
                || Math.hypot(x - cx, y - cy) < Math.hypot(best[0] - cx, best[1] - cy))) {
          best = new double[] {x, y};
        }
      }
    }
    return best;
  }

  /** Polls the page's {@code <body>} data attributes until {@code done} holds (or 60 s). */
  static JsonNode awaitPage(HeadlessChromium page, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode data = page.eval("JSON.stringify(document.body.dataset)");
    while (System.nanoTime() < deadline) {
      data = Json.mapper().readTree(page.eval("JSON.stringify(document.body.dataset)").asText());
      if (done.test(data)) {
        return data;
      }
      Thread.sleep(250);
    }
    return data;
  }

  static JsonNode getJson(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
  }

  @Test
  void pageDrawsTheOutlinesAndTheTraceOfAClickedCell(@TempDir Path dir) throws Exception {
    String chrome = HeadlessChromium.find();
    assumeTrue(
        chrome != null,
        "ViewBrowserTest skipped: no chromium on PATH (apt-get install chromium; .ci/run does)");
    ServiceRunner.Options options =
        new ServiceRunner.Options(
            null,
            "127.0.0.1",
            0,
            dir.resolve("service"),
            0,
            // the learned model, as for the demo's FOVs: through the classical segmenter no cell
            // of this culture had a prediction of the model within 26 frames
            new SegmenterChoice("classical", Map.of(FOV, "model"), null),
            Map.of("kafka.streams.default.num.stream.threads", 1));
    try (ServiceRunner service = ServiceRunner.start(options)) {
      SimulationConfig sim =
          SimulationConfig.builder()
              .size(256, 256)
              .cells(24)
              .frames(30)
              .seed(11)
              .anomalies(List.of(AnomalySpec.of(AnomalyType.SPIKE, 17)))
              .build();
      List<Frame> frames =
          new CultureSimulator(sim)
              .delivered()
              .map(
                  f ->
                      new Frame(
                          FrameHeader.inline(
                              FOV,
                              f.index(),
                              Instant.parse("2026-11-29T10:00:00Z").plusSeconds(f.index()),
                              f.width(),
                              f.height(),
                              f.raw().type(),
                              null,
                              1.0,
                              "sim"),
                          f.raw().pixels()))
              .toList();
      FramePublisher publisher = FramePublisher.connect(service.bootstrap());
      // 26 frames now, the rest once the page is open
      frames.subList(0, 26).forEach(publisher::publish);
      publisher.flush();
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      String fov = URLEncoder.encode(FOV, StandardCharsets.UTF_8);
      // the frame the view settles on once publishing stopped: the newest with final track ids
      // (the tracker holds back the last frames until its reorder timeout)
      JsonNode contours = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode c = getJson(http, base + "/fovs/" + fov + "/contours");
        if (c != null && c.get("tracked").asBoolean() && c.get("frame").asLong() >= 20) {
          contours = c;
          break;
        }
        Thread.sleep(500);
      }
      assertThat(contours).as("a tracked frame >= 20 of " + FOV + " held by the view").isNotNull();
      assertThat(contours.get("cells").size()).isGreaterThanOrEqualTo(5);
      // the cell to click: of the tracked cells shown, the one with the most points of the model's
      // prediction (an interior cell past its filter's warm-up), then the longest series
      long track = -1;
      int points = 0;
      int predicted = 0;
      deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((points < 5 || predicted < 3) && System.nanoTime() < deadline) {
        for (JsonNode c : contours.get("cells")) {
          if (c.get("track").isNull()) {
            continue;
          }
          JsonNode cell = getJson(http, base + "/fovs/" + fov + "/cells/" + c.get("track"));
          if (cell == null) {
            continue;
          }
          int n = cell.get("series").size();
          int p = 0;
          for (JsonNode s : cell.get("series")) {
            p += s.hasNonNull("yPredicted") ? 1 : 0;
          }
          if (p > predicted || (p == predicted && n > points)) {
            predicted = p;
            points = n;
            track = c.get("track").asLong();
          }
        }
        Thread.sleep(500);
      }
      assertThat(points).as("modelled points of the cell of %s", FOV).isGreaterThanOrEqualTo(5);
      assertThat(predicted).as("predicted points of the cell of %s", FOV).isGreaterThanOrEqualTo(3);

      Path profile = Files.createDirectories(dir.resolve("chromium"));
      try (HeadlessChromium page =
          new HeadlessChromium(chrome, profile, base + "/view?fov=" + fov, 1120, 720)) {
        JsonNode drawn = awaitPage(page, d -> d.path("contours").asInt() > 0);
        assertThat(drawn.path("fov").asText()).isEqualTo(FOV);
        // as many outlines as the service has cells in the frame the page shows
        JsonNode shown =
            getJson(
                http, base + "/fovs/" + fov + "/contours?frame=" + drawn.path("frame").asText());
        assertThat(shown).as("frame %s still held", drawn.path("frame").asText()).isNotNull();
        assertThat(shown.get("tracked").asBoolean()).isTrue();
        assertThat(drawn.path("contours").asInt())
            .as("outlines drawn")
            .isEqualTo(shown.get("cells").size());
        JsonNode target = null;
        for (JsonNode c : shown.get("cells")) {
          if (c.get("track").asLong() == track) {
            target = c;
          }
        }
        assertThat(target).as("cell %d in the frame shown", track).isNotNull();
        double[] at = pointInside(target.get("contour"));
        // a click on the cell selects it and draws its trace
        JsonNode canvas =
            page.eval(
                "(() => { const c = document.getElementById('frame');"
                    + " const r = c.getBoundingClientRect();"
                    + " return [r.left, r.top, r.width / "
                    + shown.get("width").asInt()
                    + "]; })()");
        double scale = canvas.get(2).asDouble();
        page.click(
            canvas.get(0).asDouble() + at[0] * scale, canvas.get(1).asDouble() + at[1] * scale);
        long chosen = track;
        drawn =
            awaitPage(
                page,
                d ->
                    d.path("track").asText().equals(Long.toString(chosen))
                        && d.path("tracePoints").asInt() > 0);
        assertThat(drawn.path("track").asText())
            .as("cell selected by the click")
            .isEqualTo(Long.toString(track));
        // every point of its series (which may only have grown since)
        int after = getJson(http, base + "/fovs/" + fov + "/cells/" + track).get("series").size();
        assertThat(drawn.path("tracePoints").asInt())
            .as("trace points drawn")
            .isBetween(points, after);
        assertThat(drawn.path("predictionPoints").asInt())
            .as("prediction points drawn")
            .isGreaterThanOrEqualTo(predicted);
        // the SSE stream is open (the page's status says live)
        assertThat(awaitPage(page, d -> d.path("sse").asText().equals("open")).path("sse").asText())
            .isEqualTo("open");

        // frames published now reach the open page over its SSE stream
        long before = drawn.path("frame").asLong();
        frames.subList(26, frames.size()).forEach(publisher::publish);
        publisher.close();
        drawn =
            awaitPage(
                page, d -> d.path("frameUpdates").asInt() > 0 && d.path("frame").asLong() > before);
        assertThat(drawn.path("frameUpdates").asInt()).as("frames announced over SSE").isPositive();
        assertThat(drawn.path("frame").asLong()).as("frame shown").isGreaterThan(before);

        // a link to a cell (README "Watch it") opens its trace without a click
        ObjectNode nav = Json.mapper().createObjectNode();
        nav.put("url", base + "/view?fov=" + fov + "&track=" + track);
        page.call("Page.navigate", nav);
        drawn =
            awaitPage(
                page,
                d ->
                    d.path("track").asText().equals(Long.toString(chosen))
                        && d.path("tracePoints").asInt() > 0
                        && d.path("contours").asInt() > 0
                        && d.path("sse").asText().equals("open"));
        assertThat(drawn.path("track").asText()).isEqualTo(Long.toString(track));
        assertThat(drawn.path("tracePoints").asInt()).isGreaterThanOrEqualTo(points);

        Path shot = Files.createDirectories(Path.of("target", "view")).resolve("view.png");
        Files.write(shot, page.screenshot());
        assertThat(new String(Files.readAllBytes(shot), 1, 3, StandardCharsets.US_ASCII))
            .isEqualTo("PNG");
        String copy = System.getProperty("cytostream.view.screenshot");
        if (copy != null && !copy.isBlank()) {
          Files.copy(shot, Path.of(copy), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
