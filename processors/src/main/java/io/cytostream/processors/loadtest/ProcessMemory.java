package io.cytostream.processors.loadtest;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's memory as a soak test watches it: heap in use after each garbage collection (from the
 * collectors' notifications, so no collection is forced), heap committed, the process's resident
 * set ({@code VmRSS} of {@code /proc/self/status}) and, when the JVM runs with {@code
 * -XX:NativeMemoryTracking=summary} (or {@code detail}), the committed total of native memory
 * tracking, read through the {@code DiagnosticCommand} MBean ({@code VM.native_memory summary}) —
 * the same as {@code jcmd}, without starting another process. All sizes in bytes; a figure that
 * cannot be read is -1.
 */
final class ProcessMemory implements AutoCloseable {
  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total:\\s*reserved=(\\d+)(KB|MB|GB)?,\\s*committed=(\\d+)(KB|MB|GB)?");
  private static final Pattern RSS = Pattern.compile("^VmRSS:\\s*(\\d+)\\s*kB", Pattern.MULTILINE);

  private final Set<String> heapPools;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;
  private final boolean nmt;
  private long lastAfterGc = -1;
  private long minAfterGcSinceRead = Long.MAX_VALUE;
  private long collections;

  ProcessMemory() {
    heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    nmt =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .map(a -> a.toLowerCase(Locale.ROOT))
            .anyMatch(
                a ->
                    a.startsWith("-xx:nativememorytracking=")
                        && !a.endsWith("=off")
                        && !a.endsWith("=false"));
  }

  private void onGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    synchronized (this) {
      lastAfterGc = used;
      minAfterGcSinceRead = Math.min(minAfterGcSinceRead, used);
      collections++;
    }
  }

  /**
   * Heap in use after the collections since the last call: the smallest such figure (the floor of
   * the saw-tooth, which is what grows when something leaks), or after the last collection when
   * none ran since; -1 before the first collection.
   */
  synchronized long heapAfterGc() {
    long v = minAfterGcSinceRead == Long.MAX_VALUE ? lastAfterGc : minAfterGcSinceRead;
    minAfterGcSinceRead = Long.MAX_VALUE;
    return v;
  }

  /** Collections seen so far. */
  synchronized long collections() {
    return collections;
  }

  /** Heap committed by the JVM now. */
  static long heapCommitted() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  /** Resident set size of this process ({@code VmRSS}), or -1 off Linux. */
  static long rss() {
    try {
      return parseRss(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long parseRss(String status) {
    Matcher m = RSS.matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /** Native memory tracking's committed total, or -1 when tracking is off. */
  long nmtCommitted() {
    if (!nmt) {
      return -1;
    }
    try {
      Object out =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "vmNativeMemory",
                  new Object[] {new String[] {"summary"}},
                  new String[] {String[].class.getName()});
      return parseNmtCommitted(String.valueOf(out));
    } catch (Exception e) {
      return -1;
    }
  }

  /** The committed total of a {@code VM.native_memory summary} report, bytes; -1 if absent. */
  static long parseNmtCommitted(String report) {
    Matcher m = NMT_TOTAL.matcher(report);
    if (!m.find()) {
      return -1;
    }
    return Long.parseLong(m.group(3)) * unit(m.group(4));
  }

  private static long unit(String u) {
    if (u == null) {
      return 1;
    }
    return switch (u) {
      case "KB" -> 1024L;
      case "MB" -> 1024L * 1024;
      default -> 1024L * 1024 * 1024;
    };
  }

  /** Bytes of the regular files under {@code dir} (0 when it does not exist). */
  static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // a RocksDB file compacted away while we walked
                }
              })
          .sum();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }
}
