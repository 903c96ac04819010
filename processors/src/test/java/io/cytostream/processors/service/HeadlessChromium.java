package io.cytostream.processors.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.schemas.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium driven over the DevTools protocol (a WebSocket, JSON messages): open a page,
 * evaluate JavaScript in it, click, take a screenshot. Real time, unlike {@code --dump-dom} with
 * {@code --virtual-time-budget}, which never ends while a page holds an SSE stream open.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The Chromium on PATH ({@code chromium}, {@code chromium-browser}), or null. */
  static String find() {
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }

  /** Starts Chromium on {@code url} with a fresh profile in {@code profile}. */
  HeadlessChromium(String chromium, Path profile, String url, int width, int height)
      throws Exception {
    process =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox", // CI runs as root
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                url)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String browserWs = null;
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (String line; browserWs == null && (line = err.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        browserWs = m.group(1);
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (browserWs == null) {
      process.destroyForcibly();
      throw new IOException("chromium did not open its DevTools port");
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                err.transferTo(java.io.Writer.nullWriter());
              } catch (IOException e) {
                // closed
              }
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    URI browser = URI.create(browserWs);
    HttpClient http = HttpClient.newHttpClient();
    String pageWs = null;
    while (pageWs == null && System.nanoTime() < deadline) {
      String list =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://"
                                  + browser.getHost()
                                  + ":"
                                  + browser.getPort()
                                  + "/json/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode t : Json.mapper().readTree(list)) {
        if (t.path("type").asText().equals("page")) {
          pageWs = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (pageWs == null) {
        Thread.sleep(200);
      }
    }
    if (pageWs == null) {
      process.destroyForcibly();
      throw new IOException("chromium opened no page");
    }
    socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(pageWs), new Listener())
            .get(30, TimeUnit.SECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode msg = Json.mapper().readTree(text.toString());
          CompletableFuture<JsonNode> f =
              msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
          if (f != null) {
            if (msg.has("error")) {
              f.completeExceptionally(new IOException("DevTools: " + msg.get("error")));
            } else {
              f.complete(msg.get("result"));
            }
          }
        } catch (IOException e) {
          // not JSON: ignore
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** Calls a DevTools method; returns its result. */
  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = Json.mapper().createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", params == null ? Json.mapper().createObjectNode() : params);
    socket.sendText(msg.toString(), true).get(30, TimeUnit.SECONDS);
    return f.get(30, TimeUnit.SECONDS);
  }

  /** Evaluates {@code expression} in the page; returns its value (JSON-compatible). */
  JsonNode eval(String expression) throws Exception {
    ObjectNode p = Json.mapper().createObjectNode();
    p.put("expression", expression);
    p.put("returnByValue", true);
    return call("Runtime.evaluate", p).path("result").path("value");
  }

  /** A left click at CSS pixel (x, y) of the viewport. */
  void click(double x, double y) throws Exception {
    for (String type : List.of("mousePressed", "mouseReleased")) {
      ObjectNode p = Json.mapper().createObjectNode();
      p.put("type", type);
      p.put("x", x);
      p.put("y", y);
      p.put("button", "left");
      p.put("clickCount", 1);
      call("Input.dispatchMouseEvent", p);
    }
  }

  /** A PNG of the viewport. */
  byte[] screenshot() throws Exception {
    ObjectNode p = Json.mapper().createObjectNode();
    p.put("format", "png");
    return java.util.Base64.getDecoder()
        .decode(call("Page.captureScreenshot", p).get("data").asText());
  }

  @Override
  public void close() {
    try {
      socket.abort();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
