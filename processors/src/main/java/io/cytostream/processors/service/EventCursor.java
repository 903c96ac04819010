package io.cytostream.processors.service;

import io.cytostream.schemas.Topics;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A position in the event topics, the SSE stream's event id: for every partition of {@code
 * events.anomaly} (code {@code a}) and {@code cells.lifecycle} (code {@code l}), the offset of the
 * next record to read, written {@code <code>:<partition>:<offset>} and joined by commas, e.g.
 * {@code a:0:18,a:3:7,l:1:42}. A partition left out is at offset 0 (nothing read from it yet). The
 * id of an event is the position just after it (its own partition's entry is its offset + 1), so a
 * client that reconnects with it as {@code Last-Event-ID} resumes right after the events it has.
 * Immutable.
 */
public final class EventCursor {
  /** The event topics: SSE event name and id code per topic. */
  public enum Source {
    ANOMALY(Topics.EVENTS_ANOMALY.name(), "anomaly", "a"),
    LIFECYCLE(Topics.CELLS_LIFECYCLE.name(), "lifecycle", "l");

    private final String topic;
    private final String eventName;
    private final String code;

    Source(String topic, String eventName, String code) {
      this.topic = topic;
      this.eventName = eventName;
      this.code = code;
    }

    /** The Kafka topic. */
    public String topic() {
      return topic;
    }

    /** The SSE {@code event:} name. */
    public String eventName() {
      return eventName;
    }

    /** The code in event ids. */
    public String code() {
      return code;
    }

    /** The source of {@code topic}, or null. */
    public static Source ofTopic(String topic) {
      for (Source s : values()) {
        if (s.topic.equals(topic)) {
          return s;
        }
      }
      return null;
    }

    static Source ofCode(String code) {
      for (Source s : values()) {
        if (s.code.equals(code)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * One partition of one event topic.
   *
   * @param source the topic
   * @param partition the partition
   */
  public record Part(Source source, int partition) implements Comparable<Part> {
    @Override
    public int compareTo(Part o) {
      int c = source.compareTo(o.source);
      return c != 0 ? c : Integer.compare(partition, o.partition);
    }
  }

  private final Map<Part, Long> next;

  private EventCursor(Map<Part, Long> next) {
    Map<Part, Long> m = new TreeMap<>(next);
    m.values().removeIf(o -> o == 0); // offset 0 = not in the cursor
    this.next = Collections.unmodifiableMap(m);
  }

  /** A cursor at the given next offsets. */
  public static EventCursor of(Map<Part, Long> next) {
    return new EventCursor(next);
  }

  /** The next offset to read on {@code part} (0 when not in the cursor). */
  public long next(Part part) {
    return next.getOrDefault(part, 0L);
  }

  /** The cursor once the record at {@code offset} of {@code part} has been read. */
  public EventCursor after(Part part, long offset) {
    Map<Part, Long> m = new TreeMap<>(next);
    m.merge(part, offset + 1, Math::max);
    return new EventCursor(m);
  }

  /** The id text; partitions at offset 0 are left out. */
  @Override
  public String toString() {
    return next.entrySet().stream()
        .map(e -> e.getKey().source().code() + ":" + e.getKey().partition() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /**
   * Parses an id.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static EventCursor parse(String id) {
    Map<Part, Long> m = new TreeMap<>();
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("empty event id");
    }
    for (String entry : List.of(id.trim().split(","))) {
      String[] f = entry.trim().split(":", -1);
      Source s = f.length == 3 ? Source.ofCode(f[0].toLowerCase(Locale.ROOT)) : null;
      if (s == null) {
        throw new IllegalArgumentException(
            "event id entry '" + entry + "' is not <a|l>:<partition>:<offset>");
      }
      try {
        int p = Integer.parseInt(f[1]);
        long o = Long.parseLong(f[2]);
        if (p < 0 || o < 0) {
          throw new NumberFormatException("negative");
        }
        m.merge(new Part(s, p), o, Math::max);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "event id entry '" + entry + "' has a bad partition or offset", e);
      }
    }
    return new EventCursor(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventCursor c && c.next.equals(next);
  }

  @Override
  public int hashCode() {
    return next.hashCode();
  }
}
