package io.cytostream.processors.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A soak test's time series: every {@code every}, one row of memory (heap after GC, heap committed,
 * resident set, native memory tracking's total), on-disk state, and the interval's frames/s and
 * latency (p50/p99 of the frames that reached {@code cells.state} in it), in-flight frames and the
 * pipeline's consumer lag on {@code frames.raw}; written as CSV (header {@link #COLUMNS}) as it
 * goes, and summarised at the end by least-squares slopes per hour. Sizes in MB (2^20 bytes), times
 * in ms, {@code t_s} in seconds from the start; a figure that could not be read is -1 (and left out
 * of the slopes).
 */
final class SoakSampler implements AutoCloseable {
  /** The CSV's columns, in order. */
  static final List<String> COLUMNS =
      List.of(
          "t_s",
          "frames",
          "frames_per_s",
          "p50_ms",
          "p99_ms",
          "heap_after_gc_mb",
          "heap_committed_mb",
          "rss_mb",
          "nmt_committed_mb",
          "state_dir_mb",
          "broker_dir_mb",
          "in_flight",
          "consumer_lag",
          "gc_count");

  /** What the sampler reads besides this JVM's memory. */
  record Sources(
      Supplier<double[]> harvest,
      LongSupplier inFlight,
      LongSupplier consumerLag,
      Path stateDir,
      Path brokerDir) {}

  private static final double MB = 1024.0 * 1024.0;
  private final Sources sources;
  private final Writer csv;
  private final ProcessMemory memory = new ProcessMemory();
  private final List<double[]> rows = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private final long start = System.nanoTime();
  private long lastSample = start;
  private final java.io.PrintWriter log;

  SoakSampler(Duration every, Path series, Sources sources, java.io.PrintWriter log)
      throws IOException {
    this.sources = sources;
    this.log = log;
    if (series.toAbsolutePath().getParent() != null) {
      Files.createDirectories(series.toAbsolutePath().getParent());
    }
    this.csv = Files.newBufferedWriter(series, StandardCharsets.UTF_8);
    csv.write(String.join(",", COLUMNS) + "\n");
    csv.flush();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "loadtest-soak-sampler");
              t.setDaemon(true);
              return t;
            });
    long ms = every.toMillis();
    timer.scheduleAtFixedRate(this::sampleQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      log.println("soak sample failed: " + e);
      log.flush();
    }
  }

  /** Takes one row now. */
  synchronized void sample() {
    long now = System.nanoTime();
    double interval = (now - lastSample) / 1e9;
    lastSample = now;
    double[] lat = sources.harvest().get();
    Arrays.sort(lat);
    double[] row = {
      (now - start) / 1e9,
      lat.length,
      interval > 0 ? lat.length / interval : Double.NaN,
      lat.length == 0 ? -1 : ReportAssembly.percentile(lat, 0.50),
      lat.length == 0 ? -1 : ReportAssembly.percentile(lat, 0.99),
      mb(memory.heapAfterGc()),
      mb(ProcessMemory.heapCommitted()),
      mb(ProcessMemory.rss()),
      mb(memory.nmtCommitted()),
      mb(ProcessMemory.sizeOf(sources.stateDir())),
      mb(ProcessMemory.sizeOf(sources.brokerDir())),
      sources.inFlight().getAsLong(),
      sources.consumerLag().getAsLong(),
      memory.collections()
    };
    rows.add(row);
    String line = format(row);
    try {
      csv.write(line + "\n");
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.println("soak " + line);
    log.flush();
  }

  private static double mb(long bytes) {
    return bytes < 0 ? -1 : bytes / MB;
  }

  static String format(double[] row) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      double v = row[i];
      b.append(
          v == Math.rint(v) && Math.abs(v) < 1e15
              ? Long.toString((long) v)
              : String.format(Locale.ROOT, "%.2f", v));
    }
    return b.toString();
  }

  /**
   * Least-squares slope of {@code y} against {@code tSeconds}, per hour; points with a negative or
   * non-finite {@code y} (unreadable) are left out. NaN with fewer than two points or no spread in
   * time.
   */
  static double slopePerHour(double[] tSeconds, double[] y) {
    double st = 0;
    double sy = 0;
    int k = 0;
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i]) && y[i] >= 0) {
        st += tSeconds[i];
        sy += y[i];
        k++;
      }
    }
    if (k < 2) {
      return Double.NaN;
    }
    double mt = st / k;
    double my = sy / k;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i]) && y[i] >= 0) {
        sxy += (tSeconds[i] - mt) * (y[i] - my);
        sxx += (tSeconds[i] - mt) * (tSeconds[i] - mt);
      }
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 3600.0;
  }

  /** The rows taken so far, in {@link #COLUMNS} order. */
  synchronized List<double[]> rows() {
    return List.copyOf(rows);
  }

  /**
   * Slopes per hour over every row and over the second half of the rows (which leaves out the
   * settling of caches and JIT), first and last values, and the worst interval's p99.
   */
  static Map<String, Object> summary(List<double[]> rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", rows.size());
    if (rows.isEmpty()) {
      return m;
    }
    m.put("seconds", round(rows.get(rows.size() - 1)[0]));
    String[][] slopes = {
      {"heap_after_gc_mb", "heap_mb_per_h"},
      {"heap_committed_mb", "heap_committed_mb_per_h"},
      {"rss_mb", "rss_mb_per_h"},
      {"nmt_committed_mb", "nmt_mb_per_h"},
      {"state_dir_mb", "state_dir_mb_per_h"},
      {"p99_ms", "p99_ms_per_h"},
      {"p50_ms", "p50_ms_per_h"},
      {"frames_per_s", "frames_per_s_per_h"}
    };
    List<double[]> late = rows.subList(rows.size() / 2, rows.size());
    for (String[] s : slopes) {
      int c = COLUMNS.indexOf(s[0]);
      m.put(s[1], round(slopePerHour(column(rows, 0), column(rows, c))));
      m.put(s[1] + "_second_half", round(slopePerHour(column(late, 0), column(late, c))));
      m.put(s[0] + "_first", round(rows.get(0)[c]));
      m.put(s[0] + "_last", round(rows.get(rows.size() - 1)[c]));
    }
    int p99 = COLUMNS.indexOf("p99_ms");
    m.put("p99_ms_worst_interval", round(Arrays.stream(column(rows, p99)).max().orElse(-1)));
    int lag = COLUMNS.indexOf("consumer_lag");
    m.put("consumer_lag_max", round(Arrays.stream(column(rows, lag)).max().orElse(-1)));
    return m;
  }

  private static double[] column(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : -1;
  }

  /** Stops the timer, takes a last row and closes the CSV. */
  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sampleQuietly();
    memory.close();
    csv.close();
  }
}
