package io.cytostream.processors.loadtest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * The measured frames' latencies, gathered as they arrive: {@link #harvest} moves every published
 * frame that has reached {@code cells.state} out of the publishers' map (and the probe's), so that
 * a run of an hour holds one number per frame rather than two maps of instants, which would
 * themselves look like a leak to a soak test.
 */
final class Latencies {
  private double[] ms = new double[1024];
  private int n;
  private Instant firstPublished;
  private Instant lastSeen;

  /**
   * Takes the frames of {@code sent} (per FOV, frame index → acquisition instant) that {@code
   * probe} has seen, and returns their latencies, ms, in no particular order.
   */
  synchronized double[] harvest(Map<String, Map<Long, Instant>> sent, LatencyProbe probe) {
    int from = n;
    for (var e : sent.entrySet()) {
      Iterator<Map.Entry<Long, Instant>> it = e.getValue().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Instant> f = it.next();
        Instant acquired = f.getValue();
        if (firstPublished == null || acquired.isBefore(firstPublished)) {
          firstPublished = acquired;
        }
        Instant seen = probe.seen(e.getKey(), f.getKey());
        if (seen != null) {
          add(Duration.between(acquired, seen).toNanos() / 1e6);
          lastSeen = lastSeen == null || seen.isAfter(lastSeen) ? seen : lastSeen;
          it.remove();
          probe.forget(e.getKey(), f.getKey());
        }
      }
    }
    return Arrays.copyOfRange(ms, from, n);
  }

  private void add(double v) {
    if (n == ms.length) {
      ms = Arrays.copyOf(ms, n * 2);
    }
    ms[n++] = v;
  }

  /** Every latency harvested so far, sorted ascending, ms. */
  synchronized double[] sorted() {
    double[] s = Arrays.copyOf(ms, n);
    Arrays.sort(s);
    return s;
  }

  /** Frames harvested so far. */
  synchronized int count() {
    return n;
  }

  /**
   * Seconds from the first measured frame's acquisition to the last harvested frame's arrival (NaN
   * before any arrived).
   */
  synchronized double seconds() {
    return lastSeen == null
        ? Double.NaN
        : Duration.between(firstPublished, lastSeen).toNanos() / 1e9;
  }
}
