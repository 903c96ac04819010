package io.cytostream.processors.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Server-Sent Events client for tests: parses {@code id:}, {@code event:}, {@code data:}
 * and comment lines per the SSE specification into frames, on its own thread; {@link #close} drops
 * the connection.
 */
final class SseClient implements AutoCloseable {
  /** One dispatched event (comments are counted, not dispatched). */
  record Frame(String id, String event, String data, long receivedNanos) {}

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final InputStream body;
  private final Thread reader;
  private final int status;
  private volatile int comments;

  private SseClient(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.reader = new Thread(this::read, "sse-test-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to {@code url}, sending {@code lastEventId} when not null. */
  static SseClient connect(HttpClient http, String url, String lastEventId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  int status() {
    return status;
  }

  int comments() {
    return comments;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            frames.add(new Frame(id, event, data.toString(), System.nanoTime()));
          }
          event = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          comments++;
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> event = value;
          case "data" ->
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** The next frame, or null after {@code timeout}. */
  Frame next(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code n} frames (fewer if {@code timeout} passes first). */
  List<Frame> next(int n, Duration timeout) throws InterruptedException {
    List<Frame> out = new ArrayList<>();
    long until = System.nanoTime() + timeout.toNanos();
    while (out.size() < n) {
      long left = until - System.nanoTime();
      Frame f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) {
        break;
      }
      out.add(f);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    body.close();
    reader.join(5000);
  }
}
