package io.cytostream.processors.service;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

/** {@code GET /events?limit=N}: the latest anomaly events as a JSON array of CloudEvents. */
@Controller("/events")
public class EventsController {
  private final RecentEvents events;

  public EventsController(RecentEvents events) {
    this.events = events;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  public String latest(@QueryValue(defaultValue = "50") int limit) {
    int n = Math.max(1, Math.min(limit, 1000));
    return "[" + String.join(",\n", events.latest(n)) + "]";
  }
}
