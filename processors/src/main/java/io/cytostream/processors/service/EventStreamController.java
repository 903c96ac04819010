package io.cytostream.processors.service;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code GET /events/stream}: Server-Sent Events of anomaly and life events ({@code
 * events.anomaly}, {@code cells.lifecycle}) as they are committed. Each frame is {@code id:} (a
 * position, {@link EventCursor}), {@code event: anomaly|lifecycle} and {@code data:} the CloudEvent
 * JSON exactly as on its topic. Filters: {@code fov}, {@code type}, {@code minScore} ({@link
 * EventFilter}). Resume: the {@code Last-Event-ID} header (or the {@code lastEventId} query
 * parameter) restarts after that event, missing nothing still retained; without it the stream
 * starts at the topics' ends ({@code from=latest}, the default) or at their oldest retained events
 * ({@code from=earliest}).
 *
 * <p>Resources: one consumer and one thread per subscriber ({@link EventTail}), closed when the
 * client goes away (seen at once when it closes the connection, else at the next write: a comment
 * line goes out every {@code cytostream.events.stream.heartbeat} without events); at most {@code
 * cytostream.events.stream.max-clients} subscribers at once, more get 503.
 */
@Controller
public class EventStreamController {
  private final String bootstrap;
  private final int maxClients;
  private final Duration heartbeat;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong serial = new AtomicLong();
  private final Set<EventTail> tails = ConcurrentHashMap.newKeySet();

  public EventStreamController(
      @Value("${kafka.bootstrap.servers}") String bootstrap,
      @Value("${cytostream.events.stream.max-clients:32}") int maxClients,
      @Value("${cytostream.events.stream.heartbeat:15s}") Duration heartbeat) {
    this.bootstrap = bootstrap;
    this.maxClients = maxClients;
    this.heartbeat = heartbeat;
  }

  /** Subscribers connected now. */
  public int openStreams() {
    return open.get();
  }

  @Get(uri = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM)
  public HttpResponse<?> stream(
      @Nullable @Header("Last-Event-ID") String lastEventIdHeader,
      @Nullable @QueryValue("lastEventId") String lastEventIdParam,
      @Nullable @QueryValue("fov") List<String> fov,
      @Nullable @QueryValue("type") List<String> type,
      @Nullable @QueryValue("minScore") String minScore,
      @Nullable @QueryValue("from") String from) {
    EventCursor resume = null;
    String last = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
    EventTail.Start start;
    Double min = null;
    try {
      if (last != null && !last.isBlank()) {
        resume = EventCursor.parse(last);
      }
      start =
          switch (from == null ? "latest" : from.toLowerCase(Locale.ROOT)) {
            case "latest" -> EventTail.Start.LATEST;
            case "earliest" -> EventTail.Start.EARLIEST;
            default ->
                throw new IllegalArgumentException(
                    "from must be latest or earliest, got '" + from + "'");
          };
      if (minScore != null && !minScore.isBlank()) {
        min = Double.parseDouble(minScore);
        if (!Double.isFinite(min)) {
          throw new NumberFormatException("not finite");
        }
      }
    } catch (NumberFormatException e) {
      return QueryController.error(
          HttpStatus.BAD_REQUEST, "minScore must be a number, got '" + minScore + "'");
    } catch (IllegalArgumentException e) {
      return QueryController.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    EventFilter filter =
        new EventFilter(
            fov == null ? Set.of() : new HashSet<>(fov),
            type == null ? Set.of() : new HashSet<>(type),
            min);
    if (open.get() >= maxClients) {
      return QueryController.error(
          HttpStatus.SERVICE_UNAVAILABLE,
          "too many event-stream subscribers (" + maxClients + "); retry later");
    }
    EventCursor from0 = resume;
    EventTail.Start start0 = start;
    Flux<Event<String>> events =
        Flux.create(
            (FluxSink<Event<String>> sink) -> {
              // counted once subscribed, so that a response never written leaks nothing
              open.incrementAndGet();
              String name = "cytostream-sse-" + serial.incrementAndGet();
              AtomicInteger closed = new AtomicInteger();
              EventTail[] tail = new EventTail[1];
              Runnable onClose =
                  () -> {
                    if (closed.getAndIncrement() == 0) {
                      open.decrementAndGet();
                      tails.remove(tail[0]);
                    }
                  };
              try {
                tail[0] =
                    new EventTail(bootstrap, name, sink, filter, from0, start0, heartbeat, onClose);
              } catch (RuntimeException e) {
                onClose.run();
                sink.error(e);
                return;
              }
              tails.add(tail[0]);
              sink.onDispose(tail[0]::cancel);
              Thread t = new Thread(tail[0], name);
              t.setDaemon(true);
              t.start();
            },
            FluxSink.OverflowStrategy.BUFFER);
    return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
  }

  @PreDestroy
  void close() {
    tails.forEach(EventTail::cancel);
  }
}
